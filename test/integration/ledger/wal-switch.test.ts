import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE, openLedger } from '../../../src/ledger';
import { switchToWal } from '../../../src/ledger/busy';
import { openSqlite } from '../../../src/ledger/sqlite';
import { ROOT, tempHome } from '../../helpers/cli';

/**
 * The switch of a fresh ledger (rollback-journal mode) to WAL reads the file, then takes the write
 * lock from within that read, where SQLite does not wait. CI saw one of twelve processes starting on
 * a new data folder fail at once with "stayed busy": another of them held the write lock (it was
 * migrating) at that moment. Reproduced here with another process holding the lock.
 */
function writerHolding(file: string, holdMs: number): Promise<{ done: Promise<void> }> {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.prepare('BEGIN IMMEDIATE').run(); // the write lock, as a migrating process holds it
    process.stdout.write('holding\\n');
    setTimeout(() => { db.prepare('COMMIT').run(); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the writer exited with ${code}`)))));
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve({ done }));
    child.once('error', reject);
    done.catch(reject);
  });
}

describe('switching a fresh ledger to WAL while another process holds its write lock', () => {
  const homes: string[] = [];
  afterEach(() => {
    for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
  });
  const freshFile = () => {
    const home = tempHome('burnrate-wal-switch-');
    homes.push(home);
    const file = path.join(home, LEDGER_FILE);
    fs.writeFileSync(file, ''); // what openLedger creates first, before any process migrates
    return { home, file };
  };
  const journalModeOf = (file: string) => {
    const db = openSqlite(file);
    try {
      return db.pragma('journal_mode', { simple: true });
    } finally {
      db.close();
    }
  };

  it('waits for the lock, then switches', async () => {
    const { home, file } = freshFile();
    const db = openSqlite(file);
    const writer = await writerHolding(file, 300);
    try {
      switchToWal(db, 10_000);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    await writer.done;
    const ledger = openLedger(home); // and the ledger then opens and migrates as usual
    expect((ledger.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBeGreaterThan(0);
    ledger.close();
  });

  it('gives up with SQLite\'s busy error once the wait passes the busy timeout, and leaves the file in rollback mode', async () => {
    const { file } = freshFile();
    const db = openSqlite(file);
    const writer = await writerHolding(file, 1500);
    try {
      expect(() => switchToWal(db, 200)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    } finally {
      db.close();
    }
    await writer.done;
    expect(journalModeOf(file)).toBe('delete');
  });
});
