import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { setSetting } from '../ledger/settings';
import { PRUNABLE_EVENT_SOURCES, PRUNED_BEFORE_KEY, prunedBefore } from '../ledger/pruned';
import type { Core } from '../model/context';
import { addDays, localDay } from '../time';
import { closeSettings } from './steps';

export { prunedBefore } from '../ledger/pruned';

/**
 * Retention: per-request usage events older than `retention.raw_days` (90) are removed, but only
 * for local days of months that are closed and whose rollups hold exactly what the raw events held
 * (checked per day, provider, model and source before anything is deleted). Rollups, billed rows,
 * readings, derived rows and stored reports stay. The file then shrinks by an incremental vacuum.
 *
 * auto_vacuum=INCREMENTAL only takes effect on a file created with it or after a full VACUUM; a
 * ledger created before this build gets that one VACUUM at its first prune (it rewrites the whole
 * file once, and needs about the file's size free on disk), every later prune frees pages with
 * `PRAGMA incremental_vacuum`.
 */

export interface PruneResult {
  dryRun: boolean;
  /** Days before this are eligible by age. */
  cutoff: string;
  /** The newest day actually pruned (or that would be), null when none. */
  through: string | null;
  events: number;
  /** Months whose old events stay because the month is not closed yet. */
  waitingForClose: string[];
  /** Days skipped because their rollups disagree with their raw events (left untouched). */
  mismatchedDays: string[];
  bytesBefore: number;
  bytesAfter: number;
  /** Dry run: an estimate from SQLite's page count of the rows that would go. */
  bytesFreed: number;
  vacuum: 'incremental' | 'full' | 'none';
}

const SOURCES_SQL = PRUNABLE_EVENT_SOURCES.map((s) => `'${s}'`).join(', ');

function fileBytes(db: Database): number {
  if (db.memory) return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  let total = 0;
  for (const f of [db.name, `${db.name}-wal`]) if (fs.existsSync(f)) total += fs.statSync(f).size;
  return total;
}

/** Days whose raw events do not match their rollups exactly (events, tokens, cost, unpriced). */
function mismatchedDays(db: Database, from: string, to: string): string[] {
  const raw = db
    .prepare(
      `SELECT local_day, provider, model, CASE source WHEN 'billing_api' THEN 'api_usage' ELSE source END AS source,
              COUNT(*) AS events, SUM(input_tokens + output_tokens + cached_input_tokens + cache_write_tokens) AS tokens,
              COALESCE(SUM(cost_total_nano), 0) AS cost, SUM(cost_origin = 'unpriced') AS unpriced
       FROM usage_events WHERE local_day BETWEEN ? AND ? AND source IN (${SOURCES_SQL}) GROUP BY 1, 2, 3, 4`,
    )
    .all(from, to) as { local_day: string; provider: string; model: string; source: string; events: number; tokens: number; cost: number; unpriced: number }[];
  const rollup = db.prepare(
    `SELECT events, input_tokens + output_tokens + cached_input_tokens + cache_write_tokens AS tokens, cost_nano AS cost, unpriced_events AS unpriced
     FROM daily_rollups WHERE local_day = ? AND provider = ? AND model = ? AND source = ?`,
  );
  const bad = new Set<string>();
  for (const r of raw) {
    const k = rollup.get(r.local_day, r.provider, r.model, r.source) as { events: number; tokens: number; cost: number; unpriced: number } | undefined;
    if (!k || k.events !== r.events || k.tokens !== r.tokens || k.cost !== r.cost || k.unpriced !== r.unpriced) bad.add(r.local_day);
  }
  return [...bad].sort();
}

function closedMonths(db: Database): Set<string> {
  return new Set((db.prepare("SELECT month FROM month_closes WHERE state = 'closed'").all() as { month: string }[]).map((r) => r.month));
}

export function pruneRawEvents(core: Core, options: { dryRun?: boolean } = {}): PruneResult {
  const db = core.db;
  const dryRun = options.dryRun ?? false;
  const { retentionDays } = closeSettings(db);
  const cutoff = addDays(localDay(core.clock.now(), core.timeZone), -retentionDays);
  const closed = closedMonths(db);
  const oldest = (db.prepare(`SELECT MIN(local_day) AS d FROM usage_events WHERE source IN (${SOURCES_SQL})`).get() as { d: string | null }).d;
  const bytesBefore = fileBytes(db);
  const result: PruneResult = { dryRun, cutoff, through: null, events: 0, waitingForClose: [], mismatchedDays: [], bytesBefore, bytesAfter: bytesBefore, bytesFreed: 0, vacuum: 'none' };
  if (oldest === null || oldest >= cutoff) return result;

  // Prune a prefix of days only (the marker says "everything before this day is gone"): stop at
  // the first month that is not closed.
  let through: string | null = null;
  const waiting = new Set<string>();
  for (let month = oldest.slice(0, 7); month <= addDays(cutoff, -1).slice(0, 7); month = addDays(`${month}-28`, 7).slice(0, 7)) {
    if (!closed.has(month)) {
      waiting.add(month);
      break;
    }
    const last = addDays(`${month}-28`, 7).slice(0, 7) + '-01';
    through = addDays(last, -1) < cutoff ? addDays(last, -1) : addDays(cutoff, -1);
  }
  result.waitingForClose = [...waiting];
  if (through === null) return result;

  const bad = mismatchedDays(db, oldest, through);
  result.mismatchedDays = bad;
  // Stop before the first mismatched day: the marker must never cover a day whose raw rows stay.
  const stopAt = bad[0] ? addDays(bad[0], -1) : through;
  if (stopAt < oldest) return result;
  result.through = stopAt;
  const count = db.prepare(`SELECT COUNT(*) AS n FROM usage_events WHERE local_day <= ? AND source IN (${SOURCES_SQL})`).get(stopAt) as { n: number };
  result.events = count.n;

  if (dryRun) {
    // The pages of usage_events and its indexes (SQLite's dbstat), in proportion to the rows that go.
    const total = (db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n;
    const used = (db.prepare("SELECT COALESCE(SUM(pgsize), 0) AS b FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'usage_events')").get() as { b: number }).b;
    result.bytesFreed = total === 0 ? 0 : Math.floor((used * count.n) / total);
    return result;
  }

  db.transaction(() => {
    db.prepare(`DELETE FROM usage_events WHERE local_day <= ? AND source IN (${SOURCES_SQL})`).run(stopAt);
    const previous = prunedBefore(db);
    const next = addDays(stopAt, 1);
    if (previous === null || next > previous) setSetting(db, PRUNED_BEFORE_KEY, next, core.clock.now());
  })();
  result.vacuum = shrink(db);
  result.bytesAfter = fileBytes(db);
  result.bytesFreed = Math.max(0, bytesBefore - result.bytesAfter);
  core.events.emit('statusChanged', { reason: 'prune' });
  return result;
}

/** Give freed pages back to the file system. */
function shrink(db: Database): PruneResult['vacuum'] {
  if (db.inTransaction) return 'none';
  let mode: PruneResult['vacuum'];
  if ((db.pragma('auto_vacuum', { simple: true }) as number) !== 2) {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM'); // once: the mode switch takes effect only through a full VACUUM
    mode = 'full';
  } else {
    db.pragma('incremental_vacuum');
    mode = 'incremental';
  }
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
  return mode;
}
