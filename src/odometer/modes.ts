import type { Database } from 'better-sqlite3';
import { defaultModeOf, type TrackingMode } from '../providers/catalog';

/** A provider account's tracking mode and billing zone (table provider_accounts, account 'default'). */
export interface ProviderAccount {
  provider: string;
  mode: TrackingMode;
  /** The zone of the provider's billing month (UTC unless configured). */
  billingTz: string;
  /** Whether the user (or Burnrate) stored a row, or these are the catalogue's defaults. */
  configured: boolean;
}

export const MODES: readonly TrackingMode[] = ['api', 'odometer', 'balance', 'subscription', 'manual'];

export function getAccount(db: Database, provider: string): ProviderAccount {
  const row = db
    .prepare("SELECT mode, billing_tz FROM provider_accounts WHERE provider = ? AND account = 'default'")
    .get(provider) as { mode: TrackingMode; billing_tz: string } | undefined;
  return row
    ? { provider, mode: row.mode, billingTz: row.billing_tz, configured: true }
    : { provider, mode: defaultModeOf(provider), billingTz: 'UTC', configured: false };
}

export function listConfigured(db: Database): ProviderAccount[] {
  return (
    db.prepare("SELECT provider, mode, billing_tz FROM provider_accounts WHERE account = 'default' ORDER BY provider").all() as {
      provider: string;
      mode: TrackingMode;
      billing_tz: string;
    }[]
  ).map((r) => ({ provider: r.provider, mode: r.mode, billingTz: r.billing_tz, configured: true }));
}

export function saveAccount(db: Database, account: { provider: string; mode: TrackingMode; billingTz: string }, now: string): void {
  db.prepare(
    `INSERT INTO provider_accounts (provider, account, mode, billing_tz, created_at, updated_at)
     VALUES (?, 'default', ?, ?, ?, ?)
     ON CONFLICT (provider, account) DO UPDATE SET mode = excluded.mode, billing_tz = excluded.billing_tz, updated_at = excluded.updated_at`,
  ).run(account.provider, account.mode, account.billingTz, now, now);
}
