import type { Source } from '../model/ledger';
import type { FileTask, ParsedChunk } from './parse-file';
import type { AgentEvent, MergeRule } from './parsers/types';

/** What the importer's thread and a parse worker say to each other (parse-pool.ts, parse-worker.ts). */

export interface WorkerInit {
  projects: Record<string, string>;
  /** One Int32: what the importer has taken so far, in chunkWeight units (back-pressure). */
  acks: SharedArrayBuffer;
}

export type ToWorker = { id: number; task: FileTask };

/** A chunk of a file's rows, or why the file stopped: an fs error `code` is the file's, none is a failure. */
export type FromWorker = { id: number; chunk: WireChunk } | { id: number; error: string; code: string | undefined };

/**
 * Rows per importer transaction: several files' worth, so a commit is rare. 16,000 wrote a fifth
 * less to the WAL (each transaction rewrites pages all over the unique-key index) but held the
 * importer's thread in commits the one parse worker could not cover, and took peak RSS near 300 MB:
 * slower end to end. A worker runs at most this many rows ahead, so parsing goes on through a commit.
 */
export const BATCH_ROWS = 8_000;

/** What a chunk of `rows` rows weighs against the back-pressure limit: its rows, and one for the chunk itself. */
export function chunkWeight(rows: number): number {
  return rows + 1;
}

/**
 * A chunk as it crosses between threads: its rows as one JSON array of tuples. Structured clone of
 * thousands of small objects (each with a Date and a metadata object) cost the importer's thread
 * about twice what JSON.parse of the same rows as tuples costs, and the worker as much again.
 * Rows are priced and shaped on the importer's side (row-chunk.ts): done in the worker, that work
 * and half again as much JSON (63 MB instead of 41 for the 196k-row corpus) made the one parse
 * worker the slower thread and the import slower end to end.
 */
export interface WireChunk extends Omit<ParsedChunk, 'events'> {
  count: number;
  rows: string;
}

/** Every field of a UsageEventInput, in a fixed order; null for an absent optional field. */
type Tuple = [
  merge: MergeRule,
  source: Source,
  provider: string,
  account: string | null,
  externalId: string,
  model: string,
  project: string | null,
  inputTokens: number | null,
  outputTokens: number | null,
  cachedInputTokens: number | null,
  cacheWriteTokens: number | null,
  cacheWrite1hTokens: number | null,
  costNano: number | null,
  occurredAtMs: number,
  metadata: Record<string, unknown> | null,
];

export function toWire(chunk: ParsedChunk): WireChunk {
  const { events, ...rest } = chunk;
  const tuples = events.map(({ event: e, merge }): Tuple => [
    merge, e.source, e.provider, e.account ?? null, e.externalId, e.model, e.project ?? null,
    e.inputTokens ?? null, e.outputTokens ?? null, e.cachedInputTokens ?? null, e.cacheWriteTokens ?? null,
    e.cacheWrite1hTokens ?? null, e.costNano ?? null, e.occurredAt.getTime(), e.metadata ?? null,
  ]);
  return { ...rest, count: events.length, rows: JSON.stringify(tuples) };
}

export function fromWire(wire: WireChunk): ParsedChunk {
  const { count: _count, rows, ...rest } = wire;
  const events = (JSON.parse(rows) as Tuple[]).map((t) => {
    const event: AgentEvent = { source: t[1], provider: t[2], externalId: t[4], model: t[5], occurredAt: new Date(t[13]) };
    if (t[3] !== null) event.account = t[3];
    if (t[6] !== null) event.project = t[6];
    if (t[7] !== null) event.inputTokens = t[7];
    if (t[8] !== null) event.outputTokens = t[8];
    if (t[9] !== null) event.cachedInputTokens = t[9];
    if (t[10] !== null) event.cacheWriteTokens = t[10];
    if (t[11] !== null) event.cacheWrite1hTokens = t[11];
    if (t[12] !== null) event.costNano = t[12];
    if (t[14] !== null) event.metadata = t[14];
    return { event, merge: t[0] };
  });
  return { ...rest, events };
}
