import type { Core } from '../model/context';
import type { DayKey } from '../model/day-key';
import type { SyncPage } from '../providers/types';

type Balance = NonNullable<SyncPage['balance']>;

/**
 * A prepaid balance a provider's API reported. It is kept in sync_balances (one row per
 * observation instant, so a re-run adds nothing); turning balances into spend (the drop between
 * readings, rises as top-ups) is the odometer area's rule, applied from there.
 */
export function recordBalanceObservation(
  core: Core,
  provider: string,
  balance: Balance,
  runId: number,
): { changed: boolean; touched: DayKey[] } {
  const info = core.db
    .prepare(
      `INSERT INTO sync_balances (provider, account, observed_at, amount_nano, currency, run_id) VALUES (?, 'default', ?, ?, ?, ?)
       ON CONFLICT (provider, account, observed_at) DO NOTHING`,
    )
    .run(provider, balance.at.toISOString(), balance.amountNano, balance.currency, runId);
  return { changed: info.changes > 0, touched: [] };
}

export interface BalanceObservation {
  provider: string;
  observedAt: string;
  amountNano: number;
  currency: string;
}

/** The newest balance each provider reported. */
export function latestBalances(core: Core): BalanceObservation[] {
  return core.db
    .prepare(
      `SELECT provider, observed_at AS observedAt, amount_nano AS amountNano, currency FROM sync_balances b
       WHERE observed_at = (SELECT MAX(observed_at) FROM sync_balances WHERE provider = b.provider AND account = b.account)
       ORDER BY provider`,
    )
    .all() as BalanceObservation[];
}
