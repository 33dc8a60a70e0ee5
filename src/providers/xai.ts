/**
 * xAI: the Management API (base https://management-api.x.ai, a MANAGEMENT key, not an inference key).
 * Reference: ../shared/providers.md §6. Several parts are UNCONFIRMED; each is marked [U] below and
 * in docs/providers.md, and is parsed defensively so a surprise gives a clear error, not wrong money.
 *
 * - Team id: BURNRATE_XAI_TEAM_ID, else discovered with GET /auth/management-keys/validation,
 *   reading teamId / team_id / scopeId from its answer [U: third-party code, not the docs].
 * - GET /v1/billing/teams/{team}/prepaid/balance → a balance reading. Money is Cent {val} in USD
 *   cents, val an int64 as a JSON string [C, proto]. The SIGN of `total` is UNCONFIRMED [U]: the proto
 *   ledger has purchases negative and spend positive, and third-party code reads total inverted
 *   (-3170 = $31.70 left). See availableCents for how we decide. A variant answer
 *   {currentBalance:{val}, balanceChanges:[]} is accepted too [U].
 * - POST /v1/billing/teams/{team}/usage (analytics) → billed rows per day × group. The method is
 *   POST per third-party code [U]; the value name "usd" and group-by field "model_name" are
 *   UNDOCUMENTED guesses [U]; values are taken as USD numbers [U]; times are "YYYY-MM-DD HH:MM:SS"
 *   in the given zone per the proto comments [C].
 * The postpaid invoice preview is not read yet (its units differ per field and are partly [U]).
 */
import { z } from 'zod';
import type { BilledCostInput } from '../ledger/billed';
import { nanoFromCentsInteger, parseUsd, usdFromJsonNumber, type Nano } from '../money';
import { configError, malformedError, said, SyncError } from '../sync/errors';
import type { ErrorRefiner } from '../sync/http';
import type { KeyKind, KeyTestResult, ProviderClient, ProviderClientContext, SyncPage, SyncWindow } from './types';
import {
  addUtcDays,
  dailyWindow,
  externalKey,
  failedKeyTest,
  fetchAnswer,
  keyTestContext,
  mergeBilled,
  moneyFrom,
  USER_AGENT,
  utcDayStart,
  type ProviderApi,
} from './util';

const PROVIDER = 'xai';
export const XAI_VALIDATION_PATH = '/auth/management-keys/validation';
export const xaiBalancePath = (team: string): string => `/v1/billing/teams/${encodeURIComponent(team)}/prepaid/balance`;
export const xaiUsagePath = (team: string): string => `/v1/billing/teams/${encodeURIComponent(team)}/usage`;

const BALANCE_WHAT = 'the prepaid balance';
const USAGE_WHAT = 'the usage analytics';

/** Cent { int64 val }: proto3 JSON writes int64 as a string; accept a whole number too. */
const cent = z.object({ val: z.union([z.string().regex(/^-?\d+$/, 'expected whole cents'), z.number().int()]) });
const change = z.object({ amount: cent.nullable().optional(), changeOrigin: z.string().nullable().optional() });

const balanceAnswer = z
  .object({
    changes: z.array(change).nullable().optional(),
    total: cent.nullable().optional(),
    // [U] variant seen in one third-party test.
    currentBalance: cent.nullable().optional(),
    balanceChanges: z.array(change).nullable().optional(),
  })
  .refine((a) => Boolean(a.total ?? a.currentBalance), 'expected total or currentBalance');
type BalanceAnswer = z.infer<typeof balanceAnswer>;

const usageAnswer = z.object({
  timeSeries: z.array(
    z.object({
      group: z.array(z.string()).nullable().optional(),
      groupLabels: z.array(z.string()).nullable().optional(),
      dataPoints: z.array(
        z.object({
          timestamp: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected a date-time'),
          values: z.array(z.union([z.number(), z.string()])),
        }),
      ),
    }),
  ),
  limitReached: z.boolean().nullable().optional(),
});
type UsageAnswer = z.infer<typeof usageAnswer>;

/** Management keys and inference keys cannot be told apart by shape with what we know [U]. */
export function classifyXaiKey(_key: string): KeyKind {
  return 'unknown';
}

