import type { Database } from 'better-sqlite3';
import type { Nano } from '../money';

/** Queries on the readings table, as functions of (db, …args). Soft-deleted rows are history only. */

export type ReadingKind = 'odometer' | 'balance' | 'topup';

export interface ReadingRow {
  id: number;
  provider: string;
  kind: ReadingKind;
  amount_nano: Nano;
  taken_at: string;
  billing_month: string;
  is_final: 0 | 1;
  note: string;
  replaces_id: number | null;
  origin: 'user' | 'api';
  created_at: string;
  deleted_at: string | null;
}

const COLUMNS = 'id, provider, kind, amount_nano, taken_at, billing_month, is_final, note, replaces_id, origin, created_at, deleted_at';

export function listReadings(db: Database, provider: string, kinds: readonly ReadingKind[]): ReadingRow[] {
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM readings
       WHERE provider = ? AND account = 'default' AND deleted_at IS NULL AND kind IN (${kinds.map(() => '?').join(', ')})
       ORDER BY taken_at, id`,
    )
    .all(provider, ...kinds) as ReadingRow[];
}

export function getReading(db: Database, id: number): ReadingRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM readings WHERE id = ?`).get(id) as ReadingRow | undefined;
}

export interface NewReading {
  provider: string;
  kind: ReadingKind;
  amount: Nano;
  takenAt: string;
  billingMonth: string;
  final: boolean;
  note: string;
  replacesId: number | null;
  createdAt: string;
}

export function insertReading(db: Database, r: NewReading): number {
  const result = db
    .prepare(
      `INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, is_final, note, replaces_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(r.provider, r.kind, r.amount, r.takenAt, r.billingMonth, r.final ? 1 : 0, r.note, r.replacesId, r.createdAt);
  return Number(result.lastInsertRowid);
}

export function softDeleteReading(db: Database, id: number, at: string): void {
  db.prepare('UPDATE readings SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(at, id);
}

/** Providers with any live reading (of the given kinds). */
export function providersWithReadings(db: Database, kinds: readonly ReadingKind[]): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT provider FROM readings WHERE deleted_at IS NULL AND account = 'default'
         AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY provider`,
      )
      .all(...kinds) as { provider: string }[]
  ).map((r) => r.provider);
}

/** The latest live reading of a provider (top-ups and final figures excluded). */
export function latestReading(db: Database, provider: string): ReadingRow | undefined {
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM readings
       WHERE provider = ? AND account = 'default' AND deleted_at IS NULL AND kind IN ('odometer','balance') AND is_final = 0
       ORDER BY taken_at DESC, id DESC LIMIT 1`,
    )
    .get(provider) as ReadingRow | undefined;
}
