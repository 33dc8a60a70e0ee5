/**
 * Anthropic: the Admin API's cost report (what was billed, per day × description) and usage report
 * for messages (tokens per day × model). Needs an Admin API key (sk-ant-admin…) of an organisation;
 * individual accounts have no Admin API. Reference: ../shared/providers.md §3.
 *
 * Units: cost amounts are IN CENTS, documented as decimal strings ("1287.504" = $12.87504) and seen
 * as JSON numbers too; both are read exactly with moneyValue. Usage tokens are already split the
 * way our ledger wants: uncached_input_tokens is fresh input, cache_read_input_tokens are cached reads, cache_creation (5m + 1h) are cache writes.
 */
import { z } from 'zod';
import type { BilledCostInput } from '../ledger/billed';
import type { UsageEventInput } from '../ledger/usage';
import { configError, said, SyncError } from '../sync/errors';
import type { ErrorRefiner } from '../sync/http';
import type { KeyKind, KeyTestResult, ProviderClient, ProviderClientContext, SyncPage, SyncWindow, UnreadableRow } from './types';
import {
  addUtcDays,
  adminKeyTest,
  bucketMidpoint,
  dailyWindow,
  externalKey,
  fetchAnswer,
  mergeBilled,
  moneyValue,
  pagedByCursor,
  readRows,
  rfc3339,
  USER_AGENT,
  utcDayStart,
  type ProviderApi,
} from './util';

const PROVIDER = 'anthropic';
export const ANTHROPIC_ORGANIZATION_PATH = '/v1/organizations/me';
export const ANTHROPIC_COST_PATH = '/v1/organizations/cost_report';
export const ANTHROPIC_USAGE_PATH = '/v1/organizations/usage_report/messages';
export const ANTHROPIC_VERSION = '2023-06-01';
/** Documented maximum of `limit` for daily buckets (both reports). */
const MAX_LIMIT = 31;

const optionalText = z.string().nullable().optional();
const count = z.number().int().nonnegative();
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an RFC 3339 date-time');

// amount is documented as a decimal string in cents; a JSON number is seen too: both are read
// exactly (moneyValue). A result whose amount cannot be read is kept aside, not refused with its page.
const costResult = z.object({
  amount: z.unknown(),
  currency: z.string(),
  workspace_id: optionalText,
  description: optionalText,
  cost_type: optionalText,
  model: optionalText,
  token_type: optionalText,
  service_tier: optionalText,
  context_window: optionalText,
  inference_geo: optionalText,
});

const usageResult = z.object({
  uncached_input_tokens: count,
  cache_creation: z
    .object({
      ephemeral_5m_input_tokens: count.nullable().optional(),
      ephemeral_1h_input_tokens: count.nullable().optional(),
    })
    .nullable()
    .optional(),
  cache_read_input_tokens: count.nullable().optional(),
  output_tokens: count,
  server_tool_use: z.object({ web_search_requests: count.nullable().optional() }).nullable().optional(),
  api_key_id: optionalText,
  workspace_id: optionalText,
  model: optionalText,
  service_tier: optionalText,
  context_window: optionalText,
  inference_geo: optionalText,
});

/** The envelope: a wrong one refuses the page with the field named; its results are read one by one. */
const page = z.object({
  data: z.array(z.object({ starting_at: instant, ending_at: instant, results: z.array(z.unknown()) })),
  has_more: z.boolean(),
  next_page: z.string().nullable().optional(),
});
type Page = z.infer<typeof page>;

export function classifyAnthropicKey(key: string): KeyKind {
  const k = key.trim();
  if (k.startsWith('sk-ant-admin')) return 'admin';
  if (k.startsWith('sk-ant-')) return 'normal';
  return 'unknown';
}

const NO_ORG =
  'Individual accounts have no Admin API: create an organisation in the Claude Console (Settings → Organization), ' +
  "then an admin key (sk-ant-admin…), and store it as Burnrate's Anthropic key.";

