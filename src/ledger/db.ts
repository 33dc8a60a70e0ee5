import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { LedgerError } from './errors';
import { checkMigrations, migrate } from './migrate';
import { recogniseLedger } from './stamp';
import { translateSqliteError } from './trouble';

export type { Database } from 'better-sqlite3';

export interface OpenLedgerOptions {
  /** Path of the .node binary to load; main/ passes an Electron-ABI build here. */
  nativeBinding?: string;
  /** Open without migrating (tests of single migrations). */
  migrate?: boolean;
  readonly?: boolean;
}

export const LEDGER_FILE = 'ledger.sqlite';

export { translateSqliteError } from './trouble';

/**
 * A connection whose `db.transaction(fn)` begins IMMEDIATE: the write lock is taken (waiting up to
 * busy_timeout) before the first read. A deferred transaction that reads and then writes cannot
 * wait: SQLite answers SQLITE_BUSY at once when another process wrote meanwhile, which is how
 * "database is locked" reached users although the timeout is 5 s. `.deferred` stays available for
 * read-only snapshots. Read-only connections keep deferred transactions (they cannot take the lock).
 */
class LedgerDatabase extends BetterSqlite3 {
  override transaction<F extends VariableArgFunction>(fn: F): BetterSqlite3.Transaction<F> {
    const tx = super.transaction(fn);
    // At run time each variant carries the others (.deferred, .immediate, ...); the typings omit it.
    return this.readonly ? tx : (tx.immediate as BetterSqlite3.Transaction<F>);
  }
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- better-sqlite3's own constraint
type VariableArgFunction = (...params: any[]) => unknown;

function ensureWritableHome(home: string): void {
  try {
    // Owner-only: the ledger holds spending history and webhook URLs (credentials of their own).
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    fs.accessSync(home, fs.constants.W_OK);
  } catch {
    throw new LedgerError(
      'not_writable',
      `Burnrate cannot write to its data folder ${home}; make it writable or set BURNRATE_HOME to a folder you own.`,
    );
  }
}

/**
 * Pages in the WAL before SQLite checkpoints it into the ledger: 1,000 (about 4 MB) keeps the file
 * small on small disks (10,000 pages let it reach 41 MB under load).
 */
export const WAL_AUTOCHECKPOINT_PAGES = 1000;

/** Apply the connection settings every Burnrate connection uses (after the file was recognised). */
export function configure(db: Database): void {
  db.pragma('busy_timeout = 5000'); // first: the WAL switch below may itself wait for another process
  db.pragma('journal_mode = WAL'); // readers never block the writer: the app, CLI and MCP share the file
  db.pragma('synchronous = NORMAL'); // durable at checkpoint; WAL keeps the file consistent after a crash
  db.pragma('foreign_keys = ON');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  // After a checkpoint, a WAL that one big transaction grew is cut back to 4 MiB instead of keeping its peak size.
  db.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
  // 32 MiB page cache (default 2 MiB): the unique-key index of a large ledger stops fitting the
  // default, and inserts at scattered key positions then read its pages back from disk.
  db.pragma('cache_size = -32768');
}

/** Open (creating if needed) the ledger in `home` and bring its schema up to date. */
export function openLedger(home: string, options: OpenLedgerOptions = {}): Database {
  ensureWritableHome(home);
  const file = path.join(home, LEDGER_FILE);
  return openLedgerFile(file, options);
}

/**
 * Open a ledger file. Before anything can change the file (WAL switch, migrations, stamp) it is
 * recognised as Burnrate's and its schema checked, reading only: a foreign, damaged or newer file
 * is refused byte for byte as it was.
 */
export function openLedgerFile(file: string, options: OpenLedgerOptions = {}): Database {
  let db: Database | undefined;
  try {
    if (!options.readonly && !fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600)); // created owner-only
    db = new LedgerDatabase(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
      timeout: 5000,
    });
    recogniseLedger(db, file);
    checkMigrations(db);
    if (!options.readonly) configure(db);
    if (options.migrate !== false && !options.readonly) migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw translateSqliteError(error, file);
  }
}

/** An in-memory ledger for tests and benchmarks. */
export function openMemoryLedger(options: { migrate?: boolean } = {}): Database {
  const db = new LedgerDatabase(':memory:');
  db.pragma('foreign_keys = ON');
  if (options.migrate !== false) migrate(db);
  return db;
}
