import type { Database } from 'better-sqlite3';
import { LEDGER_CEILING_NANO, MoneyError, type NanoTotal } from '../money';
import { statement } from './statements';

/**
 * The ledger's money ceiling (docs/money.md): the sum of every rollup row's amount, counted by size
 * (|cost_nano|), stays within SQLite's 64-bit integers. Every total a read asks for (a day, a month,
 * a provider, all time, any mix of tiers) is a part of that sum, so no SUM SQLite computes and no
 * rollup row can overflow afterwards; a write that would pass it is refused inside its transaction,
 * before anything lands.
 *
 * The sum is kept current, not recomputed: each flush of a RollupBatch learns every changed row's
 * amount after the change (RETURNING) and adds |after| − |before| to the figure stored in the
 * settings table, so the check costs the same on an empty ledger and on a ten-year one.
 */

/** Settings key of the running sum (a decimal string: JSON numbers cannot carry 64-bit integers). */
const KEY = 'rollup_abs_total_nano';

export function ceilingError(): MoneyError {
  return new MoneyError(
    "This write would take the ledger's total recorded spend past $9,223,372,036.85 (the most a ledger holds: SQLite's largest integer in nano-dollars), so it was refused and nothing changed.",
  );
}

/**
 * The stored running sum; computed from the table once when missing (a ledger from before it was
 * kept, or after a rebuild). SQLite's SUM raises "integer overflow" past int64: that ledger is
 * already past the ceiling, and the write that asked is refused.
 */
export function rollupAbsTotal(db: Database): NanoTotal {
  const row = statement(db, 'SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (row) {
    const stored = JSON.parse(row.value) as unknown;
    if (typeof stored === 'string' && /^\d+$/.test(stored)) return BigInt(stored);
  }
  try {
    const sum = db.prepare('SELECT COALESCE(SUM(ABS(cost_nano)), 0) AS total FROM daily_rollups').safeIntegers(true).get() as { total: bigint };
    return sum.total;
  } catch (error) {
    if (/integer overflow/i.test(String((error as Error).message))) throw ceilingError();
    throw error;
  }
}

/** Store the running sum after a change of `change` (inside the caller's write transaction). */
export function applyCeilingChange(db: Database, before: NanoTotal, change: NanoTotal, writtenAt: string): void {
  if (change === 0n) return;
  const after = before + change;
  if (after > LEDGER_CEILING_NANO) throw ceilingError();
  statement(
    db,
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(KEY, JSON.stringify(after.toString()), writtenAt);
}

/** Forget the running sum (the rollups were rebuilt): the next write computes it once from the table. */
export function forgetCeilingTotal(db: Database): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(KEY);
}
