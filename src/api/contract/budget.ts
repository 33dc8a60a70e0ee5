import { z } from '../../model/zod';
import type { Health } from '../../model/views';
import type { CapHealth } from '../../budget/snapshot';
import type { AlertDetail } from '../../budget/alerts';
import { ALERT_LEVELS, CHANNEL_KINDS, type ChannelKind, type ChannelReceives } from '../../notify/channels';
import { POLICIES, type Policy } from '../../budget/policies';
import { PROJECT_NAME } from '../../budget/budgets';
import { method } from '../define';
import { noFields, providerSlug, type Usd } from '../schemas';

// ---- results ------------------------------------------------------------------------------------

export interface BudgetPeriodView {
  budgetUsd: Usd | null;
  reserveUsd: Usd | null;
  spendableUsd: Usd | null;
  spentUsd: Usd;
  /** Spendable minus spent (negative once into the reserve); null without a budget. */
  leftUsd: Usd | null;
  health: Health | null;
}

export interface ForecastView {
  /** Projected month-end total. */
  forecastUsd: Usd;
  /** The day the monthly budget is passed at this pace, or null. */
  runsOutOn: string | null;
  /** Expected variable spend of an average day. */
  dailyRateUsd: Usd;
  /** Complete days the rate is based on. */
  basisDays: number;
  weekdayAware: boolean;
  /** Subscription fees of this month not in the ledger yet, included in the forecast. */
  fixedAheadUsd: Usd;
}

export interface CapView {
  provider: string;
  capUsd: Usd;
  spentUsd: Usd;
  /** Share of the cap used, in percent with two decimals at most. */
  usedPct: number | null;
  health: CapHealth;
  /**
   * Whether the metering proxy has a route to this provider, so its policy can refuse requests at
   * the cap; a subscription or a provider used only through its console has alerts alone.
   */
  proxied: boolean;
}

export interface ProjectCapView {
  project: string;
  capUsd: Usd;
  spentUsd: Usd;
  usedPct: number | null;
  health: CapHealth;
}

export interface RunwayView {
  provider: string;
  balanceUsd: Usd;
  /** When the balance was read. */
  asOf: string;
  dailyBurnUsd: Usd;
  days: number | null;
  runsOutOn: string | null;
}

export interface BudgetView {
  asOf: string;
  timezone: string;
  /** The reserve held back of each budget, in percent. */
  reservePct: number;
  day: BudgetPeriodView & { date: string };
  month: BudgetPeriodView & { month: string; forecast: ForecastView };
  caps: CapView[];
  /** Monthly caps per project (the project of X-Burnrate-Project, /p/NAME/ or an agent log). */
  projectCaps: ProjectCapView[];
  runway: RunwayView[];
  /** What the metering proxy does at each budget's line (docs/proxy.md): caps by provider, project caps by project. */
  policies: { daily: Policy; monthly: Policy; caps: Record<string, Policy>; projects: Record<string, Policy> };
}

export type { AlertDetail } from '../../budget/alerts';

export interface AlertList {
  alerts: AlertDetail[];
  /** Alerts not acknowledged (and not superseded by a higher one). */
  open: number;
}

export interface ChannelView {
  id: number;
  kind: ChannelKind;
  /** Redacted: the URL of a webhook is its password. Email: smtp(s)://[user@]host:port (no password in it). */
  url: string;
  /** Email only: recipients and sender ('' for webhooks). */
  emailTo: string;
  emailFrom: string;
  /** What it receives: alerts from a level up (or none), reminders, monthly reports. */
  receives: ChannelReceives;
  createdAt: string;
  pending: number;
  delivered: number;
  failed: number;
  lastError: string | null;
}

export interface ChannelList {
  channels: ChannelView[];
}

export interface ChannelAddResult {
  channel: ChannelView;
  /** False when the same kind and URL existed already. */
  created: boolean;
}

export interface ChannelTestResult {
  channel: ChannelView;
  ok: boolean;
  error: string | null;
}

