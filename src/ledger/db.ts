import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { LedgerError } from './errors';
import { LEDGER_FILE } from './file-name';
import { checkMigrations, latestVersion, migrate } from './migrate';
import { DEFAULT_BUSY_TIMEOUT_MS, switchToWal } from './busy';
import { openSqlite, sqliteOptions } from './sqlite';
import { recogniseLedger } from './stamp';
import { translateSqliteError } from './trouble';

export type { Database } from 'better-sqlite3';

export interface OpenLedgerOptions {
  /** Path of the .node binary to load; main/ passes an Electron-ABI build here. */
  nativeBinding?: string;
  /** Open without migrating (tests of single migrations). */
  migrate?: boolean;
  readonly?: boolean;
  /** How long a statement waits for another process's write lock (default DEFAULT_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

export { LEDGER_FILE } from './file-name';

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
export function configure(db: Database, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`); // first: every statement below may wait for another process
  switchToWal(db, busyTimeoutMs); // readers never block the writer: the app, CLI and MCP share the file
  db.pragma('synchronous = NORMAL'); // durable at checkpoint; WAL keeps the file consistent after a crash
  db.pragma('foreign_keys = ON');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  // After a checkpoint, a WAL that one big transaction grew is cut back to 4 MiB instead of keeping its peak size.
  db.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
  // 32 MiB page cache (default 2 MiB): the unique-key index of a large ledger stops fitting the
  // default, and inserts at scattered key positions then read its pages back from disk.
  db.pragma('cache_size = -32768');
}

/** Whether `target` exists and this process may not write it (folder or file made read-only). */
function existsReadOnly(target: string): boolean {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return false;
  } catch {
    return fs.existsSync(target);
  }
}

/**
 * Open (creating if needed) the ledger in `home` and bring its schema up to date. A ledger whose
 * folder or file is read-only (a backup, a shared copy) opens read-only: every read works and a
 * write is refused with SQLite's read-only error, worded by translateSqliteError.
 */
export function openLedger(home: string, options: OpenLedgerOptions = {}): Database {
  const file = path.join(home, LEDGER_FILE);
  if (!options.readonly && fs.existsSync(file) && (existsReadOnly(home) || existsReadOnly(file))) {
    return openLedgerFile(file, { ...options, readonly: true });
  }
  ensureWritableHome(home);
  return openLedgerFile(file, options);
}

/** A read-only connection cannot migrate: refuse a ledger whose schema is behind this build's. */
function assertCurrentSchema(db: Database, file: string): void {
  const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const version = row ? ((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0) : 0;
  if (version < latestVersion) {
    throw new LedgerError(
      'not_writable',
      `The ledger ${file} is read-only and was written by an older Burnrate; open it once where it is writable so it can be upgraded, or set BURNRATE_HOME to a writable folder.`,
    );
  }
}

/** SQLite could not open the WAL index (-shm) of a read-only WAL ledger in a read-only folder. */
function isReadOnlyWal(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY_CANTINIT';
}

/**
 * A WAL ledger in a folder this process cannot write: SQLite cannot create the -shm file it needs,
 * and this build of SQLite takes no `immutable` URI. Read it as an in-memory copy instead, its
 * header marked as a rollback-journal file (bytes 18-19; WAL is only a flag there), with
 * query_only so every write is refused. Refused when the -wal holds changes the copy would miss.
 */
export function openSnapshot(file: string, nativeBinding: string | undefined): Database {
  const wal = `${file}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    throw new LedgerError('not_writable', `The ledger ${file} is read-only and has changes in ${wal} that only a writable folder can apply; make the folder writable and run the command again.`);
  }
  const bytes = fs.readFileSync(file);
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes.fill(1, 18, 20);
  const db = openSqlite(bytes, nativeBinding ? { nativeBinding } : {});
  db.pragma('query_only = ON');
  return db;
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
    db = new LedgerDatabase(file, sqliteOptions({
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
      timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    }));
    if (options.readonly) {
      try {
        db.prepare('SELECT COUNT(*) FROM sqlite_master').get(); // the first read opens the WAL, if it can
      } catch (error) {
        if (!isReadOnlyWal(error)) throw error;
        db.close();
        db = openSnapshot(file, options.nativeBinding);
      }
    }
    recogniseLedger(db, file);
    checkMigrations(db);
    if (!options.readonly) configure(db, options.busyTimeoutMs);
    if (options.migrate !== false && !options.readonly) migrate(db);
    if (options.migrate !== false && options.readonly) assertCurrentSchema(db, file);
    return db;
  } catch (error) {
    db?.close();
    throw translateSqliteError(error, file);
  }
}

/** An in-memory ledger for tests and benchmarks. */
export function openMemoryLedger(options: { migrate?: boolean } = {}): Database {
  const db = new LedgerDatabase(':memory:', sqliteOptions());
  db.pragma('foreign_keys = ON');
  if (options.migrate !== false) migrate(db);
  return db;
}
