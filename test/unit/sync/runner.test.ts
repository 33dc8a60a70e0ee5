import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { providerDays } from '../../../src/ledger/spend';
import { formatUsd, sumTotal } from '../../../src/money';
import { directoryOf } from '../../../src/sync/clients';
import { beginRun, listRuns, ownerTag } from '../../../src/sync/runs';
import { syncAll, syncProvider } from '../../../src/sync/runner';
import type { Clock } from '../../../src/time';
import { startTinyServer, TINY_KEY, tinyClient, type TinyServer } from './helpers/tiny-provider';

const directory = directoryOf([tinyClient('tinyco')]);

function mutableClock(iso: string): Clock & { set(iso: string): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), set: (s: string) => void (t = Date.parse(s)) };
}

let server: TinyServer;
let core: Core;
let clock: ReturnType<typeof mutableClock>;

function open(env: Record<string, string> = {}): Core {
  return openCore({
    memory: true,
    clock,
    timeZone: 'UTC',
    env: { BURNRATE_TINYCO_BASE_URL: server.url, BURNRATE_TINYCO_KEY: TINY_KEY, ...env },
  });
}

function monthTotal(c: Core, provider = 'tinyco'): string {
  return formatUsd(sumTotal(providerDays(c.db, '2026-03-01', '2026-03-31', provider).map((d) => d.countedNano)));
}

