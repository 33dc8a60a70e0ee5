import { percentOfBp, subNano, type Nano } from '../money';

/**
 * Health of a budget period (design.md):
 *   good      below 75 % of spendable
 *   warning   from 75 % of spendable up to spendable
 *   critical  past spendable, eating into the reserve
 *   exceeded  past the whole budget
 * Spendable = budget − reserve; reserve = budget × reserve%. $2.00 with 20 % → $1.60 spendable.
 */
export type Health = 'good' | 'warning' | 'critical' | 'exceeded';

export const DEFAULT_RESERVE_BP = 2000; // 20 %
const WARNING_AT_BP = 7500; // 75 % of spendable

export interface BudgetSplit {
  budget: Nano;
  reserve: Nano;
  spendable: Nano;
}

export function splitBudget(budget: Nano, reserveBp: number): BudgetSplit {
  const reserve = percentOfBp(budget, reserveBp);
  return { budget, reserve, spendable: subNano(budget, reserve) };
}

export function healthOf(spent: Nano, split: BudgetSplit): Health {
  if (spent > split.budget) return 'exceeded';
  if (spent > split.spendable) return 'critical';
  // spent >= 75 % of spendable, compared exactly: spent * 10000 >= spendable * 7500
  if (BigInt(spent) * 10_000n >= BigInt(split.spendable) * BigInt(WARNING_AT_BP)) return 'warning';
  return 'good';
}
