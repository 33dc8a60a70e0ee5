import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentImporter, type ImportOptions } from '../../../src/agents/importer';
import { openCore, type Core } from '../../../src/app/open';
import { writeClaudeCorpus } from '../../helpers/claude-corpus';
import { bundleParseWorker } from '../../helpers/parse-worker-bundle';

/**
 * The import with files parsed in worker threads gives exactly the ledger of the import that reads
 * in its own thread: the same rows, the same rollups, the same per-file states. A worker that dies
 * mid-file loses and repeats nothing: the rest is read in-process from its last chunk taken.
 */

const FIXTURES = path.resolve(__dirname, '../../fixtures/agents');
let dir: string;
let worker: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-pool-'));
  worker = await bundleParseWorker(dir);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Agent homes with every agent's fixtures, a synthetic Claude corpus and malformed lines. */
function homeWithLogs(name: string): string {
  const home = path.join(dir, name);
  fs.cpSync(path.join(FIXTURES, 'claude'), path.join(home, '.claude'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'codex'), path.join(home, '.codex'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'gemini'), path.join(home, '.gemini'), { recursive: true });
  writeClaudeCorpus(path.join(home, '.claude', 'projects'), { files: 30, linesPerFile: 400, toolResultBytes: 300 });
  const bad = path.join(home, '.claude', 'projects', '-home-dev-bad', 'bad.jsonl');
  fs.mkdirSync(path.dirname(bad), { recursive: true });
  fs.writeFileSync(bad, '{"type":"assistant","usage" broken\nnot json with "usage"\n{"type":"assistant","message":{"usage":{"input_tokens":-1}}}\n');
  return home;
}

function open(home: string, timeZone = 'UTC'): Core {
  return openCore({ memory: true, env: { HOME: home }, timeZone, clock: { now: () => new Date('2026-11-22T12:00:00Z') } });
}

function ledgerOf(core: Core) {
  return {
    rows: core.db
      .prepare(
        `SELECT source, provider, account, external_id, model, project, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
                total_tokens, input_price, output_price, cached_input_price, cache_write_price, cost_input_nano, cost_output_nano,
                cost_total_nano, cost_origin, occurred_at, local_day, metadata, recorded_at FROM usage_events ORDER BY provider, external_id`,
      )
      .all(),
    rollups: core.db.prepare('SELECT local_day, provider, model, source, events, cost_nano FROM daily_rollups ORDER BY local_day, provider, model, source').all(),
    files: core.db.prepare('SELECT path, agent, size, offset, fp_len, fingerprint, carry, skipped FROM agent_log_files ORDER BY path').all(),
  };
}

async function importInto(home: string, options: ImportOptions, prepare: (core: Core) => void = () => undefined, timeZone = 'UTC'): Promise<{ core: Core; added: number; skipped: number }> {
  const core = open(home, timeZone);
  prepare(core);
  const importer = new AgentImporter(core, core.prices);
  const report = options.workers ? await importer.runParallel(options) : importer.run(options);
  return { core, added: report.agents.reduce((n, a) => n + a.added, 0), skipped: report.agents.reduce((n, a) => n + a.skipped, 0) };
}

type Imported = Awaited<ReturnType<typeof importInto>>;

/**
 * The same logs imported twice, in-process and with `pooled` options, into ledgers prepared alike;
 * `check` looks at both (each test adds its own expectations), then the ledgers must be equal.
 */
async function bothWays(home: string, pooled: ImportOptions, check: (here: Imported, pooled: Imported) => void, prepare?: (core: Core) => void, timeZone?: string): Promise<void> {
  const here = await importInto(home, {}, prepare, timeZone);
  const there = await importInto(home, pooled, prepare, timeZone);
  try {
    check(here, there);
    expect(there.added).toBe(here.added);
    expect(there.skipped).toBe(here.skipped);
    expect(ledgerOf(there.core)).toEqual(ledgerOf(here.core));
  } finally {
    here.core.close();
    there.core.close();
  }
}