/** Anthropic's refusals, said so a user knows what to do. */
function refineFor(key: string): ErrorRefiner {
  return (answer, fallback) => {
    if (fallback.quota) return undefined;
    const aboutOrg = /individual|organi[sz]ation|not.*org/i.test(answer.message);
    const kind = classifyAnthropicKey(key);
    if (answer.status === 401 && kind === 'normal') {
      return new SyncError(
        'permission',
        'This is an ordinary API key; the Usage & Cost Admin API needs an admin key (sk-ant-admin…) created by an ' +
          `organisation admin in the Claude Console. ${NO_ORG.split(':')[0]}.`,
        { provider: PROVIDER, status: 401, retryable: false, reason: 'key_needs_admin' },
      );
    }
    if (answer.status === 403 || (answer.status === 404 && aboutOrg)) {
      return new SyncError(
        'permission',
        `Anthropic refused to show this account's cost and usage reports${said(answer.message)}. ` +
          `The Admin API works only for organisations. ${NO_ORG}`,
        { provider: PROVIDER, status: answer.status, retryable: false, reason: 'key_needs_admin' },
      );
    }
    return undefined;
  };
}

/** What every Admin API request carries: the key, the API version, and our wording of refusals. */
function api(ctx: ProviderClientContext): ProviderApi {
  return {
    provider: PROVIDER,
    headers: { 'x-api-key': ctx.key, 'anthropic-version': ANTHROPIC_VERSION, 'user-agent': USER_AGENT },
    refine: refineFor(ctx.key),
  };
}

function amountOf(result: z.infer<typeof costResult>): number {
  if (result.currency.toUpperCase() !== 'USD') {
    throw configError(
      PROVIDER,
      `Anthropic reported costs in ${result.currency}; Burnrate only tracks US dollars so far, so nothing was stored.`,
    );
  }
  // Cents; finer than a nano-dollar rounds half to even, once.
  return moneyValue(result.amount, 'cents', 'amount');
}

/** The kept-aside scopes a page covers: one per bucket of the answer. */
export function bucketScopes(what: string, answer: Page): string[] {
  return answer.data.map((bucket) => externalKey(what, new Date(bucket.starting_at).toISOString()));
}

export function costRows(answer: Page, aside: UnreadableRow[] = []): BilledCostInput[] {
  const rows: BilledCostInput[] = [];
  for (const bucket of answer.data) {
    const start = new Date(bucket.starting_at);
    const end = new Date(bucket.ending_at);
    rows.push(...readRows(bucket.results, costResult, externalKey('cost', start.toISOString()), (r): BilledCostInput => ({
        provider: PROVIDER,
        externalId: externalKey(
          'cost',
          start.toISOString(),
          r.workspace_id,
          r.description,
          r.cost_type,
          r.model,
          r.token_type,
          r.service_tier,
          r.context_window,
          r.inference_geo,
        ),
        bucketStart: start,
        bucketEnd: end,
        // A line without a model ("Code Execution Usage") keeps its own name as the model key.
        model: r.model ?? (r.description?.trim() || undefined),
        lineItem: r.description ?? undefined,
        project: r.workspace_id ?? undefined,
        amountNano: amountOf(r),
        metadata: {
          ...(r.cost_type ? { costType: r.cost_type } : {}),
          ...(r.token_type ? { tokenType: r.token_type } : {}),
          ...(r.service_tier ? { serviceTier: r.service_tier } : {}),
        },
      }), aside));
  }
  return mergeBilled(rows);
}

