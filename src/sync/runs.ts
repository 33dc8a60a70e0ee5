import os from 'node:os';
import type { Database } from 'better-sqlite3';
import type { KeychainTrouble } from '../model/ports';

/**
 * sync_runs: one row per sync attempt. A 'running' row doubles as the cross-process lock (a
 * partial unique index allows one per provider account); a row left behind by a process that
 * died is recognised as stale and closed as 'interrupted' by the next run.
 */

export type RunOutcome = 'running' | 'ok' | 'error';
export type RunTrigger = 'manual' | 'schedule';

export interface SyncRunRow {
  id: number;
  provider: string;
  account: string;
  startedAt: string;
  finishedAt: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  outcome: RunOutcome;
  errorKind: string | null;
  message: string | null;
  /** What the user can put right when the key could not be read from the keychain; else null. */
  keychainTrouble: KeychainTrouble | null;
  rows: number;
  rowsChanged: number;
  durationMs: number | null;
  trigger: RunTrigger;
}

interface Raw {
  id: number;
  provider: string;
  account: string;
  started_at: string;
  finished_at: string | null;
  window_start: string | null;
  window_end: string | null;
  outcome: RunOutcome;
  error_kind: string | null;
  message: string | null;
  keychain_trouble: KeychainTrouble | null;
  rows: number;
  rows_changed: number;
  duration_ms: number | null;
  owner: string;
  trigger: RunTrigger;
}

const COLUMNS = `id, provider, account, started_at, finished_at, window_start, window_end, outcome, error_kind, message,
                 keychain_trouble, rows, rows_changed, duration_ms, owner, trigger`;

function fromRaw(r: Raw): SyncRunRow {
  return {
    id: r.id,
    provider: r.provider,
    account: r.account,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    outcome: r.outcome,
    errorKind: r.error_kind,
    message: r.message,
    keychainTrouble: r.keychain_trouble,
    rows: r.rows,
    rowsChanged: r.rows_changed,
    durationMs: r.duration_ms,
    trigger: r.trigger,
  };
}

/** Who runs a sync: host and pid, so a later process can tell a crashed run from a live one. */
export function ownerTag(pid: number = process.pid, host: string = os.hostname()): string {
  return `${host}:${pid}`;
}

/** Whether process `pid` on this host is alive (signal 0 checks without signalling). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

export interface BeginRun {
  provider: string;
  account?: string;
  now: Date;
  window: { start: Date; end: Date };
  trigger: RunTrigger;
  /** A running row older than this is stale whoever owns it. */
  staleAfterMs: number;
  owner?: string;
  /** Injected for tests; default checks the pid when the row was written on this host. */
  ownerAlive?: (owner: string) => boolean;
}

export type BeginResult = { id: number; closedStale: number | null } | { busy: SyncRunRow };

function defaultOwnerAlive(owner: string): boolean {
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return true; // cannot tell: trust the timeout
  return pidAlive(pid);
}

/**
 * Open a run, atomically (IMMEDIATE transaction: no other writer between the check and the
 * insert). The caller holds the in-process lock for this provider, so a running row tagged with
 * our own owner is a leftover of an earlier process that had our pid: stale too.
 */
export function beginRun(db: Database, b: BeginRun): BeginResult {
  const account = b.account ?? 'default';
  const owner = b.owner ?? ownerTag();
  const alive = b.ownerAlive ?? defaultOwnerAlive;
  const nowIso = b.now.toISOString();
  const tx = db.transaction((): BeginResult => {
    const running = db
      .prepare(`SELECT ${COLUMNS} FROM sync_runs WHERE provider = ? AND account = ? AND outcome = 'running'`)
      .get(b.provider, account) as Raw | undefined;
    let closedStale: number | null = null;
    if (running) {
      const age = b.now.getTime() - Date.parse(running.started_at);
      const stale = running.owner === owner || age > b.staleAfterMs || !alive(running.owner);
      if (!stale) return { busy: fromRaw(running) };
      db.prepare(
        `UPDATE sync_runs SET outcome = 'error', error_kind = 'interrupted', finished_at = ?,
           message = 'This sync did not finish (Burnrate quit, crashed or the machine slept); a later sync closed it. Pages written before it stopped were kept whole.'
         WHERE id = ?`,
      ).run(nowIso, running.id);
      closedStale = running.id;
    }
    const info = db
      .prepare(
        `INSERT INTO sync_runs (provider, account, started_at, window_start, window_end, outcome, owner, trigger)
         VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`,
      )
      .run(b.provider, account, nowIso, b.window.start.toISOString(), b.window.end.toISOString(), owner, b.trigger);
    return { id: Number(info.lastInsertRowid), closedStale };
  });
  return tx.immediate();
}

export interface FinishRun {
  outcome: 'ok' | 'error';
  finishedAt: Date;
  errorKind?: string | null;
  message: string;
  keychainTrouble?: KeychainTrouble | null;
  rows: number;
  rowsChanged: number;
  durationMs: number;
}

export function finishRun(db: Database, id: number, f: FinishRun): void {
  db.prepare(
    `UPDATE sync_runs SET outcome = ?, finished_at = ?, error_kind = ?, message = ?, keychain_trouble = ?, rows = ?, rows_changed = ?, duration_ms = ?
     WHERE id = ?`,
  ).run(f.outcome, f.finishedAt.toISOString(), f.errorKind ?? null, f.message, f.keychainTrouble ?? null, f.rows, f.rowsChanged, Math.round(f.durationMs), id);
}

export function listRuns(db: Database, options: { provider?: string; limit?: number } = {}): SyncRunRow[] {
  const limit = options.limit ?? 20;
  const rows = options.provider
    ? (db.prepare(`SELECT ${COLUMNS} FROM sync_runs WHERE provider = ? ORDER BY started_at DESC, id DESC LIMIT ?`).all(options.provider, limit) as Raw[])
    : (db.prepare(`SELECT ${COLUMNS} FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT ?`).all(limit) as Raw[]);
  return rows.map(fromRaw);
}

export function getRun(db: Database, id: number): SyncRunRow | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM sync_runs WHERE id = ?`).get(id) as Raw | undefined;
  return row ? fromRaw(row) : null;
}

/** The newest successful run of a provider (its window end is where the next sync resumes). */
export function lastOkRun(db: Database, provider: string, account = 'default'): SyncRunRow | null {
  const row = db
    .prepare(`SELECT ${COLUMNS} FROM sync_runs WHERE provider = ? AND account = ? AND outcome = 'ok' ORDER BY started_at DESC, id DESC LIMIT 1`)
    .get(provider, account) as Raw | undefined;
  return row ? fromRaw(row) : null;
}

/**
 * When each provider last started a sync, whatever its outcome (the schedule's "last run"). The
 * newest row by id, not the latest time: after the clock is set back, the run just made counts.
 */
export function lastStarts(db: Database): Map<string, Date> {
  const rows = db
    .prepare(
      `SELECT provider, started_at AS at FROM sync_runs
       WHERE id IN (SELECT MAX(id) FROM sync_runs WHERE account = 'default' GROUP BY provider)`,
    )
    .all() as {
    provider: string;
    at: string;
  }[];
  return new Map(rows.map((r) => [r.provider, new Date(r.at)]));
}
