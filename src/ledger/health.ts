import type { Database } from 'better-sqlite3';
import { LedgerError } from './errors';
import { newestBackupHint } from './trouble';

/**
 * `PRAGMA quick_check`: damage in the middle of the file (a bad disk block, a copy cut short) is
 * otherwise noticed only when a query happens to read that page, maybe months later at an export.
 * Run at start of the app and serve (and daily after); O(file size), reads only.
 */
export function quickCheck(db: Database): string[] {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

/** Throws the sentence to show when the ledger is damaged; returns quietly when it is sound. */
export function checkLedger(db: Database): void {
  if (db.memory) return;
  const problems = quickCheck(db);
  if (problems.length === 0) return;
  // SQLite's report starts with a "*** in database main ***" line; the first finding is enough.
  const finding = problems[0]!.split('\n').map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('***')) ?? problems[0];
  throw new LedgerError(
    'corrupt',
    `The ledger ${db.name} is damaged (SQLite's check found: ${finding}). Export what you still can, stop Burnrate, and restore a backup.${newestBackupHint(db.name)}`,
  );
}
