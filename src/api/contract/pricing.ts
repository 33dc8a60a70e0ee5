import { z } from '../../model/zod';
import { method } from '../define';
import { isoInstant, providerSlug, tokenCount, usdAmount, type Usd } from '../schemas';

import type { UnpricedModelList } from '../../pricing/unpriced-models';
export type { UnpricedModel, UnpricedModelList } from '../../pricing/unpriced-models';

// ---- results ------------------------------------------------------------------------------------

/** Prices in USD per million tokens, as exact decimal strings ("0.0375"). */
export interface PerMillionUsd {
  input: Usd;
  output: Usd;
  /** Cache reads; null: billed as input. */
  cachedInput: Usd | null;
  /** Cache writes (Anthropic: the 5-minute write); null: billed as input. */
  cacheWrite: Usd | null;
  /** Anthropic's 1-hour cache write, shown for reference. */
  cacheWrite1h: Usd | null;
}

export interface PriceEntryView {
  provider: string;
  model: string;
  origin: 'bundled' | 'override';
  /** False for a bundled entry the user has overridden. */
  active: boolean;
  aliases: string[];
  /** USD per million tokens (DeepSeek: the peak, full price). */
  perMillion: PerMillionUsd;
  /** Long-context tiers: a prompt above `aboveTokens` tokens pays these prices. */
  tiers: { aboveTokens: number; perMillion: PerMillionUsd }[];
  /** DeepSeek's time-of-day pricing, or null for a flat price. */
  timeOfDay: { rule: string; offPeak: PerMillionUsd } | null;
  /** Prices that applied before `until`. */
  earlier: { until: string; perMillion: PerMillionUsd }[];
  source: string;
  asOf: string;
  confidence: 'confirmed' | 'likely' | 'unconfirmed' | 'user';
  notes: string[];
}

export interface PriceMatch {
  /** The name asked for, as given. */
  query: string;
  provider: string | null;
  /** One sentence: how the name reached the entry. */
  explanation: string;
  steps: { kind: 'provider-prefix' | 'dotted-version' | 'dated-snapshot' | 'alias' | 'override'; from: string; to: string }[];
  /** The prices that apply at `at` to a prompt of `promptTokens` tokens. */
  at: string;
  promptTokens: number;
  period: 'peak' | 'off-peak' | null;
  tierAboveTokens: number | null;
  /** Set when a price from before a change applies: the instant that price ended. */
  earlierUntil: string | null;
  effective: PerMillionUsd;
}

export interface PriceList {
  /** Date of the newest bundled source. */
  bundledAsOf: string;
  /** One entry when a model was asked for, else every entry (overrides first). */
  entries: PriceEntryView[];
  /** Set when a model was asked for. */
  match: PriceMatch | null;
}

export interface PriceSetResult {
  /** The name the override is stored under (lower case, without its provider's prefix). */
  model: string;
  provider: string;
  perMillion: PerMillionUsd;
  /** The bundled entry this override replaces, if any ("anthropic claude-sonnet-4-5"). */
  replacesBundled: string | null;
  /** The user's earlier override of the same name, if any. */
  previous: PerMillionUsd | null;
  /** Earlier unpriced usage rows that this price now prices. */
  repricedEvents: number;
}

export interface PriceRemoveResult {
  model: string;
  provider: string;
  removed: PerMillionUsd;
  /** What the model falls back to now: a bundled entry, or null (unpriced). */
  fallsBackTo: string | null;
}

// ---- methods ------------------------------------------------------------------------------------

const modelName = () => z.string().trim().min(1, 'must name the model').max(200);

export const pricingMethods = {
  prices: method<PriceList>()({
    kind: 'read',
    description:
      'The price catalogue (USD per million tokens): every entry, or how one model name resolves (alias, snapshot, prefix, override) and what it costs at an instant.',
    input: () => z
      .object({
        model: modelName().optional(),
        provider: providerSlug().optional(),
        at: isoInstant().optional(),
        promptTokens: tokenCount().optional(),
      })
      .strict(),
  }),
  priceSet: method<PriceSetResult>()({
    kind: 'write',
    description: 'Set your own price for a model (USD per million tokens). It wins over the bundled price from now on.',
    input: () => z
      .object({
        model: modelName(),
        provider: providerSlug(),
        input: usdAmount(),
        output: usdAmount(),
        cachedInput: usdAmount().optional(),
        cacheWrite: usdAmount().optional(),
      })
      .strict(),
  }),
  unpricedModels: method<UnpricedModelList>()({
    kind: 'read',
    description: 'The models whose usage has no known price (kept out of every total, never $0), most rows first: the ones to give a price.',
    input: () => z.object({ provider: providerSlug().optional() }).strict(),
  }),
  priceRemove: method<PriceRemoveResult>()({
    kind: 'write',
    description: 'Remove your own price for a model; the bundled price (if any) applies again to new usage.',
    input: () => z.object({ model: modelName() }).strict(),
  }),
};
