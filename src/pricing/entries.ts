import type { UnitPrices } from '../ledger/usage';
import { pricePerMillionFromUsd } from '../money';
import type { BundledEntry, BundledPrices } from './bundled';
import { isDeepSeekPeak } from './peak';
import type { OverrideRow } from './overrides';

/** Prices in integer nano-USD per million tokens ($0.0375/MTok is 37_500_000). */
export interface PriceSet extends UnitPrices {
  /** Anthropic's 1-hour cache write; null when the source gives none. */
  cacheWrite1h: number | null;
}

/** A catalogue entry: prices in nano-USD per million tokens. */
export interface CatalogueEntry {
  provider: string;
  model: string;
  /** The current prices (DeepSeek: the peak, full prices). */
  prices: PriceSet;
  origin: 'bundled' | 'override';
  source: string;
  /** Date of the source (bundled) or of the override. */
  asOf: string;
  confidence: 'confirmed' | 'likely' | 'unconfirmed' | 'user';
  aliases: readonly string[];
  /** Ascending by threshold; each a complete price set. */
  tiers: readonly { aboveTokens: number; prices: PriceSet }[];
  /** DeepSeek's off-peak prices, or null for a flat price. */
  offPeak: PriceSet | null;
  /** Prices that applied before `until` (ascending), each a complete price set. */
  earlier: readonly { until: string; untilMs: number; prices: PriceSet }[];
  notes: readonly string[];
}

/** Which prices apply to one request, and why. */
export interface PriceSelection {
  prices: PriceSet;
  period: 'peak' | 'off-peak' | null;
  /** The tier threshold that applied, or null for the base prices. */
  tierAboveTokens: number | null;
  /** Set when an earlier price applied: the instant it ended. */
  earlierUntil: string | null;
}

function nano(text: string, what: string, model: string): number {
  try {
    return pricePerMillionFromUsd(text);
  } catch (error) {
    throw new Error(`Bundled price ${what} of ${model} ("${text}") is not an exact decimal: ${(error as Error).message}`);
  }
}

function optionalNano(text: string | undefined, what: string, model: string): number | null {
  return text === undefined ? null : nano(text, what, model);
}

function compileSet(p: BundledPrices, model: string): PriceSet {
  return {
    input: nano(p.input, 'input', model),
    output: nano(p.output, 'output', model),
    cachedInput: optionalNano(p.cachedInput, 'cachedInput', model),
    cacheWrite: optionalNano(p.cacheWrite, 'cacheWrite', model),
    cacheWrite1h: optionalNano(p.cacheWrite1h, 'cacheWrite1h', model),
  };
}

/** A partial price list over a complete one: fields it names replace the base's. */
function overlay(base: PriceSet, partial: Partial<BundledPrices>, model: string): PriceSet {
  return {
    input: partial.input !== undefined ? nano(partial.input, 'input', model) : base.input,
    output: partial.output !== undefined ? nano(partial.output, 'output', model) : base.output,
    cachedInput: partial.cachedInput !== undefined ? nano(partial.cachedInput, 'cachedInput', model) : base.cachedInput,
    cacheWrite: partial.cacheWrite !== undefined ? nano(partial.cacheWrite, 'cacheWrite', model) : base.cacheWrite,
    cacheWrite1h: partial.cacheWrite1h !== undefined ? nano(partial.cacheWrite1h, 'cacheWrite1h', model) : base.cacheWrite1h,
  };
}

export function compileBundled(entry: BundledEntry): CatalogueEntry {
  const prices = compileSet(entry, entry.model);
  const tiers = [...(entry.tiers ?? [])]
    .sort((a, b) => a.aboveTokens - b.aboveTokens)
    .map(({ aboveTokens, ...rest }) => ({ aboveTokens, prices: overlay(prices, rest, entry.model) }));
  const earlier = [...(entry.earlier ?? [])]
    .map(({ until, ...rest }) => {
      const untilMs = Date.parse(until);
      if (!Number.isFinite(untilMs)) throw new Error(`Bundled price of ${entry.model} has a bad "until" instant: ${until}`);
      return { until: new Date(untilMs).toISOString(), untilMs, prices: overlay(prices, rest, entry.model) };
    })
    .sort((a, b) => a.untilMs - b.untilMs);
  return {
    provider: entry.provider,
    model: entry.model,
    prices,
    origin: 'bundled',
    source: entry.source,
    asOf: entry.asOf,
    confidence: entry.confidence,
    aliases: entry.aliases ?? [],
    tiers,
    offPeak: entry.offPeak ? compileSet(entry.offPeak, entry.model) : null,
    earlier,
    notes: entry.notes ?? [],
  };
}

/** An override row of the ledger as an entry: one flat price, no tiers, no time of day. */
export function overrideEntry(row: OverrideRow): CatalogueEntry {
  return {
    provider: row.provider,
    model: row.model,
    prices: {
      input: row.input_price,
      output: row.output_price,
      cachedInput: row.cached_input_price,
      cacheWrite: row.cache_write_price,
      cacheWrite1h: null,
    },
    origin: 'override',
    source: `your own price, set at ${row.updated_at}`,
    asOf: row.updated_at.slice(0, 10),
    confidence: 'user',
    aliases: [],
    tiers: [],
    offPeak: null,
    earlier: [],
    notes: [],
  };
}

/**
 * The prices of one request: an earlier price if the instant precedes a change, else DeepSeek's
 * off-peak price outside peak hours, else the long-context tier the prompt size falls in.
 */
export function selectPrices(entry: CatalogueEntry, at: Date, promptTokens: number): PriceSet {
  if (entry.earlier.length) {
    const ms = at.getTime();
    for (const step of entry.earlier) if (ms < step.untilMs) return step.prices;
  }
  if (entry.offPeak && !isDeepSeekPeak(at)) return entry.offPeak;
  let chosen = entry.prices;
  for (const tier of entry.tiers) {
    if (promptTokens > tier.aboveTokens) chosen = tier.prices;
  }
  return chosen;
}

/** selectPrices with the reasons, for display. */
export function describeSelection(entry: CatalogueEntry, at: Date, promptTokens: number): PriceSelection {
  const prices = selectPrices(entry, at, promptTokens);
  const earlier = entry.earlier.find((step) => step.prices === prices) ?? null;
  const tier = entry.tiers.find((t) => t.prices === prices) ?? null;
  return {
    prices,
    period: entry.offPeak ? (prices === entry.offPeak ? 'off-peak' : 'peak') : null,
    tierAboveTokens: tier ? tier.aboveTokens : null,
    earlierUntil: earlier ? earlier.until : null,
  };
}
