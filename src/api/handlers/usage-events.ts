import type { z } from 'zod';
import type { UsageEventInput } from '../../model/ledger';
import { parseUsd } from '../../money';
import type { usageEvent, usageEventMethods } from '../contract/usage-events';
import type { HandlersFor } from '../handler';

type Event = z.output<ReturnType<typeof usageEvent>>;

/**
 * One row per event, source 'proxy' (metered at request time, like the proxy's own rows), keyed
 * `event:<source>#<id>` so it can never meet a provider's message id.
 */
function rowOf(e: Event, now: Date): UsageEventInput {
  const d = e.data;
  return {
    source: 'proxy',
    provider: d.provider,
    externalId: `event:${e.source}#${e.id}`,
    model: d.model,
    ...(e.subject ? { project: e.subject } : {}),
    inputTokens: d.input_tokens ?? 0,
    outputTokens: d.output_tokens ?? 0,
    cachedInputTokens: d.cache_read_input_tokens ?? 0,
    cacheWriteTokens: d.cache_creation_input_tokens ?? 0,
    ...(d.cost !== undefined ? { costNano: parseUsd(d.cost, { label: `The cost of event ${e.id}` }) } : {}),
    occurredAt: e.time ? new Date(e.time) : now,
    metadata: { via: 'events', type: e.type, source: e.source },
  };
}

export const usageEventHandlers: HandlersFor<typeof usageEventMethods> = {
  usageEvents: (core, input) => {
    const events = input;
    const now = core.clock.now();
    const result = core.usage.write(events.map((e) => rowOf(e, now)));
    if (result.touched.length) core.spendChanged('events', result.touched);
    return { accepted: events.length, inserted: result.inserted, duplicates: result.unchanged, updated: result.updated, unpriced: result.unpriced };
  },
};
