/**
 * OpenAI: the organisation Costs API (what was billed, per day × line item × project) and the
 * Usage API for completions (tokens per day × model). Both need an admin key (sk-admin-…) created
 * by an organisation owner. Reference: ../shared/providers.md §2.
 *
 * Units: costs are USD (amount.value), documented as JSON numbers, seen as decimal strings too; both
 * are read exactly with moneyValue. An unreadable result is kept aside (src/sync/unreadable.ts).
 * Token semantics: OpenAI's input_tokens INCLUDES cached reads and cache writes; our ledger's
 * inputTokens is fresh input only, so we take input_uncached_tokens (which excludes cache writes).
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
  mergeBilled,
  moneyValue,
  pagedByCursor,
  readRows,
  unixSeconds,
  USER_AGENT,
  utcDayStart,
  type ProviderApi,
} from './util';

const PROVIDER = 'openai';
export const OPENAI_COSTS_PATH = '/v1/organization/costs';
export const OPENAI_COMPLETIONS_PATH = '/v1/organization/usage/completions';
/** Documented maxima of `limit` for daily buckets: 180 for costs, 31 for usage. */
const COSTS_MAX_LIMIT = 180;
const USAGE_MAX_LIMIT = 31;

const optionalText = z.string().nullable().optional();
const count = z.number().int().nonnegative();

// One result is read on its own (readRows): a result without a readable amount is kept aside, not
// refused with its page. amount.value is documented as a JSON number; answers with a decimal
// string ("2.25") are seen in the wild, so both are read exactly (moneyValue).
const costResult = z.object({
  amount: z.object({ value: z.unknown(), currency: z.string() }),
  line_item: optionalText,
  project_id: optionalText,
  api_key_id: optionalText,
  quantity: z.number().nullable().optional(),
  quantity_unit: optionalText,
});

const completionsResult = z.object({
  input_tokens: count,
  input_cached_tokens: count.nullable().optional(),
  input_cache_write_tokens: count.nullable().optional(),
  input_uncached_tokens: count.nullable().optional(),
  output_tokens: count,
  num_model_requests: count.nullable().optional(),
  model: optionalText,
  project_id: optionalText,
  api_key_id: optionalText,
  user_id: optionalText,
  batch: z.boolean().nullable().optional(),
  service_tier: optionalText,
});

/** The envelope: a wrong one refuses the page with the field named; its results are read one by one. */
const page = z.object({
  data: z.array(
    z.object({
      start_time: z.number().int(),
      end_time: z.number().int(),
      results: z.array(z.unknown()),
    }),
  ),
  has_more: z.boolean(),
  next_page: z.string().nullable().optional(),
});
type Page = z.infer<typeof page>;
type CostResult = z.infer<typeof costResult>;
type CompletionsResult = z.infer<typeof completionsResult>;

export function classifyOpenAIKey(key: string): KeyKind {
  const k = key.trim();
  if (k.startsWith('sk-admin-')) return 'admin';
  if (k.startsWith('sk-')) return 'normal';
  return 'unknown';
}

/**
 * "gpt-5.4, input" → "gpt-5.4". The line_item format is not documented [U]; we only take a model
 * name when the text before the first comma looks like one (no spaces, with a digit or a hyphen).
 */
export function modelFromLineItem(lineItem: string | null | undefined): string | undefined {
  if (!lineItem) return undefined;
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._:/-]*)\s*,\s*\S/.exec(lineItem);
  const prefix = match?.[1];
  if (!prefix || !/[\d-]/.test(prefix)) return undefined;
  return prefix;
}

