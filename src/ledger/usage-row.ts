import { randomUUID } from 'node:crypto';
import { addNano, costOfTokens, type Nano } from '../money';
import { localDay } from '../time';
import type { RowValues, UsageEventInput } from '../model/ledger';

export type { RowValues } from '../model/ledger';
import { LedgerError } from './errors';
import { isSource, type Source } from './sources';

/**
 * Pricing and shaping one usage event into the row the ledger stores, apart from any connection:
 * the write path (usage.ts) and the agent-log importer (as it takes each parsed chunk, through
 * UsageLedger.shape) run the same code. Shaping in the parse workers was measured and dropped: the
 * one worker became the slower thread (docs/benchmarks.md).
 */

/** Unit prices in nano-USD per million tokens. */
export interface UnitPrices {
  input: number;
  output: number;
  cachedInput: number | null; // null: cached input billed as input
  cacheWrite: number | null; // null: cache writes billed as input
  /** Anthropic's 1-hour cache writes; null or absent: billed as cacheWrite. */
  cacheWrite1h?: number | null;
}

/** Token counts of one event, as the ledger counts them (input is fresh input only). */
export interface TokenCounts {
  input: number;
  output: number;
  cached: number;
  cacheWrite: number;
  /** The part of cacheWrite written to a 1-hour cache. */
  cacheWrite1h: number;
}

/** Cost of one event's tokens at unit prices: input side (fresh, cached, cache writes by TTL) and output. */
export function costOfUsage(p: UnitPrices, t: TokenCounts): { costIn: Nano; costOut: Nano } {
  const write1h = Math.min(t.cacheWrite1h, t.cacheWrite);
  const writePrice = p.cacheWrite ?? p.input;
  const costIn = addNano(
    addNano(costOfTokens(t.input, p.input), costOfTokens(t.cached, p.cachedInput ?? p.input)),
    addNano(costOfTokens(t.cacheWrite - write1h, writePrice), costOfTokens(write1h, p.cacheWrite1h ?? writePrice)),
  );
  return { costIn, costOut: costOfTokens(t.output, p.output) };
}

/** What the write path needs from the price catalogue. */
export interface PriceLookup {
  /** Prices for a model at an instant (DeepSeek's depend on the hour), or null when unknown. */
  priceFor(provider: string, model: string, at: Date, promptTokens: number): UnitPrices | null;
}

export interface PreparedRow {
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
  total_tokens: number;
  input_price: number | null;
  output_price: number | null;
  cached_input_price: number | null;
  cache_write_price: number | null;
  cost_input_nano: number | null;
  cost_output_nano: number | null;
  cost_total_nano: number | null;
  cost_origin: 'catalogue' | 'given' | 'unpriced';
  occurred_at: string;
  local_day: string;
  metadata: string;
  recorded_at: string;
}

/** The columns of a usage row in insert order: RowValues holds a row's values in this order. */
export const COLUMNS = [
  'source', 'provider', 'account', 'external_id', 'model', 'project', 'input_tokens', 'output_tokens',
  'cached_input_tokens', 'cache_write_tokens', 'total_tokens', 'input_price', 'output_price',
  'cached_input_price', 'cache_write_price', 'cost_input_nano', 'cost_output_nano', 'cost_total_nano',
  'cost_origin', 'occurred_at', 'local_day', 'metadata', 'recorded_at',
] as const satisfies readonly (keyof PreparedRow)[];

/** Positions in RowValues the write path reads. */
export const V = {
  source: 0, provider: 1, externalId: 3, model: 4, input: 6, output: 7, cached: 8, cacheWrite: 9,
  inputPrice: 11, outputPrice: 12, cachedPrice: 13, cacheWritePrice: 14, costIn: 15, costOut: 16,
  costTotal: 17, costOrigin: 18, occurredAt: 19, localDay: 20, recordedAt: 22,
} as const;

