import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentImporter } from '../../../src/agents/importer';
import { openCore, type Core } from '../../../src/app/open';
import { BULK_WAL_AUTOCHECKPOINT_PAGES } from '../../../src/ledger/bulk-writes';
import { LEDGER_FILE, WAL_AUTOCHECKPOINT_PAGES } from '../../../src/ledger/db';
import { writeClaudeCorpus } from '../../helpers/claude-corpus';
import { bundleParseWorker } from '../../helpers/parse-worker-bundle';

/**
 * A first import checkpoints the WAL less often while it writes (src/ledger/bulk-writes.ts): the
 * connection's usual setting comes back on every way out, a failed import included, and what the
 * import committed is checkpointed into the ledger file itself before it returns.
 */

let dir: string;
let worker: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bulk-'));
  worker = await bundleParseWorker(dir); // without a bundle, runParallel is `run`
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ledgerIn(name: string): { core: Core; logs: string; home: string } {
  const home = path.join(dir, name);
  const logs = path.join(home, 'claude');
  writeClaudeCorpus(path.join(logs, 'projects'), { files: 12, linesPerFile: 300, toolResultBytes: 100 });
  const core = openCore({ home: path.join(home, 'ledger'), env: { HOME: home }, timeZone: 'UTC', clock: { now: () => new Date('2026-11-22T12:00:00Z') } });
  return { core, logs, home };
}

const checkpointPages = (core: Core) => core.db.pragma('wal_autocheckpoint', { simple: true });

/** The rows in the ledger file alone, without its WAL: what a checkpoint has copied there. */
function rowsInLedgerFileAlone(home: string): number {
  const copy = path.join(home, 'copy.sqlite');
  fs.copyFileSync(path.join(home, 'ledger', LEDGER_FILE), copy);
  const db = new BetterSqlite3(copy, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('bulk writes of an import', () => {
  it('checkpoint less often during the import, the usual setting after, and the rows checkpointed into the ledger file', () => {
    const { core, logs, home } = ledgerIn('done');
    try {
      const importer = new AgentImporter(core, core.prices);
      // The setting as each batch is committed (the importer's own commit, called through).
      const seen: unknown[] = [];
      const take = importer.commit.bind(importer);
      importer.commit = (...args) => {
        seen.push(checkpointPages(core));
        take(...args);
      };
      const report = importer.run({ agents: ['claude-code'], path: logs });
      expect(report.agents[0]!.added).toBeGreaterThan(100);
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen)).toEqual(new Set([BULK_WAL_AUTOCHECKPOINT_PAGES]));
      expect(checkpointPages(core)).toBe(WAL_AUTOCHECKPOINT_PAGES);
      const rows = (core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n;
      expect(rowsInLedgerFileAlone(home)).toBe(rows);
    } finally {
      core.close();
    }
  });

  it('an import that fails restores the usual setting, read here or in a worker', async () => {
    const { core, logs } = ledgerIn('failed');
    try {
      // A response whose id the ledger refuses (over 500 characters): the import stops with its error.
      const bad = path.join(logs, 'projects', '-home-dev-bad', 'bad.jsonl');
      fs.mkdirSync(path.dirname(bad), { recursive: true });
      fs.writeFileSync(bad, JSON.stringify({ type: 'assistant', timestamp: '2026-11-20T10:00:00Z', cwd: '/home/dev/bad', message: { id: 'm'.repeat(600), model: 'claude-sonnet-4-5', usage: { input_tokens: 1, output_tokens: 1 } } }) + '\n');
      const importer = new AgentImporter(core, core.prices);
      expect(() => importer.run({ agents: ['claude-code'], path: logs })).toThrow(/external id must be 1 to 500 characters/);
      expect(checkpointPages(core)).toBe(WAL_AUTOCHECKPOINT_PAGES);
      await expect(importer.runParallel({ agents: ['claude-code'], path: logs, workers: { script: worker, count: 1 } })).rejects.toThrow(/external id must be 1 to 500 characters/);
      expect(checkpointPages(core)).toBe(WAL_AUTOCHECKPOINT_PAGES);
    } finally {
      core.close();
    }
  });
});
