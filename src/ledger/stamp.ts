import type { Database } from 'better-sqlite3';
import { LedgerError } from './errors';
import { migrations } from './migrations/index';

/**
 * Burnrate's mark in the SQLite header (`PRAGMA application_id`, bytes 68–71): "BuRN". A file
 * without it is Burnrate's only if its tables say so (every ledger made before the stamp existed).
 */
export const APPLICATION_ID = 0x4275524e;

export type LedgerKind = 'fresh' | 'stamped' | 'unstamped';

function userTables(db: Database): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return rows.map((r) => r.name);
}

/** A ledger written before the stamp: its first migration row names Burnrate's first migration. */
function hasBurnrateHistory(db: Database): boolean {
  const first = db.prepare('SELECT name FROM schema_migrations WHERE version = 1').get() as { name: string } | undefined;
  return first?.name === migrations[0]!.name;
}

/**
 * Say what the file is, reading only: no pragma here changes the file, so a foreign or damaged file
 * is refused exactly as it was found (the WAL switch comes after this check).
 *
 * One read transaction, so every read sees the same state of the file: processes opening a fresh
 * folder at once migrate it while the others look, and a stamp read as missing, then the tables of
 * the migration that committed in between, once made a fresh ledger read as another program's.
 */
export function recogniseLedger(db: Database, file: string): LedgerKind {
  return db.transaction(() => recognise(db, file))();
}

function recognise(db: Database, file: string): LedgerKind {
  const id = db.pragma('application_id', { simple: true }) as number;
  if (id === APPLICATION_ID) return 'stamped';
  const tables = userTables(db);
  if (id === 0) {
    // An empty file, or one an older Burnrate left after creating only its migrations table.
    if (!tables.length) return 'fresh';
    if (tables.includes('schema_migrations') && (tables.length === 1 || hasBurnrateHistory(db))) return 'unstamped';
  }
  throw new LedgerError(
    'foreign',
    `${file} is a SQLite database of another program, not a Burnrate ledger. It was left untouched; move it elsewhere or set BURNRATE_HOME to another folder.`,
  );
}

export function isStamped(db: Database): boolean {
  return db.pragma('application_id', { simple: true }) === APPLICATION_ID;
}

/** Write the stamp; call inside the migration transaction so stamp and schema land together. */
export function stampLedger(db: Database): void {
  db.pragma(`application_id = ${APPLICATION_ID}`);
}
