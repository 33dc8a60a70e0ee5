import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { startJobs, syncIntervalMs, type Jobs } from '../../../src/jobs';
import { directoryOf } from '../../../src/sync/clients';
import { listRuns } from '../../../src/sync/runs';
import { startTinyServer, TINY_KEY, tinyClient, type TinyServer } from '../sync/helpers/tiny-provider';

const directory = directoryOf([tinyClient('tinyco')]);

let server: TinyServer;
let core: Core;
let t: number;
let jobs: Jobs | undefined;

const advance = (minutes: number) => void (t += minutes * 60_000);
const syncRuns = () => listRuns(core.db, { provider: 'tinyco', limit: 100 });

beforeEach(async () => {
  server = await startTinyServer();
  server.rows = [{ day: '2026-03-09', line: 'gpt, input', amount: '0.50' }];
  t = Date.parse('2026-03-10T12:00:00Z');
  core = openCore({
    memory: true,
    clock: { now: () => new Date(t) },
    timeZone: 'UTC',
    env: { BURNRATE_TINYCO_BASE_URL: server.url, BURNRATE_TINYCO_KEY: TINY_KEY },
  });
});

afterEach(async () => {
  await jobs?.stop();
  jobs = undefined;
  core.close();
  await server.close();
});

describe('startJobs', () => {
  it('catches up at start-up, and a sync missed many times while asleep runs once', async () => {
    jobs = startJobs(core, { directory });
    await jobs.catchUp();
    expect(syncRuns().map((r) => [r.outcome, r.trigger])).toEqual([['ok', 'schedule']]);

    advance(30);
    await jobs.catchUp(); // not due yet
    expect(syncRuns()).toHaveLength(1);

    advance(5 * 60); // the machine slept through five hourly syncs
    await jobs.catchUp(); // wake
    await jobs.catchUp(); // a second wake signal or a tick right after
    expect(syncRuns()).toHaveLength(2);
  });

  it('honours the per-provider interval, and 0 switches scheduled sync off', async () => {
    const now = new Date(t).toISOString();
    core.db
      .prepare("INSERT INTO provider_accounts (provider, account, mode, sync_minutes, created_at, updated_at) VALUES ('tinyco', 'default', 'api', 180, ?, ?)")
      .run(now, now);
    expect(syncIntervalMs(core, 'tinyco')).toBe(180 * 60_000);
    jobs = startJobs(core, { directory });
    await jobs.catchUp();
    advance(120);
    await jobs.catchUp();
    expect(syncRuns()).toHaveLength(1);
    advance(60);
    await jobs.catchUp();
    expect(syncRuns()).toHaveLength(2);

    core.db.prepare("UPDATE provider_accounts SET sync_minutes = 0 WHERE provider = 'tinyco'").run();
    advance(24 * 60);
    await jobs.catchUp();
    expect(syncRuns()).toHaveLength(2);
  });

  it('never starts a second sync while one is still running', async () => {
    let release!: () => void;
    server.gate = new Promise<void>((resolve) => (release = resolve));
    const arrived = server.nextRequest();
    jobs = startJobs(core, { directory });
    const first = jobs.catchUp();
    await arrived;
    advance(120);
    await jobs.catchUp(); // the sync chain is busy: nothing new starts
    release();
    server.gate = null;
    await first;
    expect(syncRuns()).toHaveLength(1);
  });

  it('leaves providers without a key alone', async () => {
    core.close();
    core = openCore({ memory: true, clock: { now: () => new Date(t) }, timeZone: 'UTC', env: { BURNRATE_TINYCO_BASE_URL: server.url } });
    jobs = startJobs(core, { directory });
    await jobs.catchUp();
    expect(syncRuns()).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });

  it('runs the ledger catch-up on every wake, not only once its hour has passed', async () => {
    const { dispatch } = await import('../../../src/api/dispatch');
    await dispatch(core, 'readingAdd', { provider: 'groq', amount: '1.00' }); // 2026-03-10, odometer
    const raised: string[] = [];
    core.events.on('reminderDue', (r) => raised.push(r.kind));
    t = Date.parse('2026-03-28T23:30:00Z');
    jobs = startJobs(core, { directory });
    await jobs.catchUp(); // start-up: a stale reading (over a week old)
    expect(raised).toEqual(['stale_reading']);
    advance(40); // asleep across midnight: the month-end check (from March 29) is due now
    await jobs.catchUp(); // wake, 40 minutes after the last catch-up
    expect(raised).toEqual(['stale_reading', 'month_end']);
  });

  it('reports a job that throws to onError and keeps going', async () => {
    const errors: string[] = [];
    jobs = startJobs(core, { directory, onError: (job) => errors.push(job) });
    core.db.exec('DROP TABLE sync_runs'); // the sync job can no longer read its last runs
    await jobs.catchUp();
    expect(errors).toEqual(['sync:*']);
  });

  it('node-cron ticks drive the same evaluation', async () => {
    let ticked!: () => void;
    const tick = new Promise<void>((resolve) => (ticked = resolve));
    jobs = startJobs(core, { directory, tick: '* * * * * *', onTick: () => ticked() });
    await tick; // a real node-cron tick (each second here) ran the evaluation
    await jobs.stop(); // waits for the sync that tick started
    jobs = undefined;
    expect(syncRuns().map((r) => r.outcome)).toEqual(['ok']);
  });
});