const refine: ErrorRefiner = (answer, fallback) => {
  if (fallback.quota) return undefined;
  if (answer.status === 401) {
    return new SyncError(
      'auth',
      'xAI refused the key: it is wrong, revoked, expired, or an inference API key. Billing data needs a management key ' +
        "(xAI Console → Settings → Management Keys); store it as Burnrate's xAI key.",
      { provider: PROVIDER, status: 401, retryable: false, reason: 'key_refused' },
    );
  }
  if (answer.status === 403) {
    return new SyncError(
      'permission',
      'xAI accepted the management key but it may not read this team\'s billing' +
        said(answer.message) +
        '. Check the key\'s team and that your user has the "Management Keys Read + Write" permission; ' +
        'if BURNRATE_XAI_TEAM_ID is set, check it names your team.',
      { provider: PROVIDER, status: 403, retryable: false },
    );
  }
  return undefined;
};

/** [U] The validation answer's shape is undocumented: look for a team id where third-party code does. */
export function teamIdFrom(answer: unknown): string | undefined {
  const visit = (value: unknown, depth: number): string | undefined => {
    if (!value || typeof value !== 'object' || depth > 2) return undefined;
    const o = value as Record<string, unknown>;
    for (const k of ['teamId', 'team_id']) {
      if (typeof o[k] === 'string' && o[k]) return o[k] as string;
    }
    if (typeof o.scopeId === 'string' && o.scopeId && !/user/i.test(String(o.scope ?? ''))) return o.scopeId;
    for (const v of Object.values(o)) {
      const found = visit(v, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(answer, 0);
}

/** What every request carries: the management key, and our wording of refusals. */
function api(ctx: ProviderClientContext): ProviderApi {
  return { provider: PROVIDER, headers: { authorization: `Bearer ${ctx.key}`, 'user-agent': USER_AGENT }, refine };
}

/** [U] Its shape is undocumented (any JSON is taken): teamIdFrom looks inside. */
function validate(ctx: ProviderClientContext): Promise<unknown> {
  return fetchAnswer(ctx, { ...api(ctx), path: XAI_VALIDATION_PATH, schema: z.unknown(), what: 'the key validation answer' });
}

async function teamIdOf(ctx: ProviderClientContext): Promise<string> {
  const fromEnv = ctx.env?.BURNRATE_XAI_TEAM_ID?.trim();
  if (fromEnv) return fromEnv;
  const team = teamIdFrom(await validate(ctx));
  if (!team) {
    throw configError(
      PROVIDER,
      'Burnrate could not find your xAI team id in the management key\'s details. Set BURNRATE_XAI_TEAM_ID ' +
        '(xAI Console → Settings → Team) and sync again.',
    );
  }
  return team;
}

function centsOf(value: z.infer<typeof cent> | null | undefined): bigint {
  return value ? BigInt(value.val) : 0n;
}

/**
 * Currently available prepaid credit, in cents. The sign convention of `total` is UNCONFIRMED [U]:
 * - When the ledger entries are present and add up to `total`, total is the signed ledger sum
 *   (purchases negative, spend positive, per the proto), so the credit left is −total.
 * - Otherwise a negative total is read inverted (as third-party code does) and a positive one as is.
 * - currentBalance (variant answer) is read as is, inverted if negative.
 * A balance reading is never negative: an overdrawn account has nothing left (0).
 */
export function availableCents(answer: BalanceAnswer): bigint {
  let available: bigint;
  if (answer.total) {
    const total = centsOf(answer.total);
    const entries = answer.changes ?? answer.balanceChanges ?? [];
    const sum = entries.reduce((acc, e) => acc + centsOf(e.amount), 0n);
    if (entries.length > 0 && sum === total) available = -total;
    else available = total < 0n ? -total : total;
  } else {
    const current = centsOf(answer.currentBalance);
    available = current < 0n ? -current : current;
  }
  return available < 0n ? 0n : available;
}

function usdValue(value: number | string): Nano {
  return moneyFrom(PROVIDER, USAGE_WHAT, () =>
    typeof value === 'number'
      ? usdFromJsonNumber(value, { label: 'the usage value' })
      : parseUsd(value, { label: 'the usage value', allowNegative: true, excessPrecision: 'round' }),
  );
}

/** One billed row per day × group with a non-zero value inside the window. */
export function usageRows(answer: UsageAnswer, window: SyncWindow): BilledCostInput[] {
  if (answer.limitReached) {
    // A cut-short answer would under-count days and still override estimates: store none of it.
    throw malformedError(PROVIDER, USAGE_WHAT, 'limitReached: the answer was cut short');
  }
  const { start, end } = dailyWindow(window);
  const rows: BilledCostInput[] = [];
  for (const series of answer.timeSeries) {
    const group = series.group ?? [];
    for (const point of series.dataPoints) {
      const value = point.values[0];
      if (value === undefined) continue;
      const amount = usdValue(value);
      // Data points are dense (one per day); a zero day is skipped so a wrong value name [U] cannot
      // replace real estimates with billed zeros.
      if (amount === 0) continue;
      const day = utcDayStart(new Date(point.timestamp));
      if (day.getTime() < start.getTime() || day.getTime() >= end.getTime()) continue;
      rows.push({
        provider: PROVIDER,
        externalId: externalKey('usage', day.toISOString(), ...group),
        bucketStart: day,
        bucketEnd: addUtcDays(day, 1),
        model: group[0],
        lineItem: (series.groupLabels ?? group).join(', ') || undefined,
        amountNano: amount,
        metadata: { unconfirmed: 'xAI analytics value "usd" and group "model_name" are undocumented' },
      });
    }
  }
  return mergeBilled(rows);
}

/** "YYYY-MM-DD HH:MM:SS" in UTC, the analytics time format per the proto comments. */
function analyticsTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export const xai: ProviderClient = {
  provider: PROVIDER,
  defaultBaseUrl: 'https://management-api.x.ai',

  classifyKey: classifyXaiKey,

  async testKey(ctx): Promise<KeyTestResult> {
    try {
      const answer = await validate(keyTestContext(ctx));
      const team = ctx.env?.BURNRATE_XAI_TEAM_ID?.trim() || teamIdFrom(answer);
      const can = ['read the prepaid credit balance (unconfirmed)', 'read daily usage cost per model (unconfirmed)'];
      if (!team) {
        return {
          ok: false,
          kind: 'management',
          can: [],
          cannot: ['find its team: set BURNRATE_XAI_TEAM_ID'],
          message: 'This management key works, but Burnrate could not find its team id; set BURNRATE_XAI_TEAM_ID.',
          errorKind: 'config',
        };
      }
      return {
        ok: true,
        kind: 'management',
        can,
        cannot: ['read the postpaid invoice preview (not supported yet)'],
        message: `This management key can read billing of team ${team}. Parts of xAI's billing API are unconfirmed; compare the first figures with the xAI Console.`,
      };
    } catch (err) {
      return failedKeyTest(err, 'unknown');
    }
  },

  async *sync(ctx, window: SyncWindow): AsyncIterable<SyncPage> {
    const team = await teamIdOf(ctx);
    const now = ctx.clock.now();
    let balance: BalanceAnswer | undefined;
    try {
      balance = await fetchAnswer(ctx, { ...api(ctx), path: xaiBalancePath(team), schema: balanceAnswer, what: BALANCE_WHAT });
    } catch (err) {
      // A postpaid team may have no prepaid ledger: carry on with usage.
      if (!(err instanceof SyncError && err.status === 404)) throw err;
    }
    if (balance) {
      yield { balance: { amountNano: nanoFromCentsInteger(availableCents(balance)), currency: 'USD', at: now } };
    }

    const { start, end } = dailyWindow(window);
    const usage = await fetchAnswer(ctx, {
      ...api(ctx),
      method: 'POST',
      path: xaiUsagePath(team),
      body: {
        analyticsRequest: {
          timeRange: { startTime: analyticsTime(start), endTime: analyticsTime(end), timezone: 'Etc/UTC' },
          timeUnit: 'TIME_UNIT_DAY',
          values: [{ name: 'usd', aggregation: 'AGGREGATION_SUM' }], // [U] value name
          groupBy: ['model_name'], // [U] field name
          filters: [],
        },
      },
      schema: usageAnswer,
      what: USAGE_WHAT,
    });
    yield { billed: usageRows(usage, window) };
  },
};