describe('parsing in worker threads', () => {
  it('writes exactly the rows, rollups and file states of the in-process import', async () => {
    const failures: string[] = [];
    await bothWays(homeWithLogs('same'), { workers: { script: worker, count: 2, onFailure: (r) => failures.push(r) } }, (here) => {
      expect(failures).toEqual([]);
      expect(here.added).toBeGreaterThan(1000);
      expect(here.skipped).toBeGreaterThan(0); // the malformed lines were seen, and counted alike
    });
  }, 120_000);

  it('prices and files rows of files parsed in workers as in-process: the user\'s price override and the ledger\'s zone', async () => {
    // An override set before the import must price the rows of files parsed in workers too.
    const override = (core: Core) => void core.prices.setOverride({ model: 'claude-sonnet-4-5', provider: 'anthropic', input: 1_234_000_000, output: 5_678_000_000, cachedInput: 123_000_000, cacheWrite: 2_345_000_000 }, new Date('2026-11-01T00:00:00Z'));
    const zone = 'Pacific/Kiritimati'; // UTC+14: most rows fall on another local day than in UTC
    const count = (core: Core, sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
    await bothWays(homeWithLogs('priced'), { workers: { script: worker, count: 2 } }, (_here, pooled) => {
      expect(count(pooled.core, "SELECT COUNT(*) AS n FROM usage_events WHERE model = 'claude-sonnet-4-5' AND input_price = 1234000000 AND output_price = 5678000000")).toBeGreaterThan(0);
      expect(count(pooled.core, 'SELECT COUNT(*) AS n FROM usage_events WHERE local_day <> substr(occurred_at, 1, 10)')).toBeGreaterThan(0);
    }, override, zone);
  }, 120_000);

  it('rows are priced with the user\'s prices as they change during the import: the workers\' older pricing is given up', async () => {
    const home = homeWithLogs('repriced');
    writeClaudeCorpus(path.join(home, '.claude', 'projects', 'big'), { files: 1, linesPerFile: 60_000, toolResultBytes: 50, seed: 9 });
    const clean = await importInto(home, {});
    const rows = (core: Core) => (core.db.prepare("SELECT COUNT(*) AS n FROM usage_events WHERE model = 'claude-sonnet-4-5' AND input_price = 4321000000").get() as { n: number }).n;
    const core = open(home);
    try {
      const failures: string[] = [];
      let chunksSeen = 0;
      const report = await new AgentImporter(core, core.prices).runParallel({
        workers: {
          script: worker,
          count: 1,
          // The user sets a price while the import runs, after the worker sent its second chunk.
          onWorker: (w) => w.on('message', () => {
            if (++chunksSeen === 2) core.prices.setOverride({ model: 'claude-sonnet-4-5', provider: 'anthropic', input: 4_321_000_000, output: 8_765_000_000, cachedInput: null, cacheWrite: null }, new Date('2026-11-01T00:00:00Z'));
          }),
          onFailure: (r) => failures.push(r),
        },
      });
      expect(failures).toEqual(['the prices changed during the import']);
      // Nothing lost or repeated, and the rows read after the change carry the new price.
      expect(report.agents.reduce((n, a) => n + a.added, 0)).toBe(clean.added);
      expect(rows(core)).toBeGreaterThan(1000);
      expect(rows(clean.core)).toBe(0);
    } finally {
      core.close();
      clean.core.close();
    }
  }, 120_000);

  it('a worker stopped in the middle of the import loses and repeats no row', async () => {
    const home = homeWithLogs('crash');
    // One file of several chunks, so the stop may land inside a file as well as between files.
    writeClaudeCorpus(path.join(home, '.claude', 'projects', 'big'), { files: 1, linesPerFile: 60_000, toolResultBytes: 50, seed: 7 });
    const failures: string[] = [];
    let chunksSeen = 0;
    const stopped: ImportOptions = {
      workers: {
        script: worker,
        count: 1,
        // Stopped after its third chunk, while it still has files to read.
        onWorker: (w) => w.on('message', () => ++chunksSeen === 3 && void w.terminate()),
        onFailure: (r) => failures.push(r),
      },
    };
    await bothWays(home, stopped, () => expect(failures).toEqual(['the worker exited (1)']));
  }, 120_000);
});
