import type { Database } from 'better-sqlite3';
import { statement } from './statements';

/** Typed access to the settings table (JSON values). */
export function getSetting<T>(db: Database, key: string, fallback: T): T {
  const row = statement(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return fallback;
  try {
    return JSON.parse(row.value) as T;
  } catch {
    return fallback;
  }
}

export function setSetting(db: Database, key: string, value: unknown, now: Date = new Date()): void {
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), now.toISOString());
}
