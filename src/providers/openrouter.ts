/**
 * OpenRouter. Reference: ../shared/providers.md §4. All money is JSON numbers in USD.
 *
 * - Any key: GET /api/v1/key describes THAT key (usage_daily/weekly/monthly, limit, limit_remaining,
 *   is_management_key). With an ordinary key, usage_monthly is a month-to-date odometer the API reads
 *   for us on every sync: it is recorded as an odometer reading (origin 'api') and the days between
 *   syncs are derived as for Groq (src/odometer/apiOdometer.ts), so the month total always equals
 *   usage_monthly, even on a first sync mid-month. It covers this key only; a management key gives
 *   exact days instead. byok_usage_monthly (requests paid with the user's own upstream key, billed
 *   by that provider, not OpenRouter) is kept as a figure shown apart, never added to the spend.
 * - Management key: GET /api/v1/credits (balance = total_credits − total_usage) as a balance reading,
 *   and GET /api/v1/activity (one row per date × model × endpoint for the last 30 completed UTC days)
 *   as billed rows per day × model. /activity documents no paging: one request covers it.
 */
import { z } from 'zod';
import type { BilledCostInput } from '../ledger/billed';
import { addNano, subNano, usdFromJsonNumber, type Nano } from '../money';
import { said, SyncError } from '../sync/errors';
import type { ErrorRefiner } from '../sync/http';
import type { KeyKind, KeyTestResult, ProviderClient, ProviderClientContext, SyncPage, SyncWindow, UnreadableRow } from './types';
import {
  addUtcDays,
  dailyWindow,
  externalKey,
  failedKeyTest,
  fetchAnswer,
  keyTestContext,
  moneyFrom,
  moneyValue,
  readRows,
  RowError,
  USER_AGENT,
  utcDay,
  type ProviderApi,
} from './util';

const PROVIDER = 'openrouter';
export const OPENROUTER_KEY_PATH = '/api/v1/key';
export const OPENROUTER_CREDITS_PATH = '/api/v1/credits';
export const OPENROUTER_ACTIVITY_PATH = '/api/v1/activity';

const usd = z.number();
const optionalUsd = usd.nullable().optional();

const keyAnswer = z.object({
  data: z.object({
    limit: optionalUsd,
    limit_remaining: optionalUsd,
    limit_reset: z.string().nullable().optional(),
    usage: optionalUsd,
    usage_daily: optionalUsd,
    usage_weekly: optionalUsd,
    usage_monthly: usd,
    byok_usage_monthly: optionalUsd,
    is_free_tier: z.boolean().nullable().optional(),
    is_management_key: z.boolean().nullable().optional(),
    is_provisioning_key: z.boolean().nullable().optional(),
  }),
});

const creditsAnswer = z.object({ data: z.object({ total_credits: usd, total_usage: usd }) });

/** The envelope; each activity row is read on its own (readRows), an unreadable one kept aside. */
const activityAnswer = z.object({ data: z.array(z.unknown()) });

const activityRow = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a YYYY-MM-DD date'),
  model: z.string(),
  endpoint_id: z.string().nullable().optional(),
  provider_name: z.string().nullable().optional(),
  usage: z.unknown(),
  byok_usage_inference: optionalUsd,
  requests: z.number().nullable().optional(),
  prompt_tokens: z.number().nullable().optional(),
  completion_tokens: z.number().nullable().optional(),
  reasoning_tokens: z.number().nullable().optional(),
});

/** The kept-aside scope of the activity list: each answer replaces the last one's. */
const ACTIVITY_SCOPE = 'activity';

type KeyInfo = z.infer<typeof keyAnswer>['data'];

/** Ordinary and management keys look alike (sk-or-v1-…): only GET /key tells them apart. */
export function classifyOpenRouterKey(_key: string): KeyKind {
  return 'unknown';
}

const refine: ErrorRefiner = (answer, fallback) => {
  if (answer.status === 403 && !fallback.quota) {
    return new SyncError(
      'permission',
      'OpenRouter only shows credits and daily activity to a management key' +
        said(answer.message) +
        ". Create one under Settings → Management keys on openrouter.ai, then store it as Burnrate's OpenRouter key.",
      { provider: PROVIDER, status: 403, retryable: false, reason: 'key_needs_admin' },
    );
  }
  return undefined;
};

/** What every request carries: the key, our name (OpenRouter asks apps to give one), our wording of refusals. */
function api(ctx: ProviderClientContext): ProviderApi {
  return {
    provider: PROVIDER,
    headers: { authorization: `Bearer ${ctx.key}`, 'user-agent': USER_AGENT, 'x-title': 'Burnrate' },
    refine,
  };
}

function money(value: number, what: string): Nano {
  return moneyFrom(PROVIDER, `the ${what}`, () => usdFromJsonNumber(value, { label: what }));
}

async function fetchKey(ctx: ProviderClientContext): Promise<KeyInfo> {
  return (await fetchAnswer(ctx, { ...api(ctx), path: OPENROUTER_KEY_PATH, schema: keyAnswer, what: 'the key description' })).data;
}

