/**
 * What the domain returns to every transport: status, alerts, reminders, what needs attention.
 * src/api/contract re-exports these, so clients (renderer, main/, CLI, MCP) import them from there.
 */
import type { KeychainTrouble } from './ports';

/** Money in JSON: a decimal string in USD such as "1.06" (src/money.ts formatUsd), never a float. */
export type Usd = string;

/** Health of a budget period: good, warning (75 % of spendable), critical (into the reserve), exceeded. */
export type Health = 'good' | 'warning' | 'critical' | 'exceeded';

export interface ProviderStatus {
  provider: string;
  monthSpentUsd: Usd;
  todaySpentUsd: Usd;
  /** The source that counted most recently: billed, odometer, balance, subscription or estimate. */
  source: string;
  mode: string;
  /** When a row of its figures was last written (not how old the figures are: see the three below). */
  lastUpdatedAt: string | null;
  /** The latest reading the user typed in (odometer or balance), ISO UTC. */
  lastReadingAt: string | null;
  /** The end of the latest sync of its billing API that succeeded, ISO UTC. */
  lastSyncAt: string | null;
  /** The latest local day with recorded usage (records, proxy, agent logs). */
  lastUsageDay: string | null;
  /** Counted usage this month that has no price: in no amount. All of it unpriced: the month is unknown, not $0. */
  unpricedEvents: number;
  /** Shown apart: estimates for days where billed data won. */
  estimatedMonthUsd: Usd | null;
  /** The latest prepaid balance (balance readings, or what its API reports in API mode); negative: owed. */
  balanceUsd: Usd | null;
  /** Whole days that balance lasts at the recent pace (null: no balance, or no spend to measure). */
  runwayDays: number | null;
  /** Rows of its answers kept aside as unreadable (not counted). */
  unreadableRows: number;
  /** OpenRouter: BYOK usage this month, billed by the upstream provider: shown apart, not counted. */
  byokMonthUsd: Usd | null;
}

export interface Reminder {
  id: number;
  kind: string;
  provider: string;
  message: string;
  period: string;
}

export interface AlertView {
  id: number;
  rule: string;
  level: 'info' | 'warning' | 'critical';
  message: string;
  /** The day (YYYY-MM-DD) or month (YYYY-MM) the alert is about. */
  period: string;
  provider: string;
  /** The project of a project cap's alert; '' for every other alert. */
  project: string;
  createdAt: string;
  acknowledged: boolean;
}

export interface AttentionItem {
  kind: string;
  severity: 'critical' | 'warning' | 'info';
  /** Names no command: every client shows it and adds its own remedy. */
  message: string;
  provider?: string;
  /** A sync that could not read its key from the OS keychain: what the user can put right. */
  keychainTrouble?: KeychainTrouble;
}

export interface Status {
  asOf: string;
  timezone: string;
  day: { date: string; spentUsd: Usd; budgetUsd: Usd | null; reserveUsd: Usd | null; spendableUsd: Usd | null; health: Health | null };
  month: {
    month: string;
    spentUsd: Usd;
    budgetUsd: Usd | null;
    reserveUsd: Usd | null;
    forecastUsd: Usd;
    health: Health | null;
    runsOutOn: string | null;
  };
  providers: ProviderStatus[];
  reminders: Reminder[];
  alerts: AlertView[];
  attention: AttentionItem[];
  unpricedEvents: number;
  /** Rows of providers' answers that could not be read: kept aside, not counted (see attention). */
  unreadableRows: number;
}