export function usageEvents(answer: Page, aside: UnreadableRow[] = []): UsageEventInput[] {
  const events: UsageEventInput[] = [];
  for (const bucket of answer.data) {
    const start = new Date(bucket.starting_at);
    events.push(...readRows(bucket.results, usageResult, externalKey('messages', start.toISOString()), (r): UsageEventInput => {
      const write5m = r.cache_creation?.ephemeral_5m_input_tokens ?? 0;
      const write1h = r.cache_creation?.ephemeral_1h_input_tokens ?? 0;
      return {
        source: 'billing_api',
        provider: PROVIDER,
        externalId: externalKey(
          'messages',
          start.toISOString(),
          r.model,
          r.workspace_id,
          r.api_key_id,
          r.service_tier,
          r.context_window,
          r.inference_geo,
        ),
        model: r.model ?? 'unknown',
        project: r.workspace_id ?? undefined,
        inputTokens: r.uncached_input_tokens,
        cachedInputTokens: r.cache_read_input_tokens ?? 0,
        cacheWriteTokens: write5m + write1h,
        cacheWrite1hTokens: write1h, // priced at the 1-hour rate by the write path
        outputTokens: r.output_tokens,
        // Filed like billed buckets, by the bucket's midpoint (src/ledger/billed.ts billedLocalDay).
        occurredAt: bucketMidpoint(start, new Date(bucket.ending_at)),
        metadata: {
          bucketEnd: new Date(bucket.ending_at).toISOString(),
          cacheWrite5m: write5m,
          cacheWrite1h: write1h,
          ...(r.server_tool_use?.web_search_requests ? { webSearchRequests: r.server_tool_use.web_search_requests } : {}),
        },
      };
    }, aside));
  }
  return events;
}

export const anthropic: ProviderClient = {
  provider: PROVIDER,
  defaultBaseUrl: 'https://api.anthropic.com',

  classifyKey: classifyAnthropicKey,

  async testKey(ctx): Promise<KeyTestResult> {
    const yesterday = addUtcDays(utcDayStart(ctx.clock.now()), -1);
    return adminKeyTest(ctx, classifyAnthropicKey(ctx.key), {
      probe: {
        ...api(ctx),
        path: ANTHROPIC_COST_PATH,
        params: [
          ['starting_at', rfc3339(yesterday)],
          ['bucket_width', '1d'],
          ['limit', 1],
        ],
        schema: page,
        what: 'the cost report',
      },
      can: ["read the organisation's daily cost report", 'read token usage by model (usage report)'],
      cannot: ['read the prepaid credit balance (Anthropic has no API for it; enter it as a balance reading)'],
      message: "This admin key can read the organisation's cost and usage reports.",
      normalKeyCannot: ['read the cost or usage reports (needs an admin key, sk-ant-admin…, of an organisation)'],
    });
  },

  async *sync(ctx, window: SyncWindow): AsyncIterable<SyncPage> {
    const { start, end, days } = dailyWindow(window);
    const range: [string, string | number][] = [
      ['starting_at', rfc3339(start)],
      ['ending_at', rfc3339(end)],
      ['bucket_width', '1d'],
      ['limit', Math.min(MAX_LIMIT, days)],
    ];
    for await (const answer of pagedByCursor(ctx, {
      ...api(ctx),
      path: ANTHROPIC_COST_PATH,
      params: [...range, ['group_by[]', 'description']],
      schema: page,
      what: 'the cost report',
    })) {
      const aside: UnreadableRow[] = [];
      yield { billed: costRows(answer, aside), unreadable: { scopes: bucketScopes('cost', answer), rows: aside } };
    }
    let last: SyncPage | undefined;
    for await (const answer of pagedByCursor(ctx, {
      ...api(ctx),
      path: ANTHROPIC_USAGE_PATH,
      params: [...range, ['group_by[]', 'model']],
      schema: page,
      what: 'the usage report',
    })) {
      if (last) yield last;
      const aside: UnreadableRow[] = [];
      last = { usage: usageEvents(answer, aside), unreadable: { scopes: bucketScopes('messages', answer), rows: aside } };
    }
    // Whose key this is, asked last so the reports come first; the last page carries it.
    const organization = await organizationOf(ctx);
    if (last) yield organization ? { ...last, organization } : last;
  },
};

const organizationAnswer = z.object({ id: z.string().min(1), type: z.literal('organization') }).passthrough();

/**
 * The organisation of the admin key (GET /v1/organizations/me). Optional knowledge: when it cannot
 * be read the sync's figures stand, and a team falls back to the declared or default organisation.
 */
async function organizationOf(ctx: ProviderClientContext): Promise<string | undefined> {
  try {
    const me = await fetchAnswer(ctx, { ...api(ctx), path: ANTHROPIC_ORGANIZATION_PATH, schema: organizationAnswer, what: 'the organisation of this key' });
    return me.id;
  } catch {
    return undefined;
  }
}
