import type { z } from 'zod';
import type { Core } from '../../app/open';
import { uniqueDayKeys, type DayKey } from '../../model/day-key';
import type { UsageEventInput } from '../../ledger/usage';
import { formatUsd, formatUsdOrNull, parseUsd } from '../../money';
import type { CatalogueEntry, PriceSet } from '../../pricing/catalogue';
import { DEEPSEEK_PEAK_RULE } from '../../pricing/peak';
import { explainSteps } from '../../pricing/resolve';
import { unpricedModels } from '../../pricing/unpriced-models';
import { parseInstantInZone } from '../../time';
import type { PerMillionUsd, PriceEntryView, PriceList, PriceRemoveResult, PriceSetResult, pricingMethods } from '../contract/pricing';
import { invalidInput, notFound } from '../../model/errors';
import type { HandlersFor } from '../handler';
import type { Source } from '../../ledger/sources';

export function perMillion(p: PriceSet): PerMillionUsd {
  return {
    input: formatUsd(p.input),
    output: formatUsd(p.output),
    cachedInput: formatUsdOrNull(p.cachedInput),
    cacheWrite: formatUsdOrNull(p.cacheWrite),
    cacheWrite1h: formatUsdOrNull(p.cacheWrite1h),
  };
}

function entryView(core: Core, e: CatalogueEntry): PriceEntryView {
  const current = core.prices.resolve(e.model, e.provider);
  return {
    provider: e.provider,
    model: e.model,
    origin: e.origin,
    active: current.kind === 'found' && current.entry === e,
    aliases: [...e.aliases],
    perMillion: perMillion(e.prices),
    tiers: e.tiers.map((t) => ({ aboveTokens: t.aboveTokens, perMillion: perMillion(t.prices) })),
    timeOfDay: e.offPeak ? { rule: DEEPSEEK_PEAK_RULE, offPeak: perMillion(e.offPeak) } : null,
    earlier: e.earlier.map((s) => ({ until: s.until, perMillion: perMillion(s.prices) })),
    source: e.source,
    asOf: e.asOf,
    confidence: e.confidence,
    notes: [...e.notes],
  };
}

const describe = (e: CatalogueEntry) => `${e.provider} ${e.model}`;

function prices(core: Core, input: z.output<typeof pricingMethods.prices.input>): PriceList {
  if (input.model === undefined) {
    const entries = core.prices
      .list()
      .filter((e) => input.provider === undefined || e.provider === input.provider)
      .map((e) => entryView(core, e));
    return { bundledAsOf: core.prices.bundledAsOf, entries, match: null };
  }
  const provider = input.provider ?? null;
  const r = core.prices.resolve(input.model, provider);
  if (r.kind === 'ambiguous') {
    const providers = r.candidates.map((c) => c.provider);
    throw invalidInput('model_ambiguous', `"${input.model}" is a model of several providers (${providers.join(', ')}); choose the provider.`, { model: input.model, providers });
  }
  if (r.kind === 'none') {
    throw notFound(
      'no_price_for_model',
      `Burnrate has no price for model "${input.model}"${provider ? ` of ${provider}` : ''}${r.reason ? ` (${r.reason})` : ''}; ` +
        'its usage is kept as unpriced, never $0, until you add a price for it.',
      { model: input.model.trim(), provider },
    );
  }
  const at = input.at !== undefined ? parseInstantInZone(input.at, core.timeZone, 'The time') : core.clock.now();
  const promptTokens = input.promptTokens ?? 0;
  const selection = core.prices.select(r.entry, at, promptTokens);
  return {
    bundledAsOf: core.prices.bundledAsOf,
    entries: [entryView(core, r.entry)],
    match: {
      query: input.model,
      provider,
      explanation: explainSteps(input.model.trim(), r.entry, r.steps),
      steps: r.steps.map((s) => ({ ...s })),
      at: at.toISOString(),
      promptTokens,
      period: selection.period,
      tierAboveTokens: selection.tierAboveTokens,
      earlierUntil: selection.earlierUntil,
      effective: perMillion(selection.prices),
    },
  };
}

interface UnpricedRow {
  id: number;
  source: Source;
  provider: string;
  account: string;
  external_id: string;
  model: string;
  project: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  occurred_at: string;
  metadata: string;
}

