import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore } from '../../../src/app/open';
import { migrate } from '../../../src/ledger/migrate';
import { openLedgerFile } from '../../../src/ledger/db';
import { burnrate, tempHome } from '../../helpers/cli';
import { killServed, serve, URL_LINE } from '../server/serve-process';

/**
 * A restore refills the open ledger in one transaction (src/ledger/restore-live.ts): the app,
 * `burnrate serve` and a CLI command keep the ledger open and see the backup's content, and what
 * the ledger held is itself backed up first.
 */

const NOW = '2026-11-28T18:00:00Z';
afterEach(killServed);

function record(env: Record<string, string>, cost: string, id: string): void {
  const r = burnrate(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', cost, '--at', '2026-11-27T09:00:00Z', '--id', id], env);
  expect(r.code, r.stderr).toBe(0);
}

/** A data folder holding one record and one backup of it. */
function homeWithBackup(prefix: string): { home: string; env: Record<string, string>; backup: string } {
  const home = tempHome(prefix);
  const env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW, TZ: 'UTC' };
  record(env, '1.25', 'kept');
  return { home, env, backup: burnrate(['backup', '--json'], env).json<{ file: string }>().file };
}

async function getJson(base: string, token: string, method: string): Promise<unknown> {
  const res = await fetch(`${base}/api/${method}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.json();
}

describe('restoring a backup while the ledger is open', () => {
  it('burnrate restore refills the ledger under a running serve, which reads the backup at once; restoring the backup taken first undoes it', async () => {
    const { home, env, backup } = homeWithBackup('burnrate-restore-live-');

    const served = await serve(['--port', '0', '--no-jobs'], env);
    const [, port, token] = URL_LINE.exec(served.line)!;
    const base = `http://127.0.0.1:${port}`;
    const atBackup = await getJson(base, token!, 'status');
    record(env, '9.00', 'later');
    const withLater = await getJson(base, token!, 'status');
    expect(withLater).not.toEqual(atBackup);

    const restored = burnrate(['restore', backup, '--json'], env);
    expect(restored.code, restored.stderr).toBe(0);
    const { setAside } = restored.json<{ restored: string; setAside: string }>();
    // serve kept its connection and reads the backup's content, with no restart.
    expect(await getJson(base, token!, 'status')).toEqual(atBackup);
    expect(served.child.exitCode).toBeNull();
    // What the ledger held (the later record) was backed up first, and is listed with the others.
    expect(path.dirname(setAside)).toBe(path.join(home, 'backups'));
    const listed = (await getJson(base, token!, 'backupList')) as { backups: { file: string }[] };
    expect(listed.backups.map((b) => b.file)).toContain(setAside);

    // Undo, through serve as the window does it: by the listed name.
    const res = await fetch(`${base}/api/backupRestore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: path.basename(setAside) }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await getJson(base, token!, 'status')).toEqual(withLater);
    // A CLI command in another process sees it too.
    const csv = burnrate(['export', '--format', 'csv'], env);
    expect(csv.stdout).toMatch(/later/);
  });

  it('backupRestore over HTTP takes a listed name only: a path, an unknown name and a damaged backup are refused and change nothing', async () => {
    const { home, env, backup } = homeWithBackup('burnrate-restore-refused-');
    // A damaged backup under a backup's name, listed like the others.
    const bytes = fs.readFileSync(backup);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2000);
    const damaged = path.join(home, 'backups', 'ledger-2026-11-01.sqlite');
    fs.writeFileSync(damaged, bytes);

    const served = await serve(['--port', '0', '--no-jobs'], env);
    const [, port, token] = URL_LINE.exec(served.line)!;
    const base = `http://127.0.0.1:${port}`;
    const before = await getJson(base, token!, 'status');
    const restore = (body: unknown) =>
      fetch(`${base}/api/backupRestore`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { code: string; reason: string; message: string } } }));

    const traversal = await restore({ name: '../ledger.sqlite' });
    expect(traversal.status).toBe(400);
    expect(traversal.body.error.message).toMatch(/name of a backup as the list shows it/);
    expect((await restore({ name: backup })).status).toBe(400); // a path, even to a real backup
    const unknown = await restore({ name: 'ledger-2020-01-01.sqlite' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.reason).toBe('backup_not_found');
    const broken = await restore({ name: path.basename(damaged) });
    expect(broken.status).toBe(503);
    expect(broken.body.error.message).toMatch(/is damaged/);

    expect(await getJson(base, token!, 'status')).toEqual(before);
    // No backup of the current ledger was taken for a refused restore.
    expect(fs.readdirSync(path.join(home, 'backups')).sort()).toEqual([path.basename(damaged), path.basename(backup)].sort());
    expect(fs.readdirSync(home).filter((f) => f.startsWith('restore-'))).toEqual([]);
  });

  it('GET /api/backupFile downloads a listed backup byte for byte, with the token only, by a listed name only', async () => {
    const { home, env, backup } = homeWithBackup('burnrate-backup-file-');
    const name = path.basename(backup);
    const served = await serve(['--port', '0', '--no-jobs'], env);
    const [, port, token] = URL_LINE.exec(served.line)!;
    const url = (n: string) => `http://127.0.0.1:${port}/api/backupFile?name=${encodeURIComponent(n)}`;
    const auth = { authorization: `Bearer ${token}` };

    const res = await fetch(url(name), { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(backup))).toBe(true);
    expect((await fetch(url(name))).status).toBe(401);
    expect((await fetch(url('../ledger.sqlite'), { headers: auth })).status).toBe(400);
    expect((await fetch(url(path.join(home, 'ledger.sqlite')), { headers: auth })).status).toBe(400);
    const missing = await fetch(url('ledger-2020-01-01.sqlite'), { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/^There is no backup named ledger-2020-01-01\.sqlite/);
    expect((await fetch(url(name), { method: 'POST', headers: auth })).status).toBe(405);
  });

  it('burnrate restore puts a backup in place of a damaged ledger, which is kept aside as it was', () => {
    const home = tempHome('burnrate-restore-damaged-');
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW, TZ: 'UTC' };
    for (let i = 0; i < 40; i++) record(env, '0.25', `r${i}`);
    const backup = burnrate(['backup', '--json'], env).json<{ file: string }>().file;
    const atBackup = burnrate(['status', '--json'], env).stdout;
    const ledger = path.join(home, 'ledger.sqlite');
    const bytes = fs.readFileSync(ledger);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2000); // damage a page in the middle
    fs.writeFileSync(ledger, bytes);
    const damaged = burnrate(['status', '--json'], env);
    expect(damaged.code).not.toBe(0);
    expect(damaged.stderr).toMatch(/damaged/);

    const restored = burnrate(['restore', backup, '--json'], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(burnrate(['status', '--json'], env).stdout).toBe(atBackup);
    const { setAside } = restored.json<{ setAside: string }>();
    expect(path.basename(setAside)).toMatch(/^ledger-before-restore-/);
    expect(fs.readFileSync(setAside).subarray(4096 * 3, 4096 * 3 + 2000).every((b) => b === 0x5a)).toBe(true);
  });

  it('brings an older backup forward to this build\'s schema, tells the open core\'s listeners, and leaves no scratch file', async () => {
    const home = tempHome('burnrate-restore-older-');
    const core = openCore({ home, env: { BURNRATE_NOW: NOW }, timeZone: 'UTC' });
    try {
      await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '3.00', at: '2026-11-27T09:00:00Z', id: 'now' });
      // A backup written by an older Burnrate: the schema of migration 7, with one record of its own.
      fs.mkdirSync(path.join(home, 'backups'));
      const older = path.join(home, 'backups', 'ledger-2026-10-01.sqlite');
      const db = openLedgerFile(older, { migrate: false });
      migrate(db, 7);
      db.prepare(
        `INSERT INTO usage_events (source, provider, external_id, model, cost_total_nano, cost_origin, occurred_at, local_day, recorded_at)
         VALUES ('manual', 'openai', 'then', 'gpt-4o-mini', 2000000000, 'given', '2026-10-01T09:00:00.000Z', '2026-10-01', '2026-10-01T09:00:00.000Z')`,
      ).run();
      db.pragma('journal_mode = DELETE');
      db.close();

      const reasons: string[] = [];
      core.events.on('statusChanged', (e) => reasons.push(e.reason));
      const result = await dispatch(core, 'backupRestore', { name: 'ledger-2026-10-01.sqlite' });
      expect(result.restored).toBe(older);
      expect(reasons).toEqual(['restore']);
      const ids = core.db.prepare('SELECT external_id FROM usage_events ORDER BY id').pluck().all();
      expect(ids).toEqual(['then']);
      const version = core.db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get();
      const latest = new BetterSqlite3(result.setAside, { readonly: true });
      expect(latest.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(version);
      expect(latest.prepare('SELECT external_id FROM usage_events').pluck().all()).toEqual(['now']);
      latest.close();
      expect(version).toBeGreaterThan(7);
      // Writes go on at the current schema (tables of later migrations included).
      await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '1.00', at: '2026-11-27T10:00:00Z', id: 'after' });
      expect(fs.readdirSync(home).filter((f) => f.startsWith('restore-'))).toEqual([]);
    } finally {
      core.close();
    }
  });

  it('loses no write another process commits while it restores: each is in the ledger or in the undo', async () => {
    const home = tempHome('burnrate-restore-race-');
    const core = openCore({ home, env: { BURNRATE_NOW: NOW }, timeZone: 'UTC' });
    try {
      await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '1.00', at: '2026-11-27T09:00:00Z', id: 'seed' });
      const columns = (core.db.prepare("SELECT name FROM pragma_table_info('usage_events') WHERE name <> 'id'").pluck().all() as string[]).join(', ');
      const copies = columns.replace('external_id', "external_id || '-' || x.n");
      // A ledger large enough that the restore takes a while (~20k rows).
      core.db.exec(`WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 20000) INSERT INTO usage_events (${columns}) SELECT ${copies} FROM usage_events, x`);
      const taken = await dispatch(core, 'backupCreate', {});
      // Another process (a proxy, a CLI import) commits a row every few milliseconds throughout.
      const writer = `
        const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
        const db = new Database(process.argv[1], { timeout: 10000 });
        const add = db.prepare("INSERT INTO usage_events (${columns}) SELECT ${columns.replace('external_id', '?')} FROM usage_events WHERE external_id = 'seed'");
        let n = 0;
        const timer = setInterval(() => add.run('w-' + ++n), 2);
        process.stdin.on('data', () => { clearInterval(timer); process.stdout.write(String(n)); db.close(); });`;
      const child = spawn(process.execPath, ['-e', writer, core.db.name], { stdio: ['pipe', 'pipe', 'inherit'] });
      let written = '';
      child.stdout!.on('data', (d: Buffer) => (written += d));
      await new Promise((r) => setTimeout(r, 300)); // let it write a while first
      const result = await dispatch(core, 'backupRestore', { name: path.basename(taken.file) });
      await new Promise((r) => setTimeout(r, 300)); // and a while after
      const exited = new Promise((r) => child.on('exit', r));
      child.stdin!.end('stop');
      await exited;
      const total = Number(written);
      expect(total).toBeGreaterThan(50);
      const ids = (db: BetterSqlite3.Database) => new Set(db.prepare("SELECT external_id FROM usage_events WHERE external_id LIKE 'w-%'").pluck().all() as string[]);
      const inLedger = ids(core.db);
      const undo = new BetterSqlite3(result.setAside, { readonly: true });
      const inUndo = ids(undo);
      undo.close();
      const lost = [];
      for (let i = 1; i <= total; i++) if (!inLedger.has(`w-${i}`) && !inUndo.has(`w-${i}`)) lost.push(i);
      expect(lost).toEqual([]);
      expect(inUndo.size).toBeGreaterThan(0); // some were written before the restore, and went into the undo
      expect(inLedger.size).toBeGreaterThan(0); // and some after, into the restored ledger
    } finally {
      core.close();
    }
  });

  it('the running core prices with the restored prices at once, keeps the live proxy reservations and team queue, and never turns a counter back', async () => {
    const home = tempHome('burnrate-restore-caches-');
    const core = openCore({ home, env: { BURNRATE_NOW: NOW }, timeZone: 'UTC' });
    try {
      await dispatch(core, 'priceSet', { model: 'house-model', provider: 'openai', input: '1.00', output: '2.00' });
      const taken = await dispatch(core, 'backupCreate', {});
      await dispatch(core, 'priceSet', { model: 'house-model', provider: 'openai', input: '50.00', output: '100.00' });
      core.db.prepare("INSERT INTO proxy_reservations (owner, owner_pid, provider, amount_nano, expires_at) VALUES ('live-proxy', ?, 'openai', 5, ?)").run(process.pid, Date.now() + 60_000);
      core.db.prepare("INSERT INTO team_outbox (kind, payload, queued_at) VALUES ('member', '{\"k\":1}', 'now')").run();
      const seqBefore = core.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'team_outbox'").pluck().get() as number;

      await dispatch(core, 'backupRestore', { name: path.basename(taken.file) });
      const rec = await dispatch(core, 'record', { provider: 'openai', model: 'house-model', inputTokens: 1_000_000, outputTokens: 0, at: '2026-11-28T10:00:00Z', id: 'priced' });
      expect(rec.costUsd).toBe('1.00'); // the backup's price, not the one set after it
      expect(core.db.prepare('SELECT owner FROM proxy_reservations').pluck().all()).toEqual(['live-proxy']);
      expect(core.db.prepare('SELECT payload FROM team_outbox').pluck().all()).toEqual(['{"k":1}']);
      expect(core.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'team_outbox'").pluck().get()).toBeGreaterThanOrEqual(seqBefore);
    } finally {
      core.close();
    }
  });

  it('refuses the ledger itself, even through a link, and leaves a ledger of a newer Burnrate where it is', () => {
    const { home, env } = homeWithBackup('burnrate-restore-self-');
    const link = path.join(home, 'link.sqlite');
    fs.symlinkSync(path.join(home, 'ledger.sqlite'), link);
    const self = burnrate(['restore', link], env);
    expect(self.code).not.toBe(0);
    expect(self.stderr).toMatch(/is the ledger itself/);

    // A ledger written by a newer Burnrate cannot be opened here: the restore says so and swaps nothing.
    const backup = burnrate(['backup', '--list', '--json'], env).json<{ backups: { file: string }[] }>().backups[0]!.file;
    const raw = new BetterSqlite3(path.join(home, 'ledger.sqlite'));
    raw.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'from_the_future', 'x', 'now')").run();
    raw.close();
    const newer = burnrate(['restore', backup], env);
    expect(newer.code).not.toBe(0);
    expect(fs.readdirSync(home).filter((f) => f.startsWith('ledger-before-restore'))).toEqual([]);
  });

  it("files a backup's days again in the running core's time zone, as opening it there would", async () => {
    const home = tempHome('burnrate-restore-zone-');
    const tokyo = openCore({ home, env: { BURNRATE_NOW: NOW }, timeZone: 'Asia/Tokyo' });
    await dispatch(tokyo, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '1.00', at: '2026-11-27T20:00:00Z', id: 'evening' });
    const taken = await dispatch(tokyo, 'backupCreate', {});
    tokyo.close();
    const newYork = openCore({ home, env: { BURNRATE_NOW: NOW }, timeZone: 'America/New_York' });
    try {
      await dispatch(newYork, 'backupRestore', { name: path.basename(taken.file) });
      expect(newYork.db.prepare("SELECT local_day FROM usage_events WHERE external_id = 'evening'").pluck().get()).toBe('2026-11-27');
      const summary = await dispatch(newYork, 'spendSummary', { from: '2026-11-27', to: '2026-11-27' });
      expect(summary.totalUsd).toBe('1.00');
    } finally {
      newYork.close();
    }
  });
});
