/**
 * xAI: the Management API (base https://management-api.x.ai, a MANAGEMENT key, not an inference key).
 * Reference: ../shared/providers.md §6. Several parts are UNCONFIRMED; each is marked [U] below and
 * in docs/providers.md, and is parsed defensively so a surprise gives a clear error, not wrong money.
 *
 * - Team id: BURNRATE_XAI_TEAM_ID, else discovered with GET /auth/management-keys/validation,
 *   reading teamId / team_id / scopeId from its answer [U: third-party code, not the docs].
 * - GET /v1/billing/teams/{team}/prepaid/balance → a balance reading. Money is Cent {val} in USD
 *   cents, val an int64 as a JSON string [C, proto]. The sign of `total` follows the ledger (purchases
 *   negative, spend positive): negative is credit left, positive is money owed (creditFromTotalCents;
 *   evidence in docs/providers.md). A variant answer {currentBalance:{val}, balanceChanges:[]} is
 *   accepted too [U].
 * - POST /v1/billing/teams/{team}/usage (analytics) → billed rows per day × group. The method is
 *   POST per third-party code [U]; the value name "usd" and group-by field "model_name" are
 *   UNDOCUMENTED guesses [U]; values are taken as USD numbers or decimal strings [U]; times are
 *   "YYYY-MM-DD HH:MM:SS" in the given zone per the proto comments [C]. An answer cut short
 *   (limitReached) is asked again for smaller ranges (usagePages).
 * The postpaid invoice preview is not read yet (its units differ per field and are partly [U]).
 */
import { z } from 'zod';
import type { BilledCostInput } from '../ledger/billed';
import { nanoFromCentsInteger, type Nano } from '../money';
import { configError, said, SyncError } from '../sync/errors';
import type { ErrorRefiner } from '../sync/http';
import type { KeyKind, KeyTestResult, ProviderClient, ProviderClientContext, SyncPage, SyncWindow, UnreadableRow } from './types';
import {
  addUtcDays,
  dailyWindow,
  externalKey,
  failedKeyTest,
  fetchAnswer,
  keyTestContext,
  mergeBilled,
  moneyFrom,
  moneyValue,
  RowError,
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
          // Read one by one (moneyValue): an unreadable value is kept aside, not refused with the answer.
          values: z.array(z.unknown()),
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
 * THE SIGN RULE of xAI's prepaid `total` (cents): it is the signed sum of the balance ledger, where
 * a purchase is negative and a spend positive (proto). So a NEGATIVE total is credit left
 * ("-1000" = $10.00 available) and a POSITIVE total is money OWED ("2500" = -$25.00). Evidence:
 * the proto's ledger signs, and another tracker's tests checked against a live account
 * (docs/providers.md, "xAI balance sign"). Returns the available credit in cents (negative: owed).
 */
export function creditFromTotalCents(total: bigint): bigint {
  return -total;
}

/**
 * Currently available prepaid credit in cents; negative when money is owed. `total` follows the
 * sign rule above. The variant answer {currentBalance:{val}} [U] names a balance, so it is read
 * as is (positive: credit).
 */
export function availableCents(answer: BalanceAnswer): bigint {
  if (answer.total) return creditFromTotalCents(centsOf(answer.total));
  return centsOf(answer.currentBalance);
}

/** The kept-aside scope of one UTC day of the usage analytics. */
const dayScope = (day: Date): string => externalKey('usage', day.toISOString());

/**
 * One billed row per day × group with a non-zero value inside the window. A value that cannot be
 * read is kept aside in `aside` (scope: its day, position: its series).
 */
export function usageRows(answer: UsageAnswer, window: SyncWindow, aside: UnreadableRow[] = []): BilledCostInput[] {
  const { start, end } = dailyWindow(window);
  const rows: BilledCostInput[] = [];
  answer.timeSeries.forEach((series, position) => {
    const group = series.group ?? [];
    for (const point of series.dataPoints) {
      const value = point.values[0];
      if (value === undefined) continue;
      const day = utcDayStart(new Date(point.timestamp));
      if (day.getTime() < start.getTime() || day.getTime() >= end.getTime()) continue;
      let amount: Nano;
      try {
        amount = moneyValue(value, 'usd', 'values[0]');
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        aside.push({ scope: dayScope(day), position, raw: { group, point }, reason: err.message });
        continue;
      }
      // Data points are dense (one per day); a zero day is skipped so a wrong value name [U] cannot
      // replace real estimates with billed zeros.
      if (amount === 0) continue;
      rows.push({
        provider: PROVIDER,
        externalId: externalKey('usage', day.toISOString(), ...group),
        bucketStart: day,
        bucketEnd: addUtcDays(day, 1),
        model: group[0] ?? ((series.groupLabels ?? []).join(', ') || undefined),
        lineItem: (series.groupLabels ?? group).join(', ') || undefined,
        amountNano: amount,
        metadata: { unconfirmed: 'xAI analytics value "usd" and group "model_name" are undocumented' },
      });
    }
  });
  return mergeBilled(rows);
}

/** Every UTC day of a window, as kept-aside scopes. */
function dayScopes(window: SyncWindow): string[] {
  const { start, days } = dailyWindow(window);
  return Array.from({ length: days }, (_, i) => dayScope(addUtcDays(start, i)));
}

function fetchUsage(ctx: ProviderClientContext, team: string, window: SyncWindow): Promise<UsageAnswer> {
  const { start, end } = dailyWindow(window);
  return fetchAnswer(ctx, {
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
}

/**
 * The usage analytics of a window, one page per answer. An answer cut short (limitReached) is asked
 * again in two halves, down to single days; a single day still cut short lands what it has, with a
 * note kept aside that its figure may be low (so it is never taken silently as the whole day).
 */
async function* usagePages(ctx: ProviderClientContext, team: string, window: SyncWindow): AsyncGenerator<SyncPage> {
  const answer = await fetchUsage(ctx, team, window);
  const { start, days } = dailyWindow(window);
  if (answer.limitReached && days > 1) {
    const middle = addUtcDays(start, Math.floor(days / 2));
    yield* usagePages(ctx, team, { start, end: middle });
    yield* usagePages(ctx, team, { start: middle, end: window.end });
    return;
  }
  const aside: UnreadableRow[] = [];
  const billed = usageRows(answer, window, aside);
  if (answer.limitReached) {
    aside.push({
      scope: dayScope(start),
      position: answer.timeSeries.length,
      raw: { limitReached: true, day: start.toISOString().slice(0, 10) },
      reason: `xAI said its usage answer for ${start.toISOString().slice(0, 10)} was cut short (limitReached), so that day's figure may be low.`,
    });
  }
  yield { billed, unreadable: { scopes: dayScopes(window), rows: aside } };
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
      yield { balance: { amountNano: moneyFrom(PROVIDER, BALANCE_WHAT, () => nanoFromCentsInteger(availableCents(balance))), currency: 'USD', at: now } };
    }

    yield* usagePages(ctx, team, window);
  },
};
