/**
 * `npm run bench -- agents-parse`: what a parse worker costs per Claude Code corpus, in CPU time, and
 * how much of it is JSON.parse. For deciding where the worker's time can still be cut (docs/benchmarks.md).
 *
 * Three passes over the same files, in one thread, interleaved round by round (AGENTS_BENCH_RUNS,
 * default 3), each timed with process.cpuUsage() so that other processes on the machine move the
 * figures less than wall time would:
 * - floor: reading the files and the `"usage"` pre-filter, lines handed to a callback that does nothing;
 * - json: the same, plus Buffer→string and JSON.parse of every line handed over;
 * - worker: what a parse worker does per file (parseLogFile: read, pre-filter, parse, rows, merge; then
 *   toWire), without the thread hand-over.
 * Ratios are against the floor measured in the same round. The corpus is the agents bench's synthetic
 * one (test/helpers/claude-corpus.ts; AGENTS_BENCH_FILES / AGENTS_BENCH_LINES, default 500 files), or
 * an existing projects folder given as AGENTS_PARSE_CORPUS (read only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLines } from '../../src/agents/lines';
import { parseLogFile } from '../../src/agents/parse-file';
import { toWire } from '../../src/agents/parse-messages';
import { shapeChunk } from '../../src/agents/row-chunk';
import { shapeRowValues } from '../../src/ledger/usage-row';
import { fixedPrices } from '../../src/pricing/fixed-prices';
import { writeClaudeCorpus } from '../helpers/claude-corpus';

const runs = Number(process.env.AGENTS_BENCH_RUNS ?? 3);
const prices = fixedPrices([]); // as a worker prices: the bundled catalogue
const MARK = Buffer.from('"usage"');

const line = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function jsonlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) jsonlFiles(p, out);
    else if (entry.name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Read every file with the pre-filter, handing each marked line to `onLine`. */
function readAll(files: string[], onLine: (line: Buffer) => void): void {
  for (const file of files) {
    const fd = fs.openSync(file, 'r');
    try {
      readLines(fd, 0, fs.fstatSync(fd).size, onLine, MARK);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function main(): void {
  const given = process.env.AGENTS_PARSE_CORPUS;
  const work = given ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-parse-bench-'));
  try {
    const root = given ?? path.join(work!, 'projects');
    if (!given) {
      const facts = writeClaudeCorpus(root, { files: Number(process.env.AGENTS_BENCH_FILES ?? 500), linesPerFile: Number(process.env.AGENTS_BENCH_LINES ?? 215), toolResultBytes: 2000 });
      line({ bench: 'agents-parse', metric: 'corpus', value: facts.lines, unit: 'lines', files: facts.files, mb: Math.round(facts.bytes / 1e6), responses: facts.responses, baseline: null, ratio: null });
    }
    const files = jsonlFiles(root);
    const floor: number[] = [];
    const json: number[] = [];
    const worker: number[] = [];
    let lines = 0;
    let rows = 0;
    for (let round = 0; round < runs; round++) {
      lines = 0;
      floor.push(cpuMs(() => readAll(files, () => void lines++)));
      json.push(cpuMs(() => readAll(files, (l) => void JSON.parse(l.toString('utf8')))));
      rows = 0;
      worker.push(
        cpuMs(() => {
          for (const file of files) {
            const size = fs.statSync(file).size;
            for (const chunk of parseLogFile({ agent: 'claude-code', file, size, mtime: 0, state: undefined }, {})) {
              rows += chunk.events.length;
              toWire(shapeChunk(chunk, (event) => shapeRowValues(event, prices, 'UTC', '')));
            }
          }
        }),
      );
    }
    const base = median(floor);
    const out = (metric: string, values: number[], extra: object = {}) =>
      line({ bench: 'agents-parse', metric, value: Math.round(median(values)), unit: 'cpu_ms', ...extra, baseline: Math.round(base), baseline_name: 'reading + "usage" pre-filter', ratio: Number((median(values) / base).toFixed(3)) });
    out('json_parse_cpu_ms', json, { usage_lines: lines });
    out('worker_cpu_ms', worker, { rows });
  } finally {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
