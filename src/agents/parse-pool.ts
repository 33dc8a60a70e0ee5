import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseLogFile, type FileTask, type ParsedChunk } from './parse-file';
import { chunkWeight, fromWire, type FromWorker, type Shaping, type ToWorker, type WireChunk, type WorkerInit } from './parse-messages';
import { shapeChunk, type RowChunk, type RowShaper } from './row-chunk';

/**
 * Parses log files in worker threads while the importer's thread writes: reading and JSON.parse of
 * one file overlap with the inserts of the one before. Chunks come back in the files' order, exactly
 * as `parseLogFile` in-process would give them, so the rows are the same either way.
 *
 * If a worker dies (or fails on a file), nothing it sent that the importer had not taken counts:
 * the workers are stopped and the rest is read in-process, the interrupted file from just after
 * its last chunk taken. So a crash neither loses nor repeats a row.
 */

/** Worker bundle beside the running bundle (dist/): present in the CLI build, absent under vitest. */
export function defaultWorkerScript(): string | undefined {
  const script = path.join(__dirname, 'agent-parse-worker.cjs');
  return fs.existsSync(script) ? script : undefined;
}

/** Leave one core to the importer's writes; at most two parsers (the writes are the other half). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, os.availableParallelism() - 1));
}

export interface PoolOptions {
  script: string;
  workers: number;
  projects: Record<string, string>;
  /** How rows are priced and shaped in this thread (files read here, after a worker failed). */
  shaper: RowShaper;
  /** What the workers price and file rows with (the same prices and zone as `shaper`). */
  shaping: Shaping;
  /**
   * The generation of the user's prices now. Once it differs from `shaping`'s, the workers' rows
   * are priced with old prices: they are given up like a failed worker's, and the rest is read
   * and priced in this thread.
   */
  pricesGeneration: () => number;
  /** Files handed out ahead of the one being taken (memory bound). */
  ahead?: number;
  /** Each worker as it starts (tests stop one mid-import to see nothing lost or repeated). */
  onWorker?: (worker: Worker) => void;
  /** Told why the workers were given up (the rest is read in-process); for logs and tests. */
  onFailure?: (reason: string) => void;
}

/** A file that could not be read (its fs error code): the last item of its task. */
export interface ReadProblem {
  code: string;
  message: string;
}

export type TaskChunk = { index: number; chunk: RowChunk } | { index: number; problem: ReadProblem };

type Item = { chunk: WireChunk } | { problem: ReadProblem };

/** The fs error of an unreadable file, or undefined for anything else (a bug, never hidden). */
export function readProblem(error: unknown): ReadProblem | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? { code, message: (error as Error).message } : undefined;
}

/**
 * Every chunk of one file read in this thread, shaped into rows, or its read problem. Only reading
 * can end in a problem: a row the ledger refuses throws (its LedgerError has a code of its own).
 */
export function* parseHere(index: number, task: FileTask, projects: Record<string, string>, shaper: RowShaper): Generator<TaskChunk, void, void> {
  const chunks = parseLogFile(task, projects);
  for (;;) {
    let next: IteratorResult<ParsedChunk, void>;
    try {
      next = chunks.next();
    } catch (error) {
      const problem = readProblem(error);
      if (!problem) throw error;
      yield { index, problem };
      return;
    }
    if (next.done) return;
    yield { index, chunk: shapeChunk(next.value, shaper) };
  }
}

interface Slot {
  worker: Worker;
  acks: Int32Array;
  /** Files handed to this worker and not finished: it reads them one after another. */
  queued: number;
}

/**
 * Yields every chunk of every task, task by task in order. An in-process read that throws (an
 * unreadable file) surfaces as the error of `parseLogFile`, for the importer to word.
 */
export async function* parseInOrder(tasks: readonly FileTask[], options: PoolOptions): AsyncGenerator<TaskChunk, void, void> {
  const ahead = options.ahead ?? 64;
  const buffers: Item[][] = tasks.map(() => []);
  const owner: (Slot | undefined)[] = tasks.map(() => undefined);
  let failed = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (reason: string) => {
    if (!failed) options.onFailure?.(reason);
    failed = true;
    poke();
  };
  let nextTask = 0;
  let current = 0;
  const slots: Slot[] = [];
  // Files are queued on the workers ahead of time: a worker never idles while this thread is busy
  // in a long commit and cannot hand it the next file.
  const assign = () => {
    while (!failed && slots.length > 0 && nextTask < tasks.length && nextTask - current < ahead) {
      const slot = slots.reduce((a, b) => (b.queued < a.queued ? b : a));
      slot.queued++;
      owner[nextTask] = slot;
      slot.worker.postMessage({ id: nextTask, task: tasks[nextTask]! } satisfies ToWorker);
      nextTask++;
    }
  };
  for (let i = 0; i < options.workers && tasks.length > 0; i++) {
    const acks = new SharedArrayBuffer(4);
    const worker = new Worker(options.script, { workerData: { projects: options.projects, shaping: options.shaping, acks } satisfies WorkerInit });
    const slot: Slot = { worker, acks: new Int32Array(acks), queued: 0 };
    worker.on('message', (message: FromWorker) => {
      // A file that cannot be opened or read is the file's problem; any other error is the worker's.
      if ('error' in message && message.code === undefined) fail(message.error);
      else {
        const item: Item = 'error' in message ? { problem: { code: message.code!, message: message.error } } : { chunk: message.chunk };
        buffers[message.id]!.push(item);
        if ('problem' in item || item.chunk.done) slot.queued--;
      }
      poke();
    });
    worker.on('error', (error) => fail(`${(error as NodeJS.ErrnoException).code ?? 'error'}: ${error.message}`));
    worker.on('exit', (code) => fail(`the worker exited (${code})`)); // only when stopped below, or a crash
    slots.push(slot);
    options.onWorker?.(worker);
  }
  // Chunks are taken in order; `resumeFrom` is the state after the last chunk taken of the current file.
  let resumeFrom: RowChunk | undefined;
  try {
    assign();
    while (current < tasks.length && !failed) {
      const buffered = buffers[current]!;
      if (buffered.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (failed || buffered.length > 0) poke();
        });
        continue;
      }
      if ('chunk' in buffered[0]! && options.pricesGeneration() !== options.shaping.prices.generation) {
        fail('the prices changed during the import'); // this chunk is read again, here
        break;
      }
      const item = buffered.shift()!;
      if ('problem' in item) {
        yield { index: current, problem: item.problem };
      } else {
        const slot = owner[current]!;
        Atomics.add(slot.acks, 0, chunkWeight(item.chunk.count));
        Atomics.notify(slot.acks, 0);
        const chunk = fromWire(item.chunk);
        resumeFrom = chunk;
        yield { index: current, chunk };
      }
      if ('problem' in item || item.chunk.done) {
        buffers[current] = [];
        current++;
        resumeFrom = undefined;
        assign();
      }
    }
  } finally {
    for (const slot of slots) {
      // A worker waiting for its chunks to be taken is released first, then stopped.
      Atomics.add(slot.acks, 0, 1 << 30);
      Atomics.notify(slot.acks, 0);
      slot.worker.removeAllListeners('exit');
      slot.worker.on('exit', () => undefined);
      void slot.worker.terminate();
    }
  }
  if (current >= tasks.length) return;
  // A worker failed: read the rest here, the interrupted file from where its taken chunks end.
  for (let i = current; i < tasks.length; i++) {
    const task = i === current && resumeFrom ? { ...tasks[i]!, state: resumeFrom.state } : tasks[i]!;
    yield* parseHere(i, task, options.projects, options.shaper);
  }
}
