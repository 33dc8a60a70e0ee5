import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, LedgerError, openLedger, openLedgerFile, recogniseLedger } from '../../../src/ledger';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-stamp-'));
const ledgerOf = (home: string) => path.join(home, 'ledger.sqlite');
const applicationId = (file: string) => {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return raw.pragma('application_id', { simple: true });
  } finally {
    raw.close();
  }
};

/** Open, expect a LedgerError with `code`, and return its message. */
function refusal(home: string, code: string): string {
  try {
    openLedger(home).close();
  } catch (error) {
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as LedgerError).code).toBe(code);
    return (error as Error).message;
  }
  throw new Error('the ledger was opened');
}

describe('the application_id stamp', () => {
  it('stamps a new ledger', () => {
    const home = tmp();
    openLedger(home).close();
    expect(applicationId(ledgerOf(home))).toBe(APPLICATION_ID);
  });

  it('recognises a ledger made before the stamp by its migrations, keeps its rows and stamps it', () => {
    const home = tmp();
    const db = openLedger(home);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('kept', '1', '2026-01-01T00:00:00Z')").run();
    db.pragma('application_id = 0');
    db.close();
    expect(applicationId(ledgerOf(home))).toBe(0);
    const again = openLedger(home);
    expect(again.prepare("SELECT value FROM settings WHERE key = 'kept'").get()).toEqual({ value: '1' });
    again.close();
    expect(applicationId(ledgerOf(home))).toBe(APPLICATION_ID);
  });

  it('refuses a SQLite file of another program, byte for byte untouched and still in its journal mode', () => {
    const home = tmp();
    const file = ledgerOf(home);
    const foreign = new BetterSqlite3(file);
    foreign.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT); INSERT INTO photos (caption) VALUES ('beach')");
    foreign.close();
    const before = fs.readFileSync(file);
    expect(refusal(home, 'foreign')).toMatch(/another program, not a Burnrate ledger\. It was left untouched/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a SQLite file stamped by another application', () => {
    const home = tmp();
    const other = new BetterSqlite3(ledgerOf(home));
    other.pragma('application_id = 1234');
    other.exec('CREATE TABLE schema_migrations (version INTEGER)');
    other.close();
    refusal(home, 'foreign');
  });

  it('refuses a newer ledger before switching it to WAL (header bytes unchanged)', () => {
    const home = tmp();
    const file = ledgerOf(home);
    const db = openLedger(home);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x', '2026-01-01T00:00:00Z')").run();
    db.pragma('journal_mode = DELETE'); // as a copy made by another tool would be
    db.close();
    const before = fs.readFileSync(file);
    expect(before[18]).toBe(1); // rollback-journal file format
    expect(refusal(home, 'newer_schema')).toMatch(/newer Burnrate/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reads a fresh file in one state while another process migrates it (parallel first use)', () => {
    // The other process's migration is made to land between two reads of this one, the worst moment
    // (twelve `record`s on an empty folder hit it on a loaded CI runner): it then waits for this
    // read to end, and this one sees a fresh file, never a half-seen one called another program's.
    const file = ledgerOf(tmp());
    fs.closeSync(fs.openSync(file, 'a'));
    const looking = new BetterSqlite3(file);
    const pragma = looking.pragma.bind(looking);
    let otherMigrated: boolean | undefined;
    looking.pragma = ((source: string, options?: { simple?: boolean }) => {
      const read = pragma(source, options);
      if (otherMigrated === undefined) {
        try {
          openLedgerFile(file, { busyTimeoutMs: 50 }).close();
          otherMigrated = true;
        } catch {
          otherMigrated = false; // it waited for this read; the busy timeout here keeps the test short
        }
      }
      return read;
    }) as typeof looking.pragma;
    expect(recogniseLedger(looking, file)).toBe('fresh');
    expect(otherMigrated).toBe(false);
    // Once this read is over, the other process migrates, and what it made reads as Burnrate's.
    openLedgerFile(file).close();
    expect(recogniseLedger(looking, file)).toBe('stamped');
    looking.close();
  });
});
