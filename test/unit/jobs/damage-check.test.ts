import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { startJobs, type Jobs } from '../../../src/jobs';
import { directoryOf } from '../../../src/sync/clients';

const now = new Date('2026-03-10T12:00:00Z');
let home: string;
let core: Core | undefined;
let jobs: Jobs | undefined;

afterEach(async () => {
  await jobs?.stop();
  jobs = undefined;
  core?.close();
  core = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

/** A ledger whose last data pages (usage rows) are damaged; its schema pages are sound, so it opens. */
async function damagedLedger(): Promise<string> {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-damage-'));
  const writer = openCore({ home, clock: { now: () => now }, timeZone: 'UTC' });
  for (let i = 0; i < 300; i++) {
    await call(writer, 'record', { provider: 'openai', model: 'gpt-4o', cost: '0.01', at: '2026-03-09T10:00:00Z', id: `r${i}`, project: 'p'.repeat(60) });
  }
  // This test is about the check job: the month close (due 3 days into a month) stays out of it.
  await call(writer, 'closeSettingsSet', { afterDays: 28 });
  writer.close(); // checkpoints: every page is in the file itself
  const file = path.join(home, 'ledger.sqlite');
  // Damage the usage rows themselves (the last leaf page of usage_events), wherever the layout put
  // them: which pages come last in the file changes with every migration that adds a table or index.
  const reader = new BetterSqlite3(file, { readonly: true });
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  const { page } = reader.prepare("SELECT MAX(pageno) AS page FROM dbstat WHERE name = 'usage_events' AND pagetype = 'leaf'").get() as { page: number };
  reader.close();
  const bytes = fs.readFileSync(file);
  const start = (page - 1) * pageSize;
  bytes.fill(0x5a, start + 100, start + pageSize - 100);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('the quick_check job', () => {
  it('runs at start, and again at once after a request meets SQLITE_CORRUPT, not for other failures', async () => {
    await damagedLedger();
    core = openCore({ home, clock: { now: () => now }, timeZone: 'UTC' });
    const checks: string[] = [];
    jobs = startJobs(core, {
      directory: directoryOf([]),
      onError: (job, error) => {
        if (job === 'check') checks.push(error instanceof Error ? error.message : String(error));
      },
    });
    await jobs.catchUp();
    expect(checks).toHaveLength(1); // at start: the damage is found before anything reads those pages
    expect(checks[0]).toMatch(/is damaged \(SQLite's check found: .+\)\. Export what you still can, stop Burnrate, and restore a backup\./);

    await jobs.catchUp(); // the daily check is not due again
    await jobs.noticeTrouble(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }));
    expect(checks).toHaveLength(1);

    // A request that met the damage (as dispatch reports it) makes the check run now.
    const failed = await call(core, 'history', { limit: 500 }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'unavailable', facts: { ledger: 'corrupt' } });
    await jobs.noticeTrouble(failed);
    expect(checks).toHaveLength(2);
  });
});
