/**
 * OpenRouter. Reference: ../shared/providers.md §4. All money is JSON numbers in USD.
 *
 * - Any key: GET /api/v1/key describes THAT key (usage_daily/weekly/monthly, limit, limit_remaining,
 *   is_management_key). With an ordinary key Burnrate stores today's UTC-day figure as a billed row
 *   for today (revised on every sync). It covers this key only, and the last part of a UTC day after
 *   the day's final sync is not seen: a management key gives exact days instead.
 * - Management key: GET /api/v1/credits (balance = total_credits − total_usage) as a balance reading,
 *   and GET /api/v1/activity (one row per date × model × endpoint for the last 30 completed UTC days)
 *   as billed rows per day × model. /activity documents no paging: one request covers it.
 */
import { z } from 'zod';
import type { BilledCostInput } from '../ledger/billed';
import { addNano, formatUsd, subNano, usdFromJsonNumber, type Nano } from '../money';
import { malformedError, said, SyncError } from '../sync/errors';
import type { ErrorRefiner } from '../sync/http';
import type { KeyKind, KeyTestResult, ProviderClient, ProviderClientContext, SyncPage, SyncWindow } from './types';
import {
  addUtcDays,
  dailyWindow,
  externalKey,
  failedKeyTest,
  fetchAnswer,
  keyTestContext,
  moneyFrom,
  USER_AGENT,
  utcDay,
  utcDayStart,
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
    usage: usd,
    usage_daily: usd,
    usage_weekly: usd,
    usage_monthly: usd,
    is_free_tier: z.boolean().nullable().optional(),
    is_management_key: z.boolean().nullable().optional(),
    is_provisioning_key: z.boolean().nullable().optional(),
  }),
});

const creditsAnswer = z.object({ data: z.object({ total_credits: usd, total_usage: usd }) });

const activityAnswer = z.object({
  data: z.array(
    z.object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a YYYY-MM-DD date'),
      model: z.string(),
      endpoint_id: z.string().nullable().optional(),
      provider_name: z.string().nullable().optional(),
      usage: usd,
      byok_usage_inference: optionalUsd,
      requests: z.number().nullable().optional(),
      prompt_tokens: z.number().nullable().optional(),
      completion_tokens: z.number().nullable().optional(),
      reasoning_tokens: z.number().nullable().optional(),
    }),
  ),
});

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

/** Today's figure for an ordinary key: one billed row for the current UTC day. */
export function keyDayRow(info: KeyInfo, now: Date): BilledCostInput {
  const start = utcDayStart(now);
  const optional = (v: number | null | undefined, label: string): string | null =>
    v === null || v === undefined ? null : formatUsd(money(v, label));
  return {
    provider: PROVIDER,
    externalId: externalKey('key-day', utcDay(start)),
    bucketStart: start,
    bucketEnd: addUtcDays(start, 1),
    amountNano: money(info.usage_daily, 'daily usage'),
    metadata: {
      scope: 'key',
      usageWeeklyUsd: formatUsd(money(info.usage_weekly, 'weekly usage')),
      usageMonthlyUsd: formatUsd(money(info.usage_monthly, 'monthly usage')),
      limitUsd: optional(info.limit, 'limit'),
      limitRemainingUsd: optional(info.limit_remaining, 'remaining limit'),
    },
  };
}

/** Activity rows summed per (date, model), kept when the day starts inside the window. */
export function activityRows(rows: z.infer<typeof activityAnswer>['data'], window: SyncWindow): BilledCostInput[] {
  const { start, end } = dailyWindow(window);
  const byKey = new Map<string, BilledCostInput & { metadata: Record<string, number> }>();
  for (const row of rows) {
    const day = new Date(`${row.date.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(day.getTime())) throw malformedError(PROVIDER, 'the activity list', `bad date ${row.date}`);
    if (day.getTime() < start.getTime() || day.getTime() >= end.getTime()) continue;
    const id = externalKey('activity', utcDay(day), row.model);
    const amount = money(row.usage, 'activity usage');
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
      const today = utcDayStart(now);
      const { start, end } = dailyWindow(window);
      const inWindow = today.getTime() >= start.getTime() && today.getTime() < end.getTime();
      yield inWindow ? { billed: [keyDayRow(info, now)] } : {};
      return;
    }
    const credits = (await fetchAnswer(ctx, { ...api(ctx), path: OPENROUTER_CREDITS_PATH, schema: creditsAnswer, what: 'the credits' })).data;
    const balance = subNano(money(credits.total_credits, 'total credits'), money(credits.total_usage, 'total usage'));
    // A balance reading cannot be negative; an account that used more than it bought has nothing left.
    yield { balance: { amountNano: Math.max(0, balance), currency: 'USD', at: now } };
    const activity = await fetchAnswer(ctx, { ...api(ctx), path: OPENROUTER_ACTIVITY_PATH, schema: activityAnswer, what: 'the activity list' });
    yield { billed: activityRows(activity.data, window) };
  },
};
