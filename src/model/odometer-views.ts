import type { Reminder, Usd } from './views';

// What the odometer area returns: tracking modes, readings, months, balances, subscriptions and
// reminders. docs/odometer.md explains the rules behind the figures.

export type TrackingModeName = 'api' | 'odometer' | 'balance' | 'subscription' | 'manual';
export type MonthStatusName = 'open' | 'final' | 'estimated';

export interface ReadingView {
  id: number;
  provider: string;
  kind: 'odometer' | 'balance' | 'topup';
  amountUsd: Usd;
  takenAt: string;
  /** The provider's billing month the figure belongs to. */
  billingMonth: string;
  /** A month's final figure, typed in after the month ended. */
  final: boolean;
  note: string;
  /** Odometer: what it adds over the figure before it in its month. Balance: the drop since the previous reading. Null for top-ups and a first balance. */
  spendUsd: Usd | null;
  /** Balance only: a rise no recorded top-up explains, taken as an unrecorded top-up. */
  inferredTopupUsd: Usd | null;
  /** The reading this one corrected (--replace), if any. */
  replacesId: number | null;
  /** 'user': typed in; 'api': a balance the provider's API reported during a sync. */
  origin: 'user' | 'api';
}

export interface MonthView {
  month: string;
  /** The month's figure: its final figure, else its latest reading. */
  totalUsd: Usd;
  status: MonthStatusName;
  lastReadingAt: string | null;
  /** The final figure entered afterwards, when there is one. */
  finalUsd: Usd | null;
}

export interface BalanceView {
  /** The last balance reading plus top-ups recorded after it. */
  balanceUsd: Usd;
  asOf: string;
  /** Spend readings measured over the last 30 days. */
  spentLast30DaysUsd: Usd;
  /** Average spend per day over the time readings cover in the last 30 days; null before two readings. */
  burnPerDayUsd: Usd | null;
  /** Whole days the balance lasts from now at that pace; null when there is no pace yet. */
  runwayDays: number | null;
  /** Local day the balance runs out at that pace. */
  runsOutOn: string | null;
}

export interface ProviderView {
  provider: string;
  name: string;
  mode: TrackingModeName;
  defaultMode: TrackingModeName;
  /** Stored by the user (or by `subscription add`), as opposed to the catalogue's default. */
  configured: boolean;
  billingTimeZone: string;
  /** Has a billing API Burnrate can sync. */
  syncable: boolean;
  lastReading: { kind: 'odometer' | 'balance'; amountUsd: Usd; takenAt: string } | null;
  /** Odometer providers: the current billing month's figure (null without a reading this month). */
  monthToDateUsd: Usd | null;
  /** Balance providers: the current balance and runway. */
  balance: BalanceView | null;
}

export interface ProviderList {
  providers: ProviderView[];
}

export interface ProviderReadings {
  provider: string;
  mode: TrackingModeName;
  billingTimeZone: string;
  /** Newest first; top-ups included; deleted readings are not listed. */
  readings: ReadingView[];
  /** Odometer months, newest first. */
  months: MonthView[];
  balance: BalanceView | null;
}

export interface ReadingAddResult {
  reading: ReadingView;
  /** The reading --replace corrected. */
  replaced: ReadingView | null;
  mode: 'odometer' | 'balance';
  /** Odometer: the month the reading belongs to, after it. */
  month: MonthView | null;
  /** Odometer: the previous month, when this reading was the reset that closed it. */
  closedMonth: MonthView | null;
  balance: BalanceView | null;
}

export interface ReadingDeleteResult {
  deleted: ReadingView;
  month: MonthView | null;
  balance: BalanceView | null;
}

export interface TopupResult {
  topup: ReadingView;
  balance: BalanceView | null;
}

export interface SubscriptionView {
  id: number;
  name: string;
  provider: string;
  monthlyUsd: Usd;
  dayOfMonth: number;
  startedOn: string;
  endedOn: string | null;
  active: boolean;
  /** Next charge day (the day of month, clamped to short months); null once ended. */
  nextChargeOn: string | null;
}

export interface SubscriptionList {
  subscriptions: SubscriptionView[];
  /** Sum of the active subscriptions' monthly fees. */
  monthlyTotalUsd: Usd;
}

export interface SubscriptionRemoveResult {
  subscription: SubscriptionView;
  /** true: the subscription and every row it produced were deleted; false: it ended today, history kept. */
  purged: boolean;
}

export interface ReminderView extends Reminder {
  state: 'due' | 'snoozed' | 'dismissed' | 'answered';
  createdAt: string;
  snoozedUntil: string | null;
}

export interface ReminderList {
  /** Due reminders first, then snoozed ones. */
  reminders: ReminderView[];
}

// ---- inputs (validated by the contract's schemas in src/api/contract/odometer.ts) --------------

export interface ReadingAddInput {
  provider: string;
  /** A decimal amount in USD, as typed. */
  amount: string;
  at?: string | undefined;
  note?: string | undefined;
  /** Correct the latest reading instead of adding one. */
  replace: boolean;
  /** With final: the billing month the figure closes (YYYY-MM). */
  month?: string | undefined;
  final: boolean;
}

export interface SubscriptionAddInput {
  name: string;
  /** The monthly fee in USD, as typed. */
  monthly: string;
  /** Day of the month it is charged, 1 to 31 (clamped to short months). */
  day: number;
  provider?: string | undefined;
  /** First day it counts (YYYY-MM-DD); today when absent. */
  since?: string | undefined;
}
