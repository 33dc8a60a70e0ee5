import type { Nano } from '../money';
import type { DayKey } from './day-key';

// The ledger's write vocabulary: what a row says when it enters, and what the writers
// (src/ledger/usage.ts, src/ledger/billed.ts) answer. Domain code writes through these ports.

/** Where a ledger row came from (src/ledger/sources.ts has the rule for which source counts). */
export const SOURCES = ['billing_api', 'odometer', 'balance', 'subscription', 'manual', 'proxy', 'agent_log'] as const;
export type Source = (typeof SOURCES)[number];

/**
 * One usage event as it enters the ledger. Token semantics: `inputTokens` are fresh (uncached)
 * input only; cache reads and cache writes are counted apart. OpenAI's prompt_tokens includes
 * cached tokens, so its normaliser subtracts them.
 */
export interface UsageEventInput {
  source: Source;
  provider: string;
  account?: string;
  /** Idempotency key within (source, provider). Omit for a one-off manual record. */
  externalId?: string;
  model: string;
  project?: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  /** The part of cacheWriteTokens written to a 1-hour cache (Anthropic), priced apart. */
  cacheWrite1hTokens?: number;
  /** A cost the caller knows (from the provider, or typed by the user). Wins over the catalogue. */
  costNano?: Nano;
  occurredAt: Date;
  metadata?: Record<string, unknown>;
}

export interface WriteResult {
  inserted: number;
  updated: number;
  unchanged: number;
  unpriced: number;
  /** Events of days whose raw events were pruned (their rollups are the record): not written. */
  prunedSkipped?: number;
  /** The (local day, provider) pairs whose totals changed. */
  touched: DayKey[];
}

/**
 * A usage event priced and shaped into the row the ledger stores, as bind-ready values in the
 * insert's column order (src/ledger/usage-row.ts COLUMNS). What a bulk import hands the writer
 * (UsageLedger.writeValues): the writing thread binds them without building an object per row.
 */
export type RowValues = [
  source: Source, provider: string, account: string, external_id: string, model: string, project: string,
  input_tokens: number, output_tokens: number, cached_input_tokens: number, cache_write_tokens: number,
  total_tokens: number, input_price: number | null, output_price: number | null, cached_input_price: number | null,
  cache_write_price: number | null, cost_input_nano: Nano | null, cost_output_nano: Nano | null,
  cost_total_nano: Nano | null, cost_origin: 'catalogue' | 'given' | 'unpriced', occurred_at: string, local_day: string,
  metadata: string, recorded_at: string,
];

/** One bucket of what a provider billed, as its client normalised it. */
export interface BilledCostInput {
  provider: string;
  account?: string;
  /** Deterministic key: bucket start plus the grouping dimensions, so a re-sync hits the same row. */
  externalId: string;
  bucketStart: Date;
  bucketEnd: Date;
  model?: string;
  lineItem?: string;
  project?: string;
  amountNano: Nano;
  metadata?: Record<string, unknown>;
}

export interface BilledWriteResult {
  inserted: number;
  updated: number;
  unchanged: number;
  touched: DayKey[];
}

/** The one write path for usage events (src/ledger/usage.ts UsageWriter). */
export interface UsageLedger {
  /** Upsert events by (source, provider, externalId) and keep the rollups current, in one transaction. */
  write(events: readonly UsageEventInput[]): WriteResult;
  /** Replace every row of `source`/`provider` whose external id starts with `prefix` by `events`. */
  replaceDerived(source: Source, provider: string, prefix: string, events: readonly UsageEventInput[]): WriteResult;
  /** Remove the rows of `source`/`provider` with these external ids, keeping the rollups current. */
  remove(source: Source, provider: string, externalIds: readonly string[]): { removed: number; touched: DayKey[] };
  /** Price and shape one event (validated) exactly as `write` stores it; recorded_at is left for writeValues. */
  shape(event: UsageEventInput): RowValues;
  /** Write rows already shaped by `shape`, like `write`; recorded_at is this write's time. */
  writeValues(rows: readonly RowValues[]): WriteResult;
}

/** The write path for provider-billed buckets (src/ledger/billed.ts BilledWriter). */
export interface BilledLedger {
  write(rows: readonly BilledCostInput[]): BilledWriteResult;
  /** Remove buckets a newer answer made obsolete (by external id), keeping the rollups current. */
  remove(provider: string, externalIds: readonly string[], account?: string): { removed: number; touched: DayKey[] };
}
