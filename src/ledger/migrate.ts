import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations/index';
import { LedgerError } from './errors';
import { isStamped, stampLedger } from './stamp';

export function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex').slice(0, 16);
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

const MIGRATION_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`;

function hasMigrationTable(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

function appliedMigrations(db: Database): AppliedRow[] {
  if (!hasMigrationTable(db)) return [];
  return db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
}

export function currentVersion(db: Database): number {
  return appliedMigrations(db).at(-1)?.version ?? 0;
}

/**
 * Migrations are found by version, not by position: numbers are handed out to parallel branches
 * (docs/ledger.md), so a build may know 009 before 007 lands; a missing one is applied when it does.
 */
const newestOf = (list: readonly Migration[]): number => list.reduce((n, m) => Math.max(n, m.version), 0);

export const latestVersion = newestOf(allMigrations);

/**
 * Refuse, by reading only, a ledger from a newer Burnrate or one whose applied migrations were
 * edited: nothing has touched the file yet when this throws. Returns the newest applied version.
 */
export function checkMigrations(db: Database, list: readonly Migration[] = allMigrations): number {
  const applied = appliedMigrations(db);
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > newestOf(list)) {
    throw new LedgerError(
      'newer_schema',
      `This ledger was written by a newer Burnrate (schema ${newest}, this build knows ${newestOf(list)}). Update Burnrate; the file was not changed.`,
    );
  }
  for (const row of applied) {
    const known = list.find((m) => m.version === row.version);
    if (!known || known.name !== row.name || checksum(known.sql) !== row.checksum) {
      throw new LedgerError(
        'tampered_schema',
        `Migration ${row.version} (${row.name}) in this ledger does not match this build. The file was not changed; restore it from a backup or use the build that wrote it.`,
      );
    }
  }
  return newest;
}

/**
 * Bring the database to `target` (default: the newest), forward only, and stamp it as Burnrate's.
 * Everything happens in ONE immediate transaction that re-reads the applied versions after taking
 * the write lock: processes opening a fresh folder at once queue on the lock, the first migrates,
 * the others find the work done (no "table already exists", no lost writes).
 */
export function migrate(db: Database, target = latestVersion, list: readonly Migration[] = allMigrations): number {
  const insert = () => db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const missing = () => {
    const applied = new Set(appliedMigrations(db).map((row) => row.version));
    return list.filter((m) => m.version <= target && !applied.has(m.version)).sort((a, b) => a.version - b.version);
  };
  const upToDate = () => missing().length === 0 && hasMigrationTable(db) && isStamped(db);
  // The common case (every start of the CLI) reads only and never waits for the write lock.
  const seen = checkMigrations(db, list);
  if (upToDate()) return seen;
  const run = db.transaction(() => {
    const newest = checkMigrations(db, list); // again, under the lock: another process may have migrated meanwhile
    if (upToDate()) return newest;
    const pending = missing();
    db.exec(MIGRATION_TABLE);
    for (const m of pending) {
      db.exec(m.sql);
      insert().run(m.version, m.name, checksum(m.sql), new Date().toISOString());
    }
    stampLedger(db);
    return Math.max(newest, ...pending.map((m) => m.version));
  });
  // Nested inside a caller's transaction the work joins it (a savepoint); otherwise take the write lock first.
  return db.inTransaction ? run() : run.immediate();
}