const REPRICE_PAGE = 1000;

/**
 * Price the usage rows that were recorded as unpriced and that a new price now covers, through the
 * one write path (so rollups stay right). Rows that already had a price are history and stay.
 */
function repriceUnpriced(core: Core): { count: number; touched: DayKey[] } {
  const pairs = core.db
    .prepare(`SELECT DISTINCT provider, model FROM usage_events WHERE cost_origin = 'unpriced'`)
    .all() as { provider: string; model: string }[];
  const epoch = new Date(0);
  const now = pairs.filter((p) => core.prices.priceFor(p.provider, p.model, epoch, 0) !== null);
  let count = 0;
  const touched: DayKey[] = [];
  const page = core.db.prepare(
    `SELECT id, source, provider, account, external_id, model, project, input_tokens, output_tokens,
            cached_input_tokens, cache_write_tokens, occurred_at, metadata
     FROM usage_events WHERE cost_origin = 'unpriced' AND provider = ? AND model = ? AND id > ? ORDER BY id LIMIT ?`,
  );
  for (const pair of now) {
    let after = 0;
    for (;;) {
      const rows = page.all(pair.provider, pair.model, after, REPRICE_PAGE) as UnpricedRow[];
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      const events: UsageEventInput[] = rows.map((r) => ({
        source: r.source,
        provider: r.provider,
        account: r.account,
        externalId: r.external_id,
        model: r.model,
        project: r.project,
        inputTokens: r.input_tokens,
        outputTokens: r.output_tokens,
        cachedInputTokens: r.cached_input_tokens,
        cacheWriteTokens: r.cache_write_tokens,
        occurredAt: new Date(r.occurred_at),
        metadata: JSON.parse(r.metadata) as Record<string, unknown>,
      }));
      const result = core.usage.write(events);
      count += result.updated;
      touched.push(...result.touched);
    }
  }
  return { count, touched: uniqueDayKeys(touched) };
}

function priceSet(core: Core, input: z.output<typeof pricingMethods.priceSet.input>): PriceSetResult {
  const amounts = {
    input: parseUsd(input.input, { label: 'The input price' }),
    output: parseUsd(input.output, { label: 'The output price' }),
    cachedInput: input.cachedInput !== undefined ? parseUsd(input.cachedInput, { label: 'The cached-input price' }) : null,
    cacheWrite: input.cacheWrite !== undefined ? parseUsd(input.cacheWrite, { label: 'The cache-write price' }) : null,
  };
  const name = core.prices.overrideName(input.model, input.provider);
  if (name === '') throw invalidInput('model_name_empty', 'The model name is empty; name the model to price, such as gpt-4o-mini.');
  const bundled = core.prices.resolveBundled(name, input.provider);
  const { entry, previous } = core.prices.setOverride({ model: name, provider: input.provider, ...amounts }, core.clock.now());
  const repriced = repriceUnpriced(core);
  if (repriced.count > 0) core.spendChanged('prices', repriced.touched);
  return {
    model: entry.model,
    provider: entry.provider,
    perMillion: perMillion(entry.prices),
    replacesBundled: bundled.kind === 'found' ? describe(bundled.entry) : null,
    previous: previous ? perMillion(previous.prices) : null,
    repricedEvents: repriced.count,
  };
}

function priceRemove(core: Core, input: z.output<typeof pricingMethods.priceRemove.input>): PriceRemoveResult {
  const removed = core.prices.removeOverride(input.model);
  if (!removed) {
    throw notFound(
      'no_price_override',
      `You have no price of your own for "${input.model}", so nothing was removed; bundled prices can only be overridden, not removed.`,
      { model: input.model },
    );
  }
  const now = core.prices.resolve(removed.model, removed.provider);
  return {
    model: removed.model,
    provider: removed.provider,
    removed: perMillion(removed.prices),
    fallsBackTo: now.kind === 'found' ? describe(now.entry) : null,
  };
}

export const pricingHandlers: HandlersFor<typeof pricingMethods> = {
  prices: (core, input) => prices(core, input),
  priceSet: (core, input) => priceSet(core, input),
  priceRemove: (core, input) => priceRemove(core, input),
  unpricedModels: (core, input) => unpricedModels(core, input.provider),
};
