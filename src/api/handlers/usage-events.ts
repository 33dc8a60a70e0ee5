import type { z } from 'zod';
import type { Core } from '../../app/open';
import { uniqueDayKeys, type DayKey } from '../../model/day-key';
import type { UsageEventInput, WriteResult } from '../../model/ledger';
import { parseAt } from '../../model/at';
import { parseUsd } from '../../money';
import type { usageEvent, usageEventMethods } from '../contract/usage-events';
import type { HandlersFor } from '../handler';

type Event = z.output<ReturnType<typeof usageEvent>>;

/**
 * The row key of an event, `event:<source>#<id>`: the first `#` ends the source, so it can never
 * meet a provider's message id, and two events share a key only when they share source and id. A
 * source holding `#` would make that ambiguous (source `a#b` with id `c`, and `a` with `b#c`), so it
 * is escaped, under a prefix of its own that leaves every other key as it was.
 */
export function eventKey(source: string, id: string): string {
  return source.includes('#') ? `event~:${encodeURIComponent(source)}#${id}` : `event:${source}#${id}`;
}

/** An event's row so far, found by its key alone (migration 018's index), whatever its provider. */
interface Earlier {
  provider: string;
  occurred_at: string;
}
// INDEXED BY: without statistics the planner prefers the unique key's (source = 'proxy'), which
// would read every proxy row; the GLOB term is what lets the partial index serve.
export const EVENT_ROW_BY_KEY = `SELECT provider, occurred_at FROM usage_events INDEXED BY usage_events_event_key
  WHERE source = 'proxy' AND external_id = ? AND external_id GLOB 'event*'`;

/** Events are metered at request time, like the proxy's own rows: source 'proxy'. */
function rowOf(e: Event, key: string, occurredAt: Date): UsageEventInput {
  const d = e.data;
  return {
    source: 'proxy',
    provider: d.provider,
    externalId: key,
    model: d.model,
    ...(e.subject ? { project: e.subject } : {}),
    inputTokens: d.input_tokens ?? 0,
    outputTokens: d.output_tokens ?? 0,
    cachedInputTokens: d.cache_read_input_tokens ?? 0,
    cacheWriteTokens: d.cache_creation_input_tokens ?? 0,
    ...(d.cost !== undefined ? { costNano: parseUsd(d.cost, { label: `The cost of event ${e.id}` }) } : {}),
    occurredAt,
    metadata: { via: 'events', type: e.type, source: e.source },
  };
}

/**
 * Write a batch, idempotent on (source, id): an event sent again replaces its row (last one wins),
 * also when it names another provider (its row moves), and one sent again without a time keeps the
 * time it was first recorded at (a retry is not a new call). Within a batch the last of the events
 * sharing a key stands for them, and the others count as duplicates.
 */
function writeEvents(core: Core, events: readonly Event[]) {
  const last = new Map<string, Event>();
  for (const e of events) {
    const key = eventKey(e.source, e.id);
    last.delete(key); // re-inserted: the map keeps the batch's order of last occurrences
    last.set(key, e);
  }
  const earlier = core.db.prepare(EVENT_ROW_BY_KEY);
  return core.db.transaction(() => {
    const counts = { inserted: 0, updated: 0, duplicates: events.length - last.size, unpriced: 0, pruned: 0 };
    const touched: DayKey[] = [];
    const add = (r: WriteResult) => {
      const pruned = r.prunedSkipped ?? 0;
      counts.inserted += r.inserted;
      counts.updated += r.updated;
      counts.duplicates += r.unchanged - pruned;
      counts.unpriced += r.unpriced;
      counts.pruned += pruned;
      touched.push(...r.touched);
    };
    const stay: UsageEventInput[] = [];
    const moves: { row: UsageEventInput; from: string[] }[] = [];
    for (const [key, e] of last) {
      const found = earlier.all(key) as Earlier[];
      const before = found.find((r) => r.provider === e.data.provider) ?? found[0];
      const at = e.time === undefined && before ? new Date(before.occurred_at) : parseAt(e.time, core, { label: `The time of event ${e.id}`, remedy: `give the time event ${e.id}'s model call happened` });
      const row = rowOf(e, key, at);
      const elsewhere = found.filter((r) => r.provider !== e.data.provider).map((r) => r.provider);
      if (elsewhere.length) moves.push({ row, from: elsewhere });
      else stay.push(row);
    }
    add(core.usage.write(stay));
    for (const { row, from } of moves) {
      const written = core.usage.write([row]);
      if (written.prunedSkipped) {
        add(written); // not written (a closed month's pruned day): the row it would replace stays
        continue;
      }
      // Written under its new provider (or there already: a double count from before migration 018),
      // so its row under the old one goes: the event moved, one update.
      for (const provider of from) touched.push(...core.usage.remove('proxy', provider, [row.externalId!]).touched);
      add({ ...written, inserted: 0, updated: 1, unchanged: 0 });
    }
    return { ...counts, touched: uniqueDayKeys(touched) };
  })();
}

export const usageEventHandlers: HandlersFor<typeof usageEventMethods> = {
  usageEvents: (core, input) => {
    const written = writeEvents(core, input);
    if (written.touched.length) core.spendChanged('events', written.touched);
    return { accepted: input.length, inserted: written.inserted, duplicates: written.duplicates, updated: written.updated, unpriced: written.unpriced, pruned: written.pruned };
  },
};
