import type { Database } from 'better-sqlite3';
import { countedTotal, providerDays } from '../ledger/spend';
import type { Core, SpendListener } from '../model/context';
import type { DayKey } from '../model/day-key';
import { addTotal, subTotal, type NanoTotal } from '../money';
import { monthDays } from './steps';

/**
 * Freezing a month: the counted total per provider is written down when the month closes
 * (month_frozen). The ledger itself stays the truth: a late reading, a record or a provider's
 * correction for a day of a closed month still lands in the rollups, and the freeze turns the
 * difference into an adjustment with its reason (month_adjustments). Figures for a closed month
 * are then shown as "frozen total + adjustments", each adjustment named, never silently rewritten.
 */

export interface Adjustment {
  id: number;
  month: string;
  provider: string;
  deltaNano: NanoTotal;
  reason: string;
  createdAt: string;
}

/** Counted total per provider of a month's local days, right now. */
export function countedByProvider(db: Database, month: string): Map<string, NanoTotal> {
  const { from, to } = monthDays(month);
  const out = new Map<string, NanoTotal>();
  for (const d of providerDays(db, from, to)) out.set(d.provider, addTotal(out.get(d.provider) ?? 0n, d.countedNano));
  return out;
}

/** Write the month's frozen totals (replacing any earlier freeze of the same month). Call inside a transaction. */
export function freezeMonth(db: Database, month: string): Map<string, NanoTotal> {
  const totals = countedByProvider(db, month);
  db.prepare('DELETE FROM month_frozen WHERE month = ?').run(month);
  db.prepare('DELETE FROM month_adjustments WHERE month = ?').run(month);
  const insert = db.prepare('INSERT INTO month_frozen (month, provider, total_nano) VALUES (?, ?, ?)');
  for (const [provider, total] of totals) insert.run(month, provider, total);
  return totals;
}

export function frozenTotals(db: Database, month: string): Map<string, NanoTotal> {
  // Totals are read as 64-bit integers: a month's total may pass 2^53 nano (docs/money.md).
  const rows = db.prepare('SELECT provider, total_nano FROM month_frozen WHERE month = ?').safeIntegers(true).all(month) as { provider: string; total_nano: NanoTotal }[];
  return new Map(rows.map((r) => [r.provider, r.total_nano]));
}

export function adjustmentsOf(db: Database, month: string): Adjustment[] {
  return (
    db.prepare('SELECT id, month, provider, delta_nano, reason, created_at FROM month_adjustments WHERE month = ? ORDER BY id').safeIntegers(true).all(month) as {
      id: bigint;
      month: string;
      provider: string;
      delta_nano: NanoTotal;
      reason: string;
      created_at: string;
    }[]
  ).map((r) => ({ id: Number(r.id), month: r.month, provider: r.provider, deltaNano: r.delta_nano, reason: r.reason, createdAt: r.created_at }));
}

/** Months that are frozen (closed, or past their freeze step). */
function frozenMonths(db: Database): Set<string> {
  return new Set((db.prepare('SELECT DISTINCT month FROM month_close_steps WHERE step = ?').all('freeze') as { month: string }[]).map((r) => r.month));
}

/**
 * For each frozen month a write touched: the difference between what counts now and the frozen
 * total plus the adjustments so far becomes one adjustment per provider, with the write's reason.
 * Idempotent: a write that changed nothing adds nothing.
 */
export function recordAdjustments(core: Core, reason: string, touched: readonly DayKey[]): Adjustment[] {
  if (!core.db.open || core.db.readonly || touched.length === 0) return [];
  const frozen = frozenMonths(core.db);
  if (frozen.size === 0) return [];
  const months = new Set(touched.map((t) => t.localDay.slice(0, 7)).filter((m) => frozen.has(m)));
  const added: Adjustment[] = [];
  const at = core.clock.now().toISOString();
  for (const month of months) {
    const providers = new Set(touched.filter((t) => t.localDay.startsWith(month)).map((t) => t.provider));
    core.db.transaction(() => {
      const base = frozenTotals(core.db, month);
      const { from, to } = monthDays(month);
      for (const provider of providers) {
        let shown: NanoTotal = base.get(provider) ?? 0n;
        for (const a of adjustmentsOf(core.db, month)) if (a.provider === provider) shown = addTotal(shown, a.deltaNano);
        const delta = subTotal(countedTotal(core.db, from, to, provider), shown);
        if (delta === 0n) continue;
        const id = Number(core.db.prepare('INSERT INTO month_adjustments (month, provider, delta_nano, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(month, provider, delta, reason, at).lastInsertRowid);
        added.push({ id, month, provider, deltaNano: delta, reason, createdAt: at });
      }
    })();
  }
  return added;
}

/** The spend listener the composition root attaches: every write path that changes spend reaches it. */
export function adjustmentListener(core: Core): SpendListener {
  return (reason, touched) => {
    recordAdjustments(core, reason, touched);
  };
}