/** "2026-11" of an instant, in UTC: OpenRouter's usage_monthly is a UTC calendar month. */
function utcMonth(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * The ids of the per-day rows earlier versions stored for an ordinary key ("key-day|2026-11-03"):
 * for the month the odometer now covers they would outrank it day by day, so they are retired.
 * Earlier months keep theirs (nothing else knows those months).
 */
export function keyDayIdsOf(month: string): string[] {
  const first = new Date(`${month}-01T00:00:00Z`);
  const ids: string[] = [];
  for (let day = first; utcMonth(day) === month; day = addUtcDays(day, 1)) ids.push(externalKey('key-day', utcDay(day)));
  return ids;
}

/** What one sync with an ordinary key stores: the month-to-date odometer, BYOK apart, old day rows retired. */
export function keyPage(info: KeyInfo, now: Date): SyncPage {
  const month = utcMonth(now);
  const byok = info.byok_usage_monthly;
  return {
    odometer: { amountNano: money(info.usage_monthly, 'monthly usage'), at: now },
    ...(byok !== null && byok !== undefined ? { figures: [{ name: 'byok_month' as const, period: month, amountNano: money(byok, 'monthly BYOK usage'), at: now }] } : {}),
    retireBilled: keyDayIdsOf(month),
  };
}

/** Activity rows summed per (date, model), kept when the day starts inside the window. */
export function activityRows(rows: readonly unknown[], window: SyncWindow, aside: UnreadableRow[] = []): BilledCostInput[] {
  const { start, end } = dailyWindow(window);
  const byKey = new Map<string, BilledCostInput & { metadata: Record<string, number> }>();
  const readable = readRows(rows, activityRow, ACTIVITY_SCOPE, (row) => {
    const day = new Date(`${row.date.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(day.getTime())) throw new RowError(`date ${JSON.stringify(row.date)} is not a day.`);
    return { row, day, amount: moneyValue(row.usage, 'usd', 'usage') };
  }, aside);
  for (const { row, day, amount } of readable) {
    if (day.getTime() < start.getTime() || day.getTime() >= end.getTime()) continue;
    const id = externalKey('activity', utcDay(day), row.model);
    const seen = byKey.get(id);
    const tokens = {
      requests: row.requests ?? 0,
      promptTokens: row.prompt_tokens ?? 0,
      completionTokens: row.completion_tokens ?? 0,
      reasoningTokens: row.reasoning_tokens ?? 0,
    };
    if (seen) {
      seen.amountNano = addNano(seen.amountNano, amount);
      for (const [k, v] of Object.entries(tokens)) seen.metadata[k] = (seen.metadata[k] ?? 0) + v;
    } else {
      byKey.set(id, {
        provider: PROVIDER,
        externalId: id,
        bucketStart: day,
        bucketEnd: addUtcDays(day, 1),
        model: row.model,
        amountNano: amount,
        metadata: { ...tokens },
      });
    }
  }
  return [...byKey.values()];
}

export const openrouter: ProviderClient = {
  provider: PROVIDER,
  defaultBaseUrl: 'https://openrouter.ai',

  classifyKey: classifyOpenRouterKey,

  async testKey(ctx): Promise<KeyTestResult> {
    try {
      const info = await fetchKey(keyTestContext(ctx));
      if (info.is_management_key || info.is_provisioning_key) {
        return {
          ok: true,
          kind: 'management',
          can: ['read the account balance (credits)', 'read daily spend per model for the last 30 completed days (activity)'],
          cannot: ['see spend of the current UTC day before it ends (activity lists completed days only)'],
          message: 'This management key can read the account balance and daily activity.',
        };
      }
      return {
        ok: true,
        kind: 'normal',
        can: ["read this key's own usage today, this week and this month", "read this key's spending limit"],
        cannot: [
          'read the account balance or daily activity (needs a management key)',
          "see spend of the account's other keys",
        ],
        message: 'This is an ordinary key: Burnrate can track what this key spends; a management key would show the whole account.',
      };
    } catch (err) {
      return failedKeyTest(err, 'unknown');
    }
  },

  async *sync(ctx, window: SyncWindow): AsyncIterable<SyncPage> {
    const now = ctx.clock.now();
    const info = await fetchKey(ctx);
    const management = Boolean(info.is_management_key || info.is_provisioning_key);
    if (!management) {
      // A management key's own usage is not the account's: only an ordinary key's figure is stored.
      yield keyPage(info, now);
      return;
    }
    const credits = (await fetchAnswer(ctx, { ...api(ctx), path: OPENROUTER_CREDITS_PATH, schema: creditsAnswer, what: 'the credits' })).data;
    const balance = subNano(money(credits.total_credits, 'total credits'), money(credits.total_usage, 'total usage'));
    // A balance reading cannot be negative; an account that used more than it bought has nothing left.
    yield { balance: { amountNano: Math.max(0, balance), currency: 'USD', at: now } };
    const activity = await fetchAnswer(ctx, { ...api(ctx), path: OPENROUTER_ACTIVITY_PATH, schema: activityAnswer, what: 'the activity list' });
    const aside: UnreadableRow[] = [];
    yield { billed: activityRows(activity.data, window, aside), unreadable: { scopes: [ACTIVITY_SCOPE], rows: aside } };
  },
};