/** The row of bind-ready values (the rare revision path compares and updates whole rows). */
export function rowOfValues(v: RowValues): PreparedRow {
  const row = {} as Record<string, unknown>;
  COLUMNS.forEach((column, i) => (row[column] = v[i]));
  return row as unknown as PreparedRow;
}

function tokens(n: number | undefined): number {
  return n ?? 0;
}

/**
 * Price and shape one event (validated first) into its values in COLUMNS order: built directly as
 * the array the insert binds, one allocation per row (a first import shapes hundreds of thousands).
 * Pure apart from the price lookup.
 */
export function shapeRowValues(event: UsageEventInput, prices: PriceLookup, timeZone: string, recordedAt: string): RowValues {
  validateEvent(event);
  const input = tokens(event.inputTokens);
  const output = tokens(event.outputTokens);
  const cached = tokens(event.cachedInputTokens);
  const cacheWrite = tokens(event.cacheWriteTokens);
  const v: RowValues = [
    event.source, event.provider, event.account ?? 'default', event.externalId ?? randomUUID(), event.model, event.project ?? '',
    input, output, cached, cacheWrite, input + output + cached + cacheWrite,
    null, null, null, null, null, null, null, 'unpriced',
    event.occurredAt.toISOString(), localDay(event.occurredAt, timeZone), event.metadata ? JSON.stringify(event.metadata) : '{}', recordedAt,
  ];
  if (event.costNano !== undefined) {
    v[V.costTotal] = event.costNano;
    v[V.costOrigin] = 'given';
    return v;
  }
  const p = prices.priceFor(event.provider, event.model, event.occurredAt, input + cached + cacheWrite);
  if (!p) return v; // unpriced: never $0, counted apart so status can say so
  const { costIn, costOut } = costOfUsage(p, { input, output, cached, cacheWrite, cacheWrite1h: tokens(event.cacheWrite1hTokens) });
  v[V.inputPrice] = p.input;
  v[V.outputPrice] = p.output;
  v[V.cachedPrice] = p.cachedInput;
  v[V.cacheWritePrice] = p.cacheWrite;
  v[V.costIn] = costIn;
  v[V.costOut] = costOut;
  v[V.costTotal] = addNano(costIn, costOut);
  v[V.costOrigin] = 'catalogue';
  return v;
}

/** The same row as an object, for callers that read it by name. */
export function shapeUsageRow(event: UsageEventInput, prices: PriceLookup, timeZone: string, recordedAt: string): PreparedRow {
  return rowOfValues(shapeRowValues(event, prices, timeZone, recordedAt));
}

function checkTokens(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new LedgerError('invalid', `${name} must be a whole number, zero or more (got ${String(value)}).`);
  }
}

/**
 * Every event is checked before it is written, whoever produced it (CLI, sync, proxy): a bad row
 * from a provider's garbage answer is refused instead of stored.
 */
export function validateEvent(event: UsageEventInput): void {
  if (!isSource(event.source)) throw new LedgerError('invalid', `"${String(event.source)}" is not a source of spend Burnrate knows.`);
  if (!event.provider) throw new LedgerError('invalid', 'A usage event needs a provider.');
  if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) {
    throw new LedgerError('invalid', `The usage event of ${event.provider} has no valid time.`);
  }
  checkTokens(event.inputTokens, 'Input tokens');
  checkTokens(event.outputTokens, 'Output tokens');
  checkTokens(event.cachedInputTokens, 'Cached input tokens');
  checkTokens(event.cacheWriteTokens, 'Cache write tokens');
  checkTokens(event.cacheWrite1hTokens, '1-hour cache write tokens');
  if (event.costNano !== undefined && !Number.isSafeInteger(event.costNano)) {
    throw new LedgerError('invalid', `The cost of a ${event.provider} usage event is not an exact amount.`);
  }
  if (event.externalId !== undefined && (event.externalId.length === 0 || event.externalId.length > 500)) {
    throw new LedgerError('invalid', 'An external id must be 1 to 500 characters.');
  }
}