// ---- inputs -------------------------------------------------------------------------------------

/** An amount, or none/off/null to remove the budget; checked in the handler for a precise message. */
const budgetAmount = () => z.union([z.string().trim().max(40), z.number(), z.null()]);

/** A yes/no that also arrives as text over GET query strings. */
const flag = () =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
    .transform((v) => v === true || v === 'true' || v === '1' || v === '');

const id = () => z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be a positive number');

export const budgetSetInput = () =>
  z
    .object({
      daily: budgetAmount().optional(),
      monthly: budgetAmount().optional(),
      reservePct: z.union([z.string().trim().max(20), z.number()]).optional(),
      provider: providerSlug().optional(),
      /** A project's monthly cap (with monthly). */
      project: z.string().trim().regex(PROJECT_NAME, 'must be a project name of 1 to 100 letters, digits, spaces or . @ : / - _').optional(),
      /** The metering proxy's policy for the budgets named (all set budgets when none is named). */
      policy: z.enum(POLICIES).optional(),
    })
    .strict();

/** What a channel receives, each optional (unchanged or the default when absent). */
const receivesInput = () => ({
  alerts: z.enum(ALERT_LEVELS).optional(),
  reminders: flag().optional(),
  reports: flag().optional(),
});

// ---- methods ------------------------------------------------------------------------------------

export const budgetMethods = {
  budgetShow: method<BudgetView>()({
    kind: 'read',
    description: 'The budgets (daily, monthly, reserve, provider caps) with where each stands, the month forecast and prepaid runway.',
    input: noFields,
  }),
  budgetSet: method<BudgetView>()({
    kind: 'write',
    description: 'Set or remove the daily or monthly budget, the reserve percentage, a provider\'s monthly cap (provider + monthly) or a project\'s (project + monthly); policy (enforce, warn, off) tells the metering proxy what to do at those lines.',
    input: budgetSetInput,
  }),
  alerts: method<AlertList>()({
    kind: 'read',
    description: 'Open alerts, newest first; all: include acknowledged and superseded ones.',
    input: () => z.object({ all: flag().optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }).strict(),
  }),
  alertAck: method<AlertDetail>()({
    kind: 'write',
    description: 'Acknowledge an alert by id (acknowledging twice is fine).',
    input: () => z.object({ id: id() }).strict(),
  }),
  channels: method<ChannelList>()({
    kind: 'read',
    description: 'Webhook channels that receive alerts (URLs redacted), with their delivery counts.',
    input: noFields,
  }),
  channelAdd: method<ChannelAddResult>()({
    kind: 'write',
    description:
      'Send alerts (and monthly reports) to a Slack incoming webhook, a Discord webhook, an ntfy topic, any URL (generic JSON POST) or email over SMTP (url smtp://[user@]host:port or smtps://…, to, from; the password goes to the OS keychain).',
    input: () => z
      .object({
        kind: z.enum(CHANNEL_KINDS),
        url: z.string().trim().min(1, 'must be the webhook URL').max(2000),
        to: z.string().trim().max(1000).optional(),
        from: z.string().trim().max(320).optional(),
        password: z.string().max(1000).optional(),
        ...receivesInput(),
      })
      .strict(),
  }),
  channelSet: method<ChannelView>()({
    kind: 'write',
    description: 'Choose what a channel receives: alerts from a level up (info, warning, critical) or none, reminders, monthly reports.',
    input: () => z.object({ id: id(), ...receivesInput() }).strict(),
  }),
  channelRemove: method<ChannelView>()({
    kind: 'write',
    description: 'Stop sending alerts to a channel; its undelivered notifications are dropped.',
    input: () => z.object({ id: id() }).strict(),
  }),
  channelTest: method<ChannelTestResult>()({
    kind: 'write',
    description: 'Send a test message to a channel now and report the answer.',
    input: () => z.object({ id: id() }).strict(),
  }),
};
