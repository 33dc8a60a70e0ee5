import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, burnrate, tempHome } from '../../helpers/cli';

const NOW = '2026-11-20T12:00:00Z';

function homeWithSpend(): { home: string; env: Record<string, string> } {
  const home = tempHome('burnrate-backup-');
  const env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW };
  for (const [i, cost] of ['1.25', '2.50', '0.40'].entries()) {
    const r = burnrate(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', cost, '--at', `2026-11-1${i}T09:00:00Z`, '--id', `b${i}`], env);
    expect(r.code, r.stderr).toBe(0);
  }
  expect(burnrate(['budget', 'set', '--monthly', '50'], env).code).toBe(0);
  return { home, env };
}

const statusOf = (env: Record<string, string>) => {
  const r = burnrate(['status', '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return r.json();
};

describe('burnrate backup and restore', () => {
  it('restores a backup to the same status --json as when it was taken, keeping the replaced ledger aside', () => {
    const { home, env } = homeWithSpend();
    const before = statusOf(env);
    const taken = burnrate(['backup', '--json'], env);
    expect(taken.code, taken.stderr).toBe(0);
    const backup = taken.json<{ file: string; bytes: number }>();
    expect(path.dirname(backup.file)).toBe(path.join(home, 'backups'));
    expect(burnrate(['backup', '--list', '--json'], env).json<{ backups: { file: string }[] }>().backups.map((b) => b.file)).toEqual([backup.file]);

    expect(burnrate(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', '9', '--at', '2026-11-19T09:00:00Z', '--id', 'later'], env).code).toBe(0);
    expect(statusOf(env)).not.toEqual(before);

    const restored = burnrate(['restore', backup.file, '--json'], env);
    expect(restored.code, restored.stderr).toBe(0);
    const { setAside } = restored.json<{ setAside: string }>();
    expect(statusOf(env)).toEqual(before);
    // The replaced ledger, with the later record, is kept.
    const aside = new BetterSqlite3(setAside, { readonly: true });
    expect(aside.prepare("SELECT COUNT(*) AS n FROM usage_events WHERE external_id = 'later'").get()).toEqual({ n: 1 });
    aside.close();
  });

  it('refuses to restore a file that is not a Burnrate ledger, or is damaged, and changes nothing', () => {
    const { home, env } = homeWithSpend();
    const before = statusOf(env);
    const foreign = path.join(home, 'photos.sqlite');
    const db = new BetterSqlite3(foreign);
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)');
    db.close();
    const refused = burnrate(['restore', foreign], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not a Burnrate ledger/);

    const taken = burnrate(['backup', '--to', path.join(home, 'copy.sqlite'), '--json'], env).json<{ file: string }>();
    const bytes = fs.readFileSync(taken.file);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2000); // damage a page in the middle
    const damaged = path.join(home, 'damaged.sqlite');
    fs.writeFileSync(damaged, bytes);
    const refusedDamaged = burnrate(['restore', damaged], env);
    expect(refusedDamaged.code).not.toBe(0);
    expect(refusedDamaged.stderr).toMatch(/damaged/);
    expect(refusedDamaged.stderr).not.toMatch(/Please report it/);

    expect(burnrate(['restore', path.join(home, 'missing.sqlite')], env).stderr).toMatch(/There is no file/);
    expect(statusOf(env)).toEqual(before);
    expect(fs.readdirSync(home).filter((f) => f.startsWith('ledger-before-restore'))).toEqual([]);
  });

  it('a kill -9 during a backup leaves the ledger and the earlier backups intact', { timeout: 120_000 }, async () => {
    const { home, env } = homeWithSpend();
    // Make the ledger big enough (~40 MB) that a backup takes many steps.
    const raw = new BetterSqlite3(path.join(home, 'ledger.sqlite'));
    raw.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
      INSERT INTO usage_events (source, provider, external_id, cost_origin, occurred_at, local_day, metadata, recorded_at)
      SELECT 'import', 'filler', 'f' || i, 'unpriced', '2026-10-01T00:00:00Z', '2026-10-01', printf('{"pad":"%.2000c"}', 'x'), '2026-10-01T00:00:00Z' FROM n`);
    raw.close();
    const before = statusOf(env);
    const earlier = burnrate(['backup', '--json'], env).json<{ file: string }>();
    const earlierBytes = fs.readFileSync(earlier.file);
    const dir = path.join(home, 'backups');
    const target = path.join(dir, 'manual.sqlite');

    const child = spawn(process.execPath, [BIN, 'backup', '--to', target], { env: { ...process.env, TZ: 'UTC', ...env }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // The explicit signal: the backup's temporary file appears in the folder.
    await new Promise<void>((resolve) => {
      const watcher = fs.watch(dir, (_event, name) => {
        if (name && String(name).startsWith('manual.sqlite.partial')) {
          watcher.close();
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');

    // No half-written file under the backup's name; the earlier backup is byte for byte the same.
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readFileSync(earlier.file).equals(earlierBytes)).toBe(true);
    const check = new BetterSqlite3(path.join(home, 'ledger.sqlite'), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    expect(statusOf(env)).toEqual(before);
    // The next backup works and the leftover does not count as a backup.
    expect(burnrate(['backup', '--to', target], env).code).toBe(0);
    expect(burnrate(['backup', '--list', '--json'], env).json<{ backups: { file: string }[] }>().backups.map((b) => b.file)).toEqual([earlier.file]);
  });
});
