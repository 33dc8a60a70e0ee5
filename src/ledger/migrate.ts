import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations/index';
import { LedgerError } from './errors';

export function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex').slice(0, 16);
}

function ensureMigrationTable(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
}

export function currentVersion(db: Database): number {
  ensureMigrationTable(db);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

export const latestVersion = allMigrations.length;

/**
 * Bring the database to `target` (default: the newest). Forward only; each migration runs in its
 * own transaction. A database from a newer Burnrate, or one whose applied migrations were edited,
 * is refused untouched.
 */
export function migrate(db: Database, target = latestVersion, list: readonly Migration[] = allMigrations): number {
  ensureMigrationTable(db);
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    checksum: string;
  }[];
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > list.length) {
    throw new LedgerError(
      'newer_schema',
      `This ledger was written by a newer Burnrate (schema ${newest}, this build knows ${list.length}). Update Burnrate; the file was not changed.`,
    );
  }
  for (const row of applied) {
    const known = list[row.version - 1];
    if (!known || known.name !== row.name || checksum(known.sql) !== row.checksum) {
      throw new LedgerError(
        'tampered_schema',
        `Migration ${row.version} (${row.name}) in this ledger does not match this build. The file was not changed; restore it from a backup or use the build that wrote it.`,
      );
    }
  }
  const insert = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of list.slice(newest, target)) {
    db.transaction(() => {
      db.exec(m.sql);
      insert.run(m.version, m.name, checksum(m.sql), new Date().toISOString());
    })();
  }
  return Math.max(newest, Math.min(target, list.length));
}
