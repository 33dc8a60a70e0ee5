import { parentPort, workerData } from 'node:worker_threads';
import { parseLogFile } from './parse-file';
import { BATCH_ROWS, chunkWeight, toWire, type FromWorker, type ToWorker, type WorkerInit } from './parse-messages';

/**
 * A parse worker (bundled by scripts/build.mjs as dist/agent-parse-worker.cjs): reads the files the
 * pool hands it and posts their rows back, a chunk at a time. It never touches the ledger.
 *
 * Back-pressure: `acks[0]` counts the rows (plus one per chunk) the importer has taken. A worker
 * that is AHEAD rows ahead waits, so a huge file never piles up in memory while the importer
 * writes; AHEAD is one of the importer's batches, so parsing goes on during a commit.
 */

const AHEAD = BATCH_ROWS;
const init = workerData as WorkerInit;
const acks = new Int32Array(init.acks);
let posted = 0;

parentPort!.on('message', ({ id, task }: ToWorker) => {
  try {
    for (const chunk of parseLogFile(task, init.projects)) {
      for (let taken = Atomics.load(acks, 0); posted - taken >= AHEAD; taken = Atomics.load(acks, 0)) Atomics.wait(acks, 0, taken);
      posted += chunkWeight(chunk.events.length);
      parentPort!.postMessage({ id, chunk: toWire(chunk) } satisfies FromWorker);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    parentPort!.postMessage({ id, error: (error as Error).message, code: typeof code === 'string' ? code : undefined } satisfies FromWorker);
  }
});