/** The sentence OpenAI users need when a project key meets the admin-only endpoints. */
function refineFor(key: string): ErrorRefiner {
  return (answer, fallback) => {
    if (answer.status !== 401 && answer.status !== 403) return undefined;
    if (fallback.quota) return undefined;
    const kind = classifyOpenAIKey(key);
    if (kind === 'normal') {
      return new SyncError(
        'permission',
        'This is a project key; the Costs API needs an admin key (sk-admin-…) created by an org owner. ' +
          "Create one under Settings → Organization → Admin keys on platform.openai.com, then store it as Burnrate's OpenAI key.",
        { provider: PROVIDER, status: answer.status, retryable: false, reason: 'key_needs_admin' },
      );
    }
    if (answer.status === 403) {
      return new SyncError(
        'permission',
        'OpenAI accepted the admin key but it may not read usage and costs' +
          said(answer.message) +
          '. A restricted admin key needs read access to the Usage API; an org owner can change it.',
        { provider: PROVIDER, status: 403, retryable: false },
      );
    }
    return undefined;
  };
}

/** What every organisation API request carries: the key, and our wording of refusals. */
function api(ctx: ProviderClientContext): ProviderApi {
  return {
    provider: PROVIDER,
    headers: { authorization: `Bearer ${ctx.key}`, 'user-agent': USER_AGENT },
    refine: refineFor(ctx.key),
  };
}

function amountOf(result: CostResult): number {
  if (result.amount.currency.toLowerCase() !== 'usd') {
    throw configError(
      PROVIDER,
      `OpenAI reported costs in ${result.amount.currency.toUpperCase()}; Burnrate only tracks US dollars so far, so nothing was stored.`,
    );
  }
  return moneyValue(result.amount.value, 'usd', 'amount.value');
}

/**
 * The model key of a cost line: the model named in the line item ("gpt-5.4, input" → gpt-5.4), else
 * the line item's own name ("Text tokens", "web search tool calls"), so summaries by model never
 * show one nameless bucket.
 */
export function modelKeyOf(lineItem: string | null | undefined): string | undefined {
  return modelFromLineItem(lineItem) ?? (lineItem?.trim() || undefined);
}

export function costRows(page: Page, aside: UnreadableRow[] = []): BilledCostInput[] {
  const rows: BilledCostInput[] = [];
  for (const bucket of page.data) {
    const start = new Date(bucket.start_time * 1000);
    const end = new Date(bucket.end_time * 1000);
    rows.push(
      ...readRows(bucket.results, costResult, externalKey('costs', start.toISOString()), (result) => ({
        provider: PROVIDER,
        externalId: externalKey('costs', start.toISOString(), result.line_item, result.project_id, result.api_key_id),
        bucketStart: start,
        bucketEnd: end,
        model: modelKeyOf(result.line_item),
        lineItem: result.line_item ?? undefined,
        project: result.project_id ?? undefined,
        amountNano: amountOf(result),
        metadata: {
          ...(result.quantity !== null && result.quantity !== undefined ? { quantity: result.quantity } : {}),
          ...(result.quantity_unit ? { quantityUnit: result.quantity_unit } : {}),
        },
      }), aside),
    );
  }
  return mergeBilled(rows);
}

/** The kept-aside scopes a page covers: one per bucket of the answer. */
export function bucketScopes(what: string, page: Page): string[] {
  return page.data.map((bucket) => externalKey(what, new Date(bucket.start_time * 1000).toISOString()));
}

function freshInput(r: CompletionsResult): number {
  if (r.input_uncached_tokens !== null && r.input_uncached_tokens !== undefined) return r.input_uncached_tokens;
  // Older answers lack input_uncached_tokens: input_tokens includes cache reads and writes.
  return Math.max(0, r.input_tokens - (r.input_cached_tokens ?? 0) - (r.input_cache_write_tokens ?? 0));
}

