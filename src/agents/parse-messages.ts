import type { RowValues } from '../ledger/usage-row';
import type { OverrideRow } from '../pricing/overrides';
import type { FileTask } from './parse-file';
import type { MergeRule } from './parsers/types';
import type { RowChunk } from './row-chunk';

/** What the importer's thread and a parse worker say to each other (parse-pool.ts, parse-worker.ts). */

export interface WorkerInit {
  projects: Record<string, string>;
  /** One Int32: what the importer has taken so far, in chunkWeight units (back-pressure). */
  acks: SharedArrayBuffer;
  /** The ledger's zone (rows are filed on its local days) and the user's price overrides at the import's start. */
  timeZone: string;
  overrides: OverrideRow[];
}

export type ToWorker = { id: number; task: FileTask };

/** A chunk of a file's rows, or why the file stopped: an fs error `code` is the file's, none is a failure. */
export type FromWorker = { id: number; chunk: WireChunk } | { id: number; error: string; code: string | undefined };

/**
 * Rows per importer transaction: many files' worth, so a commit is rare (each rewrites pages all
 * over the unique-key index: 16,000 rows wrote 225 MB to the WAL for the 196k-row corpus, 8,000
 * wrote 259 MB). A worker runs at most this many rows ahead of the importer, so parsing goes on
 * through a commit and memory stays flat.
 */
export const BATCH_ROWS = 16_000;

/** What a chunk of `rows` rows weighs against the back-pressure limit: its rows, and one for the chunk itself. */
export function chunkWeight(rows: number): number {
  return rows + 1;
}

/**
 * A chunk as it crosses between threads: its rows, already priced and shaped (row-chunk.ts), as
 * one JSON array of value tuples, and their merge rules as one letter each. Structured clone of
 * thousands of small objects cost the importer's thread about twice what JSON.parse of the same
 * rows as tuples costs; shaped rows arrive ready to bind, with no object to build per row.
 */
export interface WireChunk extends Omit<RowChunk, 'rows' | 'merges'> {
  count: number;
  rows: string;
  merges: string;
}

const LETTER: Record<MergeRule, string> = { 'largest-output': 'o', same: 's', last: 'l' };
const RULE: Record<string, MergeRule> = { o: 'largest-output', s: 'same', l: 'last' };

export function toWire(chunk: RowChunk): WireChunk {
  const { rows, merges, ...rest } = chunk;
  let letters = '';
  for (const merge of merges) letters += LETTER[merge];
  return { ...rest, count: rows.length, rows: JSON.stringify(rows), merges: letters };
}

export function fromWire(wire: WireChunk): RowChunk {
  const { count: _count, rows, merges: letters, ...rest } = wire;
  const merges: MergeRule[] = new Array(letters.length);
  for (let i = 0; i < letters.length; i++) merges[i] = RULE[letters[i]!]!;
  return { ...rest, rows: JSON.parse(rows) as RowValues[], merges };
}
