import { builtOnce, z } from '../../model/zod';
import { method } from '../define';
import { isoInstant, printableText, providerSlug, tokenCount, usdAmount } from '../schemas';

/** No single model call uses a billion tokens: a larger count is a mistake, and its price could pass what an amount can hold. */
export const MAX_EVENT_TOKENS = 1_000_000_000;
const eventTokens = () => tokenCount().pipe(z.number().max(MAX_EVENT_TOKENS, 'must be at most 1000000000 tokens (no model call uses more)'));
const text = () => printableText().trim();

/**
 * Usage events from the user's own apps (docs/proxy.md, "Usage events"): CloudEvents 1.0 envelopes
 * (structured mode) whose data says what one model call used. Idempotent on (source, id): the same
 * event sent twice counts once, so a client may retry freely.
 */
const usageData = builtOnce(() =>
  z
  .object({
    provider: providerSlug(),
    model: text().min(1, 'must name the model').max(200),
    input_tokens: eventTokens().optional(),
    output_tokens: eventTokens().optional(),
    /** Cache reads (OpenAI cached_tokens, Anthropic cache_read_input_tokens); not part of input_tokens. */
    cache_read_input_tokens: eventTokens().optional(),
    cache_creation_input_tokens: eventTokens().optional(),
    /** What the call cost, when the app knows it; otherwise priced from the catalogue. */
    cost: usdAmount().optional(),
  })
  .strict(),
);

export const usageEvent = builtOnce(() =>
  z
  .object({
    specversion: z.literal('1.0', { message: 'must be "1.0" (CloudEvents 1.0)' }),
    id: text().min(1, 'must be a non-empty id, unique within its source').max(200),
    source: text().min(1, 'must name the app or service that sent the event').max(200),
    type: text().min(1, 'must be the event type, such as com.burnrate.usage').max(200),
    subject: text().max(100).optional(),
    time: isoInstant().optional(),
    datacontenttype: z.literal('application/json').optional(),
    data: usageData(),
  })
  .strict(),
);

export const MAX_EVENTS_PER_BATCH = 1000;

export interface UsageEventsResult {
  accepted: number;
  inserted: number;
  /** Events seen before (same source and id): counted once. */
  duplicates: number;
  /** Events updated because the same (source, id) came back with other figures. */
  updated: number;
  /** Events stored without a price (model unknown to the catalogue and no cost given). */
  unpriced: number;
  /**
   * Events dated in a closed month whose details were pruned (docs/month-close.md): not written,
   * since the month's totals are final and a copy could not be told from the original.
   */
  pruned: number;
}

export const usageEventMethods = {
  usageEvents: method<UsageEventsResult>()({
    kind: 'write',
    description: 'Record usage events from your own apps: one CloudEvents-shaped event or a batch (an array, at most 1000); idempotent on (source, id). Also POST /api/events.',
    // One event is a batch of one: validated as a list, so an error names the event and its field.
    input: () =>
      z.preprocess(
        (v) => (Array.isArray(v) ? v : [v]),
        z.array(usageEvent()).min(1, 'must hold at least one event').max(MAX_EVENTS_PER_BATCH, `must hold at most ${MAX_EVENTS_PER_BATCH} events; send the rest in another batch`),
      ),
  }),
};
