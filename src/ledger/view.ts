import type { Database } from 'better-sqlite3';
import type { NanoTotal } from '../money';
import { rollupSourceOfEvent } from './sources';
import type { PreparedRow, UsageEventInput } from './usage';

/**
 * The read-only view of the ledger that read methods get (docs/ledger.md, "Reads never write").
 *
 * - Writes are refused at run time: every statement is prepared through the view, and one that
 *   could change the file (sqlite3_stmt_readonly is false: INSERT, UPDATE, DELETE, DDL) throws
 *   before it runs, as do exec and assigning pragmas. This holds across awaits and never touches
 *   the connection's state, so a write elsewhere on the same connection is never affected (unlike
 *   PRAGMA query_only, which is per connection and would leak into a concurrent write).
 * - It carries the rows the catch-up would store now but has not yet (`due`), so the read models
 *   that take it (spend.ts, summary.ts, the export) show the truth as of now on a ledger nobody
 *   caught up, and on a read-only file.
 */

/** A write attempted through the read-only view: a bug in a read method, never the user's doing. */
export class ReadOnlyViolation extends Error {
  override name = 'ReadOnlyViolation';
}

const DUE = Symbol('burnrate.dueRows');

/** A usage row the catch-up would store now, with the id it would get. */
export type DueRow = PreparedRow & { id: number };

type Viewed = Database & { readonly [DUE]?: () => readonly DueRow[] };

/**
 * Wrap `db` so nothing can write through it; `due` gives the rows derived now and not stored,
 * asked once and only by a read model that reads spend (a read of settings never pays for it).
 */
export function readOnlyLedger(db: Database, due: () => readonly DueRow[] = () => []): Database {
  let rows: readonly DueRow[] | undefined;
  const refuse = (what: string): never => {
    throw new ReadOnlyViolation(`A read tried to change the ledger (${what}); reads never write.`);
  };
  const guarded: Partial<Record<PropertyKey, unknown>> = {
    [DUE]: () => (rows ??= due()),
    prepare(sql: string) {
      const statement = db.prepare(sql);
      if (!statement.readonly) refuse(sql.trim().split(/\s+/).slice(0, 3).join(' '));
      return statement;
    },
    exec(sql: string) {
      return refuse(sql.trim().split(/\s+/).slice(0, 3).join(' '));
    },
    pragma(source: string, options?: { simple?: boolean }) {
      if (source.includes('=')) refuse(`PRAGMA ${source}`);
      return db.pragma(source, options);
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (Object.prototype.hasOwnProperty.call(guarded, property)) return guarded[property];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Events the catch-up would store now, as it would store them: prepared by the writer, with the
 * ids SQLite will give them (max(id) + 1 in turn; usage_events has no AUTOINCREMENT).
 */
export function dueRowsOf(db: Database, prepare: (event: UsageEventInput) => PreparedRow, events: readonly UsageEventInput[]): DueRow[] {
  if (events.length === 0) return [];
  let next = (db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM usage_events').get() as { id: number }).id;
  return events.map((e) => ({ ...prepare(e), id: next++ }));
}

/** The rows due now that `db` carries (none for a plain connection), optionally of a day range. */
export function dueRows(db: Database, from?: string, to?: string): readonly DueRow[] {
  const due = (db as Viewed)[DUE]?.() ?? [];
  if (from === undefined || to === undefined) return due;
  return due.filter((r) => r.local_day >= from && r.local_day <= to);
}

/** A row of daily_rollups as the read models read it; due rows are summed into it as rollups.ts would. */
export interface RollupRow {
  local_day: string;
  provider: string;
  model: string;
  source: string;
  events: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  /** A day's sum of many rows: read as a 64-bit integer (safeIntegers), exact at any size. */
  cost_nano: NanoTotal;
  unpriced_events: number;
}

/** Add the due rows of from..to (optionally one provider) into rollup rows, keeping their order. */
export function withDueRollups<R extends RollupRow>(db: Database, rows: R[], from: string, to: string, provider?: string): R[] {
  const due = dueRows(db, from, to).filter((r) => provider === undefined || r.provider === provider);
  if (due.length === 0) return rows;
  const key = (r: { local_day: string; provider: string; model: string; source: string }) => `${r.local_day}\u0000${r.provider}\u0000${r.model}\u0000${r.source}`;
  const byKey = new Map(rows.map((r) => [key(r), { ...r }]));
  for (const d of due) {
    const source = rollupSourceOfEvent(d.source);
    const k = key({ ...d, source });
    const row = byKey.get(k) ?? ({ local_day: d.local_day, provider: d.provider, model: d.model, source, events: 0, input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cache_write_tokens: 0, cost_nano: 0n, unpriced_events: 0 } as R);
    row.events += 1;
    row.input_tokens += d.input_tokens;
    row.output_tokens += d.output_tokens;
    row.cached_input_tokens += d.cached_input_tokens;
    row.cache_write_tokens += d.cache_write_tokens;
    row.cost_nano += BigInt(d.cost_total_nano ?? 0);
    if (d.cost_origin === 'unpriced') row.unpriced_events += 1;
    byKey.set(k, row);
  }
  // The order of the SQL it extends (ORDER BY local_day, provider; binary collation).
  const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byKey.values()].sort((a, b) => binary(a.local_day, b.local_day) || binary(a.provider, b.provider));
}
