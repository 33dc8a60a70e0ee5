import { parentPort, workerData } from 'node:worker_threads';
import { shapedValues } from '../ledger/usage-row';
import { fixedPrices } from '../pricing/resolved-prices';
import { parseLogFile } from './parse-file';
import { BATCH_ROWS, chunkWeight, toWire, type FromWorker, type ToWorker, type WorkerInit } from './parse-messages';
import { shapeChunk, type RowShaper } from './row-chunk';

/**
 * A parse worker (bundled by scripts/build.mjs as dist/agent-parse-worker.cjs): reads the files the
 * pool hands it and posts their rows back, a chunk at a time, priced and shaped as the ledger
 * stores them (with the overrides the import started with). It never touches the ledger.
 *
 * Back-pressure: `acks[0]` counts the rows (plus one per chunk) the importer has taken. A worker
 * that is AHEAD rows ahead waits, so a huge file never piles up in memory while the importer
 * writes; AHEAD is one of the importer's batches, so parsing goes on during a commit.
 */

const AHEAD = BATCH_ROWS;
const init = workerData as WorkerInit;
const acks = new Int32Array(init.acks);
const prices = fixedPrices(init.overrides);
const shaper: RowShaper = (event) => shapedValues(event, prices, init.timeZone);
let posted = 0;

parentPort!.on('message', ({ id, task }: ToWorker) => {
  let shaping = false;
  try {
    for (const chunk of parseLogFile(task, init.projects)) {
      for (let taken = Atomics.load(acks, 0); posted - taken >= AHEAD; taken = Atomics.load(acks, 0)) Atomics.wait(acks, 0, taken);
      posted += chunkWeight(chunk.events.length);
      shaping = true;
      const wire = toWire(shapeChunk(chunk, shaper));
      shaping = false;
      parentPort!.postMessage({ id, chunk: wire } satisfies FromWorker);
    }
  } catch (error) {
    // An fs error is the file's (its code names it); a row the ledger refuses (LedgerError, which
    // has a code too) or any other error is the worker's: the pool reads on in-process, which
    // raises it again as the import's error.
    const code = shaping ? undefined : (error as NodeJS.ErrnoException).code;
    parentPort!.postMessage({ id, error: (error as Error).message, code: typeof code === 'string' ? code : undefined } satisfies FromWorker);
  }
});
