import type { Database } from 'better-sqlite3';
import { getSetting } from '../ledger/settings';
import type { Nano } from '../money';
import { DEFAULT_RESERVE_BP } from './health';

export interface Budgets {
  daily: Nano | null;
  monthly: Nano | null;
  reserveBp: number;
  /** Per-provider monthly caps. */
  caps: Record<string, Nano>;
}

export function readBudgets(db: Database): Budgets {
  const rows = db.prepare('SELECT scope, provider, amount_nano FROM budgets').all() as {
    scope: string;
    provider: string;
    amount_nano: number;
  }[];
  const budgets: Budgets = { daily: null, monthly: null, reserveBp: getSetting(db, 'reserve_bp', DEFAULT_RESERVE_BP), caps: {} };
  for (const r of rows) {
    if (r.scope === 'daily') budgets.daily = r.amount_nano;
    else if (r.scope === 'monthly') budgets.monthly = r.amount_nano;
    else budgets.caps[r.provider] = r.amount_nano;
  }
  return budgets;
}