function tableCounts(c: Core): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['billed_costs', 'usage_events', 'daily_rollups', 'sync_balances']) {
    out[t] = (c.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  return out;
}

/** Every text value in every table of the ledger, for "the key is nowhere" checks. */
function everyStoredText(c: Core): string {
  const tables = c.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return tables.map((t) => JSON.stringify(c.db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
}

beforeEach(async () => {
  server = await startTinyServer();
  server.rows = [
    { day: '2026-03-01', line: 'gpt, input', amount: '1.25' },
    { day: '2026-03-01', line: 'gpt, output', amount: '0.000000001' },
    { day: '2026-03-05', line: 'gpt, input', amount: '2.10' },
    { day: '2026-03-09', line: 'gpt, input', amount: '0.33' },
    { day: '2026-03-10', line: 'gpt, input', amount: '0.07' },
  ];
  clock = mutableClock('2026-03-10T12:00:00Z');
  core = open();
});

afterEach(async () => {
  core.close();
  await server.close();
});

describe('syncProvider', () => {
  it('writes every page, records the run and a second sync changes nothing', async () => {
    const events: unknown[] = [];
    core.events.on('syncFinished', (e) => events.push(e));
    const changed: string[] = [];
    core.spendListeners.push((reason, touched) => changed.push(`${reason}:${touched.map((t) => t.localDay).join(',')}`));

    const first = await syncProvider(core, 'tinyco', { directory });
    expect(first.outcome).toBe('ok');
    expect(first.rows).toBe(5);
    expect(first.rowsChanged).toBe(5);
    expect(first.window).toEqual({ start: '2026-03-01T00:00:00.000Z', end: '2026-03-10T12:00:00.000Z' });
    expect(server.requests.filter((r) => r.startsWith('/v1/costs'))).toHaveLength(3); // pages of 2
    expect(monthTotal(core)).toBe('3.750000001');
    expect(events).toEqual([{ provider: 'tinyco', outcome: 'ok', rows: 5, message: first.message }]);
    expect(changed).toEqual(['sync:2026-03-01,2026-03-05,2026-03-09,2026-03-10']);

    const before = tableCounts(core);
    clock.set('2026-03-10T13:00:00Z');
    const second = await syncProvider(core, 'tinyco', { directory });
    expect(second.outcome).toBe('ok');
    expect(second.rowsChanged).toBe(0);
    // Incremental: re-fetches the last 3 days before the previous window's end.
    expect(second.window?.start).toBe('2026-03-07T00:00:00.000Z');
    expect(tableCounts(core)).toEqual(before);
    expect(monthTotal(core)).toBe('3.750000001');
    expect(changed).toHaveLength(1); // nothing changed: no second spendChanged

    const runs = listRuns(core.db, { provider: 'tinyco' });
    expect(runs.map((r) => [r.outcome, r.rows, r.rowsChanged])).toEqual([
      ['ok', 2, 0],
      ['ok', 5, 5],
    ]);
    expect(runs[1]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('takes in revisions of recent days without duplicating them', async () => {
    await syncProvider(core, 'tinyco', { directory });
    server.rows[3] = { day: '2026-03-09', line: 'gpt, input', amount: '0.40' };
    clock.set('2026-03-10T14:00:00Z');
    const r = await syncProvider(core, 'tinyco', { directory });
    expect(r.rowsChanged).toBe(1);
    expect(monthTotal(core)).toBe('3.820000001');
    expect(tableCounts(core).billed_costs).toBe(5);
  });

  it('keeps earlier pages whole when a later page fails, and a re-run duplicates nothing', async () => {
    server.override.set(1, { status: 500, body: 'upstream broke' });
    const failed = await syncProvider(core, 'tinyco', { directory });
    expect(failed.outcome).toBe('error');
    expect(failed.errorKind).toBe('transient');
    expect(failed.rowsChanged).toBe(2);
    expect(failed.message).toMatch(/rows from earlier pages were kept/);
    expect(monthTotal(core)).toBe('1.250000001'); // page 0 only: both rows of 2026-03-01

    server.override.clear();
    const again = await syncProvider(core, 'tinyco', { directory });
    expect(again.outcome).toBe('ok');
    // The failed run did not move the window forward: the whole month is fetched again.
    expect(again.window?.start).toBe('2026-03-01T00:00:00.000Z');
    expect(monthTotal(core)).toBe('3.750000001');
    expect(tableCounts(core).billed_costs).toBe(5);
  });

  it('stores nothing from a garbage answer', async () => {
    server.override.set(0, { status: 200, body: '<html>oops</html>' });
    const r = await syncProvider(core, 'tinyco', { directory });
    expect(r.outcome).toBe('error');
    expect(r.errorKind).toBe('malformed');
    expect(tableCounts(core)).toEqual({ billed_costs: 0, usage_events: 0, daily_rollups: 0, sync_balances: 0 });
  });

  it('says a refused key is wrong without ever storing or echoing it', async () => {
    const wrongKey = 'tk-normal-SECRETSECRETSECRET42';
    core.close();
    core = open({ BURNRATE_TINYCO_KEY: wrongKey });
    const r = await syncProvider(core, 'tinyco', { directory });
    expect(r.outcome).toBe('error');
    expect(r.errorKind).toBe('auth');
    expect(r.message).toMatch(/refused the key/);
    expect(r.message).not.toContain(wrongKey);
    expect(r.message).not.toContain('SECRETSECRET');
    expect(everyStoredText(core)).not.toContain('SECRETSECRET');
    expect(everyStoredText(core)).not.toContain(TINY_KEY.slice(8));
  });

  it('never stores the key that worked either', async () => {
    server.balance = '12.50';
    await syncProvider(core, 'tinyco', { directory });
    const text = everyStoredText(core);
    expect(text).toContain('gpt, input'); // the check reads real rows
    expect(text).not.toContain(TINY_KEY);
    expect(text).not.toContain(TINY_KEY.slice(-8));
  });

  it('keeps a balance the provider reported, once per observation', async () => {
    server.balance = '12.50';
    await syncProvider(core, 'tinyco', { directory });
    await syncProvider(core, 'tinyco', { directory });
    const rows = core.db.prepare('SELECT provider, amount_nano, observed_at FROM sync_balances').all();
    // Same fixed instant twice: one observation.
    expect(rows).toEqual([{ provider: 'tinyco', amount_nano: 12_500_000_000, observed_at: '2026-03-10T12:00:00.000Z' }]);
  });

  it('turns a new balance into a balance reading (origin api) right after the sync, for a balance-mode provider', async () => {
    const now = clock.now().toISOString();
    core.db
      .prepare("INSERT INTO provider_accounts (provider, account, mode, created_at, updated_at) VALUES ('tinyco', 'default', 'balance', ?, ?)")
      .run(now, now);
    const changed: string[] = [];
    core.spendListeners.push((reason) => changed.push(reason));
    server.balance = '12.50';
    await syncProvider(core, 'tinyco', { directory });
    clock.set('2026-03-10T18:00:00Z');
    server.balance = '11.25';
    await syncProvider(core, 'tinyco', { directory });
    const readings = core.db.prepare("SELECT amount_nano, origin, kind FROM readings WHERE provider = 'tinyco' ORDER BY taken_at").all();
    expect(readings).toEqual([
      { amount_nano: 12_500_000_000, origin: 'api', kind: 'balance' },
      { amount_nano: 11_250_000_000, origin: 'api', kind: 'balance' },
    ]);
    expect(changed).toContain('reading');
  });

  it('explains a missing key with how to add one', async () => {
    core.close();
    core = open({ BURNRATE_TINYCO_KEY: '' });
    const r = await syncProvider(core, 'tinyco', { directory });
    expect(r.outcome).toBe('error');
    expect(r.errorKind).toBe('config');
    expect(r.reason).toBe('key_missing');
    expect(r.message).not.toMatch(/burnrate /);
    expect(r.message).toContain('BURNRATE_TINYCO_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a client page with another provider’s rows', async () => {
    const liar = { ...tinyClient('tinyco') };
    const inner = tinyClient('other');
    liar.sync = inner.sync;
    const r = await syncProvider(core, 'tinyco', { directory: directoryOf([liar]) });
    expect(r.outcome).toBe('error');
    expect(r.errorKind).toBe('malformed');
    expect(tableCounts(core).billed_costs).toBe(0);
  });

  it('joins a run already in progress in this process instead of starting another', async () => {
    let release!: () => void;
    server.gate = new Promise<void>((resolve) => (release = resolve));
    const arrived = server.nextRequest();
    const a = syncProvider(core, 'tinyco', { directory });
    await arrived;
    const b = syncProvider(core, 'tinyco', { directory });
    expect(b).toBe(a);
    release();
    server.gate = null;
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra).toBe(rb);
    expect(listRuns(core.db)).toHaveLength(1);
    expect(tableCounts(core).billed_costs).toBe(5);
  });

  it('skips while another live process runs the same provider, and closes a dead one’s run', async () => {
    const otherOwner = 'elsewhere:4242';
    const begun = beginRun(core.db, {
      provider: 'tinyco',
      now: clock.now(),
      window: { start: new Date('2026-03-01T00:00:00Z'), end: clock.now() },
      trigger: 'schedule',
      staleAfterMs: 15 * 60_000,
      owner: otherOwner,
    });
    expect('id' in begun).toBe(true);

    const skipped = await syncProvider(core, 'tinyco', { directory, ownerAlive: () => true });
    expect(skipped.outcome).toBe('skipped');
    expect(skipped.message).toMatch(/still running in another Burnrate process/);
    expect(server.requests).toHaveLength(0);

    // The other process died (its pid is gone): the next run closes its row and proceeds.
    const r = await syncProvider(core, 'tinyco', { directory, ownerAlive: (o) => o !== otherOwner });
    expect(r.outcome).toBe('ok');
    const runs = listRuns(core.db, { provider: 'tinyco' });
    expect(runs.map((x) => [x.outcome, x.errorKind])).toEqual([
      ['ok', null],
      ['error', 'interrupted'],
    ]);
  });

  it('treats a running row older than the stale timeout as abandoned', async () => {
    beginRun(core.db, {
      provider: 'tinyco',
      now: new Date('2026-03-10T11:00:00Z'),
      window: { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-10T11:00:00Z') },
      trigger: 'schedule',
      staleAfterMs: 15 * 60_000,
      owner: 'elsewhere:1',
    });
    const r = await syncProvider(core, 'tinyco', { directory, ownerAlive: () => true });
    expect(r.outcome).toBe('ok');
  });

  it('a running row of our own pid is a leftover of a dead process', async () => {
    beginRun(core.db, {
      provider: 'tinyco',
      now: clock.now(),
      window: { start: new Date('2026-03-01T00:00:00Z'), end: clock.now() },
      trigger: 'schedule',
      staleAfterMs: 15 * 60_000,
      owner: ownerTag(),
    });
    expect((await syncProvider(core, 'tinyco', { directory })).outcome).toBe('ok');
  });

  it('gives up a run that takes longer than its deadline, recording a transient error', async () => {
    server.gate = new Promise<void>(() => undefined); // never answers
    const r = await syncProvider(core, 'tinyco', { directory, runTimeoutMs: 50 });
    expect(r.outcome).toBe('error');
    expect(r.errorKind).toBe('transient');
    expect(tableCounts(core).billed_costs).toBe(0);
    expect(listRuns(core.db)[0]!.outcome).toBe('error');
  });
});

describe('syncAll', () => {
  it('syncs only providers that have a key', async () => {
    const dir = directoryOf([tinyClient('tinyco'), tinyClient('nokeyco')]);
    const results = await syncAll(core, { directory: dir });
    expect(results.map((r) => [r.provider, r.outcome])).toEqual([['tinyco', 'ok']]);
  });
});
