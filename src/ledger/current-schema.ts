import type { Database } from 'better-sqlite3';
import { migrations, type Migration } from './migrations/index';
import { isStamped } from './stamp';

/**
 * Whether the ledger is stamped and holds exactly the migrations this build knows, by version and
 * name: nothing to migrate, nothing newer. Reads only. The checksums of the applied migrations are
 * not compared here (node:crypto alone costs a quick command tens of milliseconds to load): they
 * guard writes, and every connection that may write opens through migrate.ts, which checks them.
 */
export function holdsCurrentSchema(db: Database, list: readonly Migration[] = migrations): boolean {
  if (!isStamped(db)) return false;
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()) return false;
  const applied = db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[];
  const known = new Map(list.map((m) => [m.version, m.name]));
  // version is the table's primary key: as many rows as known versions, each known, is the same set.
  return applied.length === known.size && applied.every((row) => known.get(row.version) === row.name);
}
