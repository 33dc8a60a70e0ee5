import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, burnrate, tempHome } from '../../helpers/cli';
import { writeClaudeCorpus, type CorpusFacts } from '../../helpers/claude-corpus';

/**
 * kill -9 in the middle of a large import, then import again: the ledger holds exactly what a clean
 * import holds (offsets and rows commit in one transaction, so nothing is lost or counted twice).
 */

let corpus: string;
let facts: CorpusFacts;

beforeAll(() => {
  corpus = tempHome('burnrate-corpus-');
  facts = writeClaudeCorpus(path.join(corpus, 'projects'), { files: 24, linesPerFile: 8000, toolResultBytes: 200 });
});
afterAll(() => fs.rmSync(corpus, { recursive: true, force: true }));

const TOTALS = `SELECT provider, local_day, model, COUNT(*) AS n, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
                       SUM(cached_input_tokens) AS cached, SUM(cache_write_tokens) AS written, SUM(cost_total_nano) AS cost
                FROM usage_events GROUP BY provider, local_day, model ORDER BY provider, local_day, model`;
const ROLLUPS = 'SELECT * FROM daily_rollups ORDER BY local_day, provider, model, source';

function read<T>(home: string, sql: string): T[] {
  const db = new Database(path.join(home, 'ledger.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Resolves once the import has committed at least one batch but not all of them, then kills it. */
function killMidImport(home: string): Promise<{ committedFiles: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'import', 'claude-code', '--path', corpus, '--json'], { env: { ...process.env, TZ: 'UTC', BURNRATE_HOME: home }, stdio: 'ignore' });
    const ledger = path.join(home, 'ledger.sqlite');
    let db: Database.Database | undefined;
    const poll = setInterval(() => {
      try {
        if (!db) {
          if (!fs.existsSync(ledger)) return;
          db = new Database(ledger, { readonly: true, fileMustExist: true });
        }
        const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'agent_log_files'").get();
        if (!exists) return;
        const committed = (db.prepare('SELECT COUNT(*) AS n FROM agent_log_files').get() as { n: number }).n;
        if (committed === 0) return;
        clearInterval(poll);
        child.kill('SIGKILL');
        child.once('exit', (_code, signal) => {
          db?.close();
          if (signal !== 'SIGKILL') reject(new Error('the import ended before it was killed'));
          else resolve({ committedFiles: committed });
        });
      } catch {
        // The ledger is being created: poll again.
      }
    }, 5);
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') return;
      clearInterval(poll);
      db?.close();
      reject(new Error(`the import finished (${code}) before the test could kill it: make the corpus larger`));
    });
  });
}

describe('an import killed with SIGKILL', () => {
  it('resumes to exactly the totals of a clean import', async () => {
    const clean = tempHome();
    const done = burnrate(['import', 'claude-code', '--path', corpus, '--json'], { BURNRATE_HOME: clean });
    expect(done.code, done.stderr).toBe(0);
    expect(done.json().agents[0].added).toBe(facts.responses);

    const crashed = tempHome();
    const { committedFiles } = await killMidImport(crashed);
    expect(committedFiles).toBeLessThan(facts.files);
    const partial = read<{ n: number }>(crashed, 'SELECT COUNT(*) AS n FROM usage_events')[0]!.n;
    expect(partial).toBeLessThan(facts.responses);

    const resumed = burnrate(['import', 'claude-code', '--path', corpus, '--json'], { BURNRATE_HOME: crashed });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json().agents[0].added).toBe(facts.responses - partial);
    expect(read(crashed, TOTALS)).toEqual(read(clean, TOTALS));
    expect(read(crashed, ROLLUPS)).toEqual(read(clean, ROLLUPS));
  }, 120_000);
});
