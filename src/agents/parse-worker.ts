import { parentPort, workerData } from 'node:worker_threads';
import { shapeRowValues } from '../ledger/usage-row';
import { fixedPrices } from '../pricing/fixed-prices';
import { parseLogFile, type ParsedChunk } from './parse-file';
import { BATCH_ROWS, chunkWeight, toWire, type FromWorker, type ToWorker, type WorkerInit } from './parse-messages';
import { shapeChunk, type RowShaper } from './row-chunk';

/**
 * A parse worker (bundled by scripts/build.mjs as dist/agent-parse-worker.cjs): reads the files the
 * pool hands it and posts their rows back, priced and shaped as the ledger stores them, a chunk at a
 * time. It never touches the ledger: its prices are the snapshot the importer gave it, and the
 * importer prices again itself if the user's prices change meanwhile (parse-pool.ts).
 *
 * Back-pressure: `acks[0]` counts the rows (plus one per chunk) the importer has taken. A worker
 * that is AHEAD rows ahead waits, so a huge file never piles up in memory while the importer
 * writes; AHEAD is one of the importer's batches, so parsing goes on during a commit.
 */

const AHEAD = BATCH_ROWS;
const init = workerData as WorkerInit;
const acks = new Int32Array(init.acks);
const prices = fixedPrices(init.shaping.prices.overrides);
const shaper: RowShaper = (event) => shapeRowValues(event, prices, init.shaping.timeZone, '');

/**
 * A row the ledger would refuse is not the file's problem (a file's problems are fs errors, told by
 * their code): it goes back without a code, the pool gives the workers up and the importer's own
 * thread meets the same refusal, with its LedgerError, as it always did.
 */
function shaped(chunk: ParsedChunk) {
  try {
    return toWire(shapeChunk(chunk, shaper));
  } catch (error) {
    throw new Error(`a row could not be shaped: ${(error as Error).message}`);
  }
}
let posted = 0;

parentPort!.on('message', ({ id, task }: ToWorker) => {
  try {
    for (const chunk of parseLogFile(task, init.projects)) {
      for (let taken = Atomics.load(acks, 0); posted - taken >= AHEAD; taken = Atomics.load(acks, 0)) Atomics.wait(acks, 0, taken);
      posted += chunkWeight(chunk.events.length);
      parentPort!.postMessage({ id, chunk: shaped(chunk) } satisfies FromWorker);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    parentPort!.postMessage({ id, error: (error as Error).message, code: typeof code === 'string' ? code : undefined } satisfies FromWorker);
  }
});
