import { percentOfBp, subNano, type Nano, type NanoTotal } from '../money';
import type { Health } from '../model/views';

/**
 * Health of a budget period (design.md):
 *   good      below 75 % of spendable
 *   warning   from 75 % of spendable up to spendable
 *   critical  past spendable, eating into the reserve
 *   exceeded  past the whole budget
 * Spendable = budget − reserve; reserve = budget × reserve%. $2.00 with 20 % → $1.60 spendable.
 *
 * One decision design.md leaves open: nothing spent is always `good` (with a 100 % reserve the
 * spendable part is $0 and "75 % of $0" would otherwise call an untouched day a warning).
 */
export type { Health } from '../model/views';

export const DEFAULT_RESERVE_BP = 2000; // 20 %
export const WARNING_AT_BP = 7500; // 75 % of spendable

export interface BudgetSplit {
  budget: Nano;
  reserve: Nano;
  spendable: Nano;
}

export function splitBudget(budget: Nano, reserveBp: number): BudgetSplit {
  const reserve = percentOfBp(budget, reserveBp);
  return { budget, reserve, spendable: subNano(budget, reserve) };
}

/** spent ≥ share (in basis points) of whole, compared exactly in integers. */
export function atLeastShare(spent: Nano | NanoTotal, whole: Nano | NanoTotal, shareBp: number): boolean {
  return BigInt(spent) * 10_000n >= BigInt(whole) * BigInt(shareBp);
}

export function healthOf(amount: Nano | NanoTotal, split: BudgetSplit): Health {
  const spent = BigInt(amount);
  if (spent > split.budget) return 'exceeded';
  if (spent > split.spendable) return 'critical';
  if (spent <= 0n) return 'good';
  return atLeastShare(spent, split.spendable, WARNING_AT_BP) ? 'warning' : 'good';
}

export const HEALTH_RANK: Record<Health, number> = { good: 0, warning: 1, critical: 2, exceeded: 3 };

/** The worse of two healths (null: no budget). */
export function worstHealth(a: Health | null, b: Health | null): Health | null {
  if (a === null) return b;
  if (b === null) return a;
  return HEALTH_RANK[a] >= HEALTH_RANK[b] ? a : b;
}
