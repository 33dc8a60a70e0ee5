import type { output } from 'zod';
import { z } from '../../model/zod';
import { method } from '../define';
import { isoDate, isoInstant, isoMonth, noFields, providerSlug, usdAmount } from '../schemas';

// Methods of the odometer area: provider tracking modes, odometer and balance readings, top-ups,
// subscriptions and reminders. docs/odometer.md explains the rules behind the figures.

// ---- results ------------------------------------------------------------------------------------

import type { ReadingAddInput, SubscriptionAddInput } from '../../model/odometer-views';
import type { SubscriptionPreview } from '../../budget/subscription-preview';
export type { SubscriptionPreview, PreviewPeriod } from '../../budget/subscription-preview';
import type { BalanceView, MonthStatusName, MonthView, ProviderList, ProviderReadings, ProviderView, ReadingAddResult, ReadingDeleteResult, ReadingView, ReminderList, ReminderView, SubscriptionList, SubscriptionRemoveResult, SubscriptionView, TopupResult, TrackingModeName } from '../../model/odometer-views';
export type { BalanceView, MonthStatusName, MonthView, ProviderList, ProviderReadings, ProviderView, ReadingAddResult, ReadingDeleteResult, ReadingView, ReminderList, ReminderView, SubscriptionList, SubscriptionRemoveResult, SubscriptionView, TopupResult, TrackingModeName };

// ---- methods ------------------------------------------------------------------------------------

const note = () => z.string().trim().max(500, 'must be at most 500 characters');
const readingId = () => z.coerce.number({ message: 'must be a reading id (a whole number)' }).int('must be a whole number').positive('must be a reading id');

const readingAddInput = () =>
  z
    .object({
      provider: providerSlug(),
      amount: usdAmount(),
      at: isoInstant().optional(),
      note: note().optional(),
      replace: z.boolean().default(false),
      month: isoMonth().optional(),
      final: z.boolean().default(false),
    })
    .strict();

export const subscriptionAddInput = () =>
  z
    .object({
      name: z.string().trim().min(1, 'must name the subscription').max(100),
      monthly: usdAmount(),
      day: z.coerce.number({ message: 'must be a day of the month, 1 to 31' }).int('must be a whole day of the month').min(1, 'must be 1 to 31').max(31, 'must be 1 to 31'),
      provider: providerSlug().optional(),
      since: isoDate().optional(),
    })
    .strict();

const reminderId = () => z.coerce.number({ message: 'must be a reminder id' }).int().positive('must be a reminder id');

export const odometerMethods = {
  providers: method<ProviderList>()({
    kind: 'read',
    description: 'Every provider Burnrate knows or you configured, with its tracking mode, billing zone, last reading and balance.',
    input: noFields,
  }),
  providerSet: method<ProviderView>()({
    kind: 'write',
    description: "Set a provider's tracking mode (api, odometer, balance, subscription, manual) and the zone of its billing month.",
    input: () => z
      .object({
        provider: providerSlug(),
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
    input: () => z.object({ provider: providerSlug() }).strict(),
  }),
  readingDelete: method<ReadingDeleteResult>()({
    kind: 'write',
    description: 'Delete a reading or top-up by id (kept as history); the figures are re-derived without it.',
    input: () => z.object({ id: readingId() }).strict(),
  }),
  topup: method<TopupResult>()({
    kind: 'write',
    description: "Record money added to a balance-mode provider's prepaid balance, so the rise is not taken for negative spend.",
    input: () => z.object({ provider: providerSlug(), amount: usdAmount(), at: isoInstant().optional(), note: note().optional() }).strict(),
  }),
  subscriptions: method<SubscriptionList>()({
    kind: 'read',
    description: 'Flat monthly subscriptions (ChatGPT Plus, Claude Pro, Copilot …).',
    input: noFields,
  }),
  subscriptionAdd: method<SubscriptionView>()({
    kind: 'write',
    description: 'Add a flat monthly subscription; its fee counts in every month it runs, spread evenly over the month\'s days.',
    input: subscriptionAddInput,
  }),
  subscriptionPreview: method<SubscriptionPreview>()({
    kind: 'read',
    description:
      "What adding a subscription would do to today's and this month's figures (and its provider's cap), checked as adding it is; nothing is saved.",
    input: subscriptionAddInput,
  }),
  subscriptionRemove: method<SubscriptionRemoveResult>()({
    kind: 'write',
    description: 'End a subscription today (past months keep their fee), or with purge delete it and every row it produced.',
    input: () => z.object({ id: z.coerce.number({ message: 'must be a subscription id' }).int().positive('must be a subscription id'), purge: z.boolean().default(false) }).strict(),
  }),
  reminders: method<ReminderList>()({
    kind: 'read',
    description: 'Reminders to check a console: month-end checks, stale readings, months without a final figure. Due and snoozed ones; with dismissed, the dismissed ones too.',
    // A query string carries "true"/"false": read them as words, not as truthy strings.
    input: () => z.object({ dismissed: z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1').default(false) }).strict(),
  }),
  reminderSnooze: method<ReminderView>()({
    kind: 'write',
    description: 'Hide a reminder for some hours (default 24); it comes back afterwards unless answered.',
    input: () => z
      .object({
        id: reminderId(),
        hours: z.coerce.number({ message: 'must be a number of hours' }).int('must be whole hours').min(1, 'must be at least 1').max(24 * 90, 'must be at most 2160 (90 days)').default(24),
      })
      .strict(),
  }),
  reminderUnsnooze: method<ReminderView>()({
    kind: 'write',
    description: 'End a reminder\'s snooze now, so it is due again.',
    input: () => z.object({ id: reminderId() }).strict(),
  }),
  reminderDismiss: method<ReminderView>()({
    kind: 'write',
    description: 'Dismiss a reminder for good.',
    input: () => z.object({ id: reminderId() }).strict(),
  }),
};

// The domain takes plain input types (src/model); the schemas above must produce exactly them.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const odometerInputsMatch: [
  Same<output<ReturnType<typeof readingAddInput>>, ReadingAddInput>,
  Same<output<typeof odometerMethods.subscriptionAdd.input>, SubscriptionAddInput>,
] = [true, true];
