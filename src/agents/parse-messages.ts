import type { RowValues } from '../ledger/usage-row';
import type { PriceSnapshot } from '../pricing/fixed-prices';
import type { FileTask } from './parse-file';
import type { MergeRule } from './parsers/types';
import type { RowChunk } from './row-chunk';

/** What the importer's thread and a parse worker say to each other (parse-pool.ts, parse-worker.ts). */

export interface WorkerInit {
  projects: Record<string, string>;
  /** What the worker prices and files rows with: the user's prices when the import began, and the ledger's zone. */
  shaping: Shaping;
  /** One Int32: what the importer has taken so far, in chunkWeight units (back-pressure). */
  acks: SharedArrayBuffer;
}

export interface Shaping {
  prices: PriceSnapshot;
  timeZone: string;
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
 * A chunk as it crosses between threads: its rows priced and shaped in the worker (row-chunk.ts), as
 * one JSON array of the rows' bind-ready values, so the importer's thread only binds them.
 * Structured clone of thousands of small arrays cost both threads about twice what JSON does.
 *
 * (Until the WebAssembly line reader made parsing cheap, pricing stayed on the importer's side: the
 * one parse worker was then the slower thread. Now the importer's thread is, with the INSERTs it
 * alone can run, so everything else moved off it.)
 */
export interface WireChunk extends Omit<RowChunk, 'rows' | 'merges'> {
  count: number;
  /** JSON of [merges, rows]. */
  rows: string;
}

export function toWire(chunk: RowChunk): WireChunk {
  const { rows, merges, ...rest } = chunk;
  return { ...rest, count: rows.length, rows: JSON.stringify([merges, rows]) };
}

export function fromWire(wire: WireChunk): RowChunk {
  const { count: _count, rows, ...rest } = wire;
  const [merges, values] = JSON.parse(rows) as [MergeRule[], RowValues[]];
  return { ...rest, rows: values, merges };
}
