import { z } from 'zod';
import { method } from '../define';
import { isoDate, isoInstant, isoMonth, providerSlug, usdAmount, type Usd } from '../schemas';
import type { Reminder } from './core';

// Methods of the odometer area: provider tracking modes, odometer and balance readings, top-ups,
// subscriptions and reminders. docs/odometer.md explains the rules behind the figures.

// ---- results ------------------------------------------------------------------------------------

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

// ---- methods ------------------------------------------------------------------------------------

const note = z.string().trim().max(500, 'must be at most 500 characters');
const readingId = z.coerce.number({ message: 'must be a reading id (a whole number)' }).int('must be a whole number').positive('must be a reading id');

export const readingAddInput = z
  .object({
    provider: providerSlug,
    amount: usdAmount,
    at: isoInstant.optional(),
    note: note.optional(),
    replace: z.boolean().default(false),
    month: isoMonth.optional(),
    final: z.boolean().default(false),
  })
  .strict();

export const odometerMethods = {
  providers: method<ProviderList>()({
    kind: 'read',
    description: 'Every provider Burnrate knows or you configured, with its tracking mode, billing zone, last reading and balance.',
    input: z.object({}).strict(),
  }),
  providerSet: method<ProviderView>()({
    kind: 'write',
    description: "Set a provider's tracking mode (api, odometer, balance, subscription, manual) and the zone of its billing month.",
    input: z
      .object({
        provider: providerSlug,
        mode: z.enum(['api', 'odometer', 'balance', 'subscription', 'manual'], { message: 'must be one of api, odometer, balance, subscription, manual' }).optional(),
        billingTz: z.string().trim().min(1).max(64).optional(),
      })
      .strict(),
  }),
  readingAdd: method<ReadingAddResult>()({
    kind: 'write',
    description:
      "Enter a figure from a provider's console: its month-to-date spend (odometer mode) or its prepaid balance (balance mode). replace corrects the latest reading; month with final gives a past month's final figure.",
    input: readingAddInput,
  }),
  readings: method<ProviderReadings>()({
    kind: 'read',
    description: "A provider's readings (newest first), its months with their status, and its balance and runway.",
    input: z.object({ provider: providerSlug }).strict(),
  }),
  readingDelete: method<ReadingDeleteResult>()({
    kind: 'write',
    description: 'Delete a reading or top-up by id (kept as history); the figures are re-derived without it.',
    input: z.object({ id: readingId }).strict(),
  }),
  topup: method<TopupResult>()({
    kind: 'write',
    description: "Record money added to a balance-mode provider's prepaid balance, so the rise is not taken for negative spend.",
    input: z.object({ provider: providerSlug, amount: usdAmount, at: isoInstant.optional(), note: note.optional() }).strict(),
  }),
  subscriptions: method<SubscriptionList>()({
    kind: 'read',
    description: 'Flat monthly subscriptions (ChatGPT Plus, Claude Pro, Copilot …).',
    input: z.object({}).strict(),
  }),
  subscriptionAdd: method<SubscriptionView>()({
    kind: 'write',
    description: 'Add a flat monthly subscription; its fee counts in every month it runs, spread evenly over the month\'s days.',
    input: z
      .object({
        name: z.string().trim().min(1, 'must name the subscription').max(100),
        monthly: usdAmount,
        day: z.coerce.number({ message: 'must be a day of the month, 1 to 31' }).int('must be a whole day of the month').min(1, 'must be 1 to 31').max(31, 'must be 1 to 31'),
        provider: providerSlug.optional(),
        since: isoDate.optional(),
      })
      .strict(),
  }),
  subscriptionRemove: method<SubscriptionRemoveResult>()({
    kind: 'write',
    description: 'End a subscription today (past months keep their fee), or with purge delete it and every row it produced.',
    input: z.object({ id: z.coerce.number({ message: 'must be a subscription id' }).int().positive('must be a subscription id'), purge: z.boolean().default(false) }).strict(),
  }),
  reminders: method<ReminderList>()({
    kind: 'read',
    description: 'Reminders to check a console: month-end checks, stale readings, months without a final figure.',
    input: z.object({}).strict(),
  }),
  reminderSnooze: method<ReminderView>()({
    kind: 'write',
    description: 'Hide a reminder for some hours (default 24); it comes back afterwards unless answered.',
    input: z
      .object({
        id: z.coerce.number({ message: 'must be a reminder id' }).int().positive('must be a reminder id'),
        hours: z.coerce.number({ message: 'must be a number of hours' }).int('must be whole hours').min(1, 'must be at least 1').max(24 * 90, 'must be at most 2160 (90 days)').default(24),
      })
      .strict(),
  }),
  reminderDismiss: method<ReminderView>()({
    kind: 'write',
    description: 'Dismiss a reminder for good.',
    input: z.object({ id: z.coerce.number({ message: 'must be a reminder id' }).int().positive('must be a reminder id') }).strict(),
  }),
};