export function completionEvents(page: Page, aside: UnreadableRow[] = []): UsageEventInput[] {
  const events: UsageEventInput[] = [];
  for (const bucket of page.data) {
    const start = new Date(bucket.start_time * 1000);
    const scope = externalKey('completions', start.toISOString());
    events.push(...readRows(bucket.results, completionsResult, scope, (r): UsageEventInput => ({
        source: 'billing_api',
        provider: PROVIDER,
        externalId: externalKey(
          'completions',
          start.toISOString(),
          r.model,
          r.project_id,
          r.api_key_id,
          r.user_id,
          r.batch,
          r.service_tier,
        ),
        model: r.model ?? 'unknown',
        project: r.project_id ?? undefined,
        inputTokens: freshInput(r),
        cachedInputTokens: r.input_cached_tokens ?? 0,
        cacheWriteTokens: r.input_cache_write_tokens ?? 0,
        outputTokens: r.output_tokens,
        // Filed like billed buckets, by the bucket's midpoint (src/ledger/billed.ts billedLocalDay),
        // so a day's usage estimate and its bill land on the same local day.
        occurredAt: bucketMidpoint(start, new Date(bucket.end_time * 1000)),
        metadata: {
          bucketEnd: new Date(bucket.end_time * 1000).toISOString(),
          ...(r.num_model_requests !== null && r.num_model_requests !== undefined ? { requests: r.num_model_requests } : {}),
          ...(r.batch !== null && r.batch !== undefined ? { batch: r.batch } : {}),
        },
      }), aside));
  }
  return events;
}

export const openai: ProviderClient = {
  provider: PROVIDER,
  defaultBaseUrl: 'https://api.openai.com',

  classifyKey: classifyOpenAIKey,

  async testKey(ctx): Promise<KeyTestResult> {
    const yesterday = addUtcDays(utcDayStart(ctx.clock.now()), -1);
    return adminKeyTest(ctx, classifyOpenAIKey(ctx.key), {
      probe: {
        ...api(ctx),
        path: OPENAI_COSTS_PATH,
        params: [
          ['start_time', unixSeconds(yesterday)],
          ['bucket_width', '1d'],
          ['limit', 1],
        ],
        schema: page,
        what: 'the costs page',
      },
      can: ["read the organisation's daily costs (Costs API)", 'read token usage by model (Usage API)'],
      cannot: ["read the prepaid credit balance (OpenAI has no API for it; enter it as a balance reading)"],
      message: "This admin key can read the organisation's costs and token usage.",
      normalKeyCannot: ['read organisation costs or usage (needs an admin key, sk-admin-…)'],
    });
  },

  async *sync(outer, window: SyncWindow): AsyncIterable<SyncPage> {
    // Every OpenAI answer names the organisation of the request in its openai-organization header
    // (API reference, "Debugging requests"): kept, so a team counts this organisation's bill once.
    let organization: string | undefined;
    const ctx: ProviderClientContext = {
      ...outer,
      fetch: async (input, init) => {
        const res = await outer.fetch(input, init);
        organization = res.headers.get('openai-organization')?.trim() || organization;
        return res;
      },
    };
    const { start, end, days } = dailyWindow(window);
    const range: [string, string | number][] = [
      ['start_time', unixSeconds(start)],
      ['end_time', Math.ceil(end.getTime() / 1000)],
      ['bucket_width', '1d'],
    ];
    for await (const answer of pagedByCursor(ctx, {
      ...api(ctx),
      path: OPENAI_COSTS_PATH,
      params: [...range, ['group_by', 'line_item'], ['group_by', 'project_id'], ['limit', Math.min(COSTS_MAX_LIMIT, days)]],
      schema: page,
      what: 'the costs page',
    })) {
      const aside: UnreadableRow[] = [];
      yield { billed: costRows(answer, aside), unreadable: { scopes: bucketScopes('costs', answer), rows: aside }, ...(organization ? { organization } : {}) };
    }
    for await (const answer of pagedByCursor(ctx, {
      ...api(ctx),
      path: OPENAI_COMPLETIONS_PATH,
      params: [...range, ['group_by', 'model'], ['limit', Math.min(USAGE_MAX_LIMIT, days)]],
      schema: page,
      what: 'the completions usage page',
    })) {
      const aside: UnreadableRow[] = [];
      yield { usage: completionEvents(answer, aside), unreadable: { scopes: bucketScopes('completions', answer), rows: aside } };
    }
  },
};
