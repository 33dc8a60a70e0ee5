import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements kept per connection, for the SQL of the hot write path (each row the proxy
 * writes runs it): preparing compiles the SQL, which cost more than running it. Keyed by the
 * connection object, so a closed and reopened ledger (a new object) prepares afresh. Only for
 * statements run with get/run (an iterating statement is busy and cannot be shared).
 */
const cache = new WeakMap<Database, Map<string, Statement>>();

export function statement(db: Database, sql: string): Statement {
  let mine = cache.get(db);
  if (!mine) cache.set(db, (mine = new Map()));
  let s = mine.get(sql);
  if (!s) mine.set(sql, (s = db.prepare(sql)));
  return s;
}
