import type { Core } from '../model/context';
import type { DayKey } from '../model/day-key';
import { billingMonthOf } from './billing';
import { rederiveRows } from './derive';
import { getAccount } from './modes';

/**
 * Balances a provider's API reported (DeepSeek's /user/balance, kept by the sync area in
 * sync_balances) become balance readings with origin 'api', so the same rule turns them into
 * spend as typed-in readings: the drop between readings, rises as top-ups. Only providers in
 * balance mode take them (for an api-mode provider its billing API is the truth, and a balance
 * derived spend would compete with it); observations wait in sync_balances until the mode is
 * balance. Each observation is imported once (readings.external_ref), even if the reading is
 * later deleted. Only USD balances are used.
 */
export function importApiBalances(core: Core): void {
  const pending = core.db
    .prepare(
      `SELECT b.id, b.provider, b.observed_at, b.amount_nano FROM sync_balances b
       WHERE b.account = 'default' AND b.currency = 'USD' AND b.amount_nano >= 0
         AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.provider = b.provider AND r.account = 'default' AND r.external_ref = 'sync_balances:' || b.id)
       ORDER BY b.provider, b.observed_at`,
    )
    .all() as { id: number; provider: string; observed_at: string; amount_nano: number }[];
  if (pending.length === 0) return;
  const touched: DayKey[] = [];
  core.db.transaction(() => {
    const insert = core.db.prepare(
      `INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, origin, note, external_ref, created_at)
       VALUES (?, 'balance', ?, ?, ?, 'api', 'from the provider API', ?, ?)`,
    );
    const changed = new Set<string>();
    const now = core.clock.now().toISOString();
    for (const b of pending) {
      const account = getAccount(core.db, b.provider);
      if (account.mode !== 'balance') continue;
      insert.run(b.provider, b.amount_nano, b.observed_at, billingMonthOf(Date.parse(b.observed_at), account.billingTz), `sync_balances:${b.id}`, now);
      changed.add(b.provider);
    }
    for (const provider of changed) touched.push(...rederiveRows(core, provider).touched);
  })();
  if (touched.length > 0) core.spendChanged('reading', touched);
}
