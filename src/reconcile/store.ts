import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { NanoTotal } from '../money';
import type { ReconciledDay } from './compute';

/** Queries over reconciliation_runs and reconciliation_days, as functions of (db, …args). */

export interface StoredRun {
  id: number;
  ranAt: string;
  checkedAt: string;
  from: string;
  to: string;
  timezone: string;
  fingerprint: string;
  days: number;
}

interface RunRow {
  id: number;
  ran_at: string;
  checked_at: string;
  from_day: string;
  to_day: string;
  timezone: string;
  fingerprint: string;
  days: number;
}

/** A stored day as read with safeIntegers: amounts (a day's sums) as 64-bit integers. */
interface DayRow {
  provider: string;
  local_day: string;
  billed_nano: NanoTotal;
  estimated_nano: NanoTotal | null;
  estimate_tier: 'readings' | 'reported' | 'estimates' | null;
  drift_nano: NanoTotal | null;
  drift_bp: bigint | null;
  coverage_bp: bigint | null;
  unpriced_events: bigint;
  by_source: string;
}

const RUN_COLUMNS = 'id, ran_at, checked_at, from_day, to_day, timezone, fingerprint, days';
const DAY_COLUMNS =
  'provider, local_day, billed_nano, estimated_nano, estimate_tier, drift_nano, drift_bp, coverage_bp, unpriced_events, by_source';

function toRun(r: RunRow): StoredRun {
  return { id: r.id, ranAt: r.ran_at, checkedAt: r.checked_at, from: r.from_day, to: r.to_day, timezone: r.timezone, fingerprint: r.fingerprint, days: r.days };
}

function toDay(r: DayRow): ReconciledDay {
  return {
    provider: r.provider,
    localDay: r.local_day,
    billedNano: r.billed_nano,
    estimatedNano: r.estimated_nano,
    estimateTier: r.estimate_tier,
    driftNano: r.drift_nano,
    driftBp: r.drift_bp === null ? null : Number(r.drift_bp),
    coverageBp: r.coverage_bp === null ? null : Number(r.coverage_bp),
    unpricedEvents: Number(r.unpriced_events),
    bySource: Object.fromEntries(Object.entries(JSON.parse(r.by_source) as Record<string, number | string>).map(([k, v]) => [k, BigInt(v)])),
  };
}

/**
 * JSON text of figures with totals in them: a total within 2^53 is written as the JSON number it
 * always was (stored fingerprints stay valid), a larger one as its decimal string (read back exactly).
 */
function jsonWithTotals(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v));
}

/** A hash of everything a run stores: equal fingerprints mean identical stored figures. */
export function fingerprintOf(from: string, to: string, timezone: string, days: readonly ReconciledDay[]): string {
  const canonical = jsonWithTotals({
    from,
    to,
    timezone,
    days: days.map((d) => [d.provider, d.localDay, d.billedNano, d.estimatedNano, d.estimateTier, d.driftNano, d.driftBp, d.coverageBp, d.unpricedEvents, d.bySource]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The newest run, optionally only among runs of one zone. */
export function latestRun(db: Database, timezone?: string): StoredRun | null {
  const row = (
    timezone === undefined
      ? db.prepare(`SELECT ${RUN_COLUMNS} FROM reconciliation_runs ORDER BY id DESC LIMIT 1`).get()
      : db.prepare(`SELECT ${RUN_COLUMNS} FROM reconciliation_runs WHERE timezone = ? ORDER BY id DESC LIMIT 1`).get(timezone)
  ) as RunRow | undefined;
  return row ? toRun(row) : null;
}

export function runById(db: Database, id: number): StoredRun | null {
  const row = db.prepare(`SELECT ${RUN_COLUMNS} FROM reconciliation_runs WHERE id = ?`).get(id) as RunRow | undefined;
  return row ? toRun(row) : null;
}

export function insertRun(
  db: Database,
  run: { at: string; from: string; to: string; timezone: string; fingerprint: string },
  days: readonly ReconciledDay[],
): number {
  const id = Number(
    db
      .prepare(
        `INSERT INTO reconciliation_runs (ran_at, checked_at, from_day, to_day, timezone, fingerprint, days)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(run.at, run.at, run.from, run.to, run.timezone, run.fingerprint, days.length).lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO reconciliation_days (run_id, ${DAY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const d of days) {
    insert.run(id, d.provider, d.localDay, d.billedNano, d.estimatedNano, d.estimateTier, d.driftNano, d.driftBp, d.coverageBp, d.unpricedEvents, jsonWithTotals(d.bySource));
  }
  return id;
}

/** A re-run found the same figures: only the confirmation time moves. */
export function markChecked(db: Database, id: number, at: string): void {
  db.prepare('UPDATE reconciliation_runs SET checked_at = ? WHERE id = ?').run(at, id);
}

export function runDays(db: Database, runId: number): ReconciledDay[] {
  const rows = db
    .prepare(`SELECT ${DAY_COLUMNS} FROM reconciliation_days WHERE run_id = ? ORDER BY provider, local_day`)
    .safeIntegers(true)
    .all(runId) as DayRow[];
  return rows.map(toDay);
}

/**
 * The latest known reconciliation of every day in [from, to]: for each day, the rows of the newest
 * run (in `timezone`) whose range covers it. A day the newest covering run has no row for (its bill
 * was removed) is absent, even if an older run had one.
 */
export function latestDays(db: Database, timezone: string, from: string, to: string): ReconciledDay[] {
  const rows = db
    .prepare(
      `SELECT ${DAY_COLUMNS.split(', ').map((c) => 'd.' + c).join(', ')}
       FROM reconciliation_days d
       WHERE d.local_day BETWEEN ? AND ?
         AND d.run_id = (SELECT MAX(r.id) FROM reconciliation_runs r
                         WHERE r.timezone = ? AND r.from_day <= d.local_day AND r.to_day >= d.local_day)
       ORDER BY d.provider, d.local_day`,
    )
    .safeIntegers(true)
    .all(from, to, timezone) as DayRow[];
  return rows.map(toDay);
}

/** When a run covering all of [from, to] in `timezone` last confirmed its figures, or null. */
export function lastCheckedCovering(db: Database, timezone: string, from: string, to: string): string | null {
  const row = db
    .prepare('SELECT MAX(checked_at) AS at FROM reconciliation_runs WHERE timezone = ? AND from_day <= ? AND to_day >= ?')
    .get(timezone, from, to) as { at: string | null };
  return row.at;
}
