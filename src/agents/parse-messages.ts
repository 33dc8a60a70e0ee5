import type { FileTask, ParsedChunk } from './parse-file';

/** What the importer's thread and a parse worker say to each other (parse-pool.ts, parse-worker.ts). */

export interface WorkerInit {
  projects: Record<string, string>;
  /** One Int32: what the importer has taken so far, in chunkWeight units (back-pressure). */
  acks: SharedArrayBuffer;
}

export type ToWorker = { id: number; task: FileTask };

/** A chunk of a file's rows, or why the file stopped: an fs error `code` is the file's, none is a failure. */
export type FromWorker = { id: number; chunk: ParsedChunk } | { id: number; error: string; code: string | undefined };

/** What a chunk weighs against the back-pressure limit: its rows, and one for the chunk itself. */
export function chunkWeight(chunk: ParsedChunk): number {
  return chunk.events.length + 1;
}
