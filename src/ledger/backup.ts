import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { backupDir, backupName, backupsToPrune, freeBackupName, listBackups, type BackupFile } from './backupFiles';
import { LedgerError } from './errors';
import { checkMigrations } from './migrate';
import { openSqlite } from './sqlite';
import { recogniseLedger } from './stamp';
import { translateSqliteError } from './trouble';

/**
 * Online backups with SQLite's backup API: pages are copied in steps while the ledger stays in use.
 * A backup is written to a temporary name and renamed into place only when complete and synced,
 * so a crash (or kill -9) mid-backup leaves the ledger and every earlier backup as they were.
 */

export interface BackupTaken {
  readonly file: string;
  readonly bytes: number;
  readonly at: string;
}

const PARTIAL = '.partial';

export function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Copy the ledger behind `db` into `dest` (replacing it only once the copy is whole). */
export async function backupLedger(db: Database, dest: string, now: Date): Promise<BackupTaken> {
  const target = path.resolve(dest);
  const folder = path.dirname(target);
  if (!fs.existsSync(folder)) {
    throw new LedgerError('invalid', `The folder ${folder} does not exist; create it or choose another file for the backup.`);
  }
  const partial = `${target}${PARTIAL}-${process.pid}`;
  try {
    await db.backup(partial);
    // One self-contained file: a backup in rollback-journal mode needs no -wal or -shm beside it.
    const copy = openSqlite(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fsyncPath(partial);
    fs.renameSync(partial, target);
    try {
      fsyncPath(folder); // the rename itself survives a power cut
    } catch {
      // Some platforms cannot open a folder for fsync; the rename is still atomic.
    }
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw translateSqliteError(error, target);
  }
  return { file: target, bytes: fs.statSync(target).size, at: now.toISOString() };
}

/** Remove leftovers of backups that died mid-copy, older than an hour (none is still running). */
function removeStalePartials(dir: string, now: Date): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.includes(PARTIAL)) continue;
    const file = path.join(dir, name);
    if (now.getTime() - fs.statSync(file).mtimeMs > 3_600_000) fs.rmSync(file, { force: true });
  }
}

export function ensureBackupDir(home: string): string {
  const dir = backupDir(home);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** `burnrate backup` without --to: a timestamped file in <home>/backups/, never over another backup. */
export function backupNow(db: Database, home: string, now: Date): Promise<BackupTaken> {
  return backupLedger(db, path.join(ensureBackupDir(home), freeBackupName(home, now)), now);
}

/**
 * The daily backup: taken when today's (UTC) is missing, then old ones pruned to the last 7 days
 * and the last 4 weeks. Returns the backup taken, or null when today's already existed.
 */
export async function dailyBackup(db: Database, home: string, now: Date): Promise<BackupTaken | null> {
  const dir = ensureBackupDir(home);
  const target = path.join(dir, backupName(now, true));
  const taken = fs.existsSync(target) ? null : await backupLedger(db, target, now);
  for (const old of backupsToPrune(listBackups(home))) fs.rmSync(old.file, { force: true });
  removeStalePartials(dir, now);
  return taken;
}

export interface BackupCheck {
  readonly file: string;
  readonly schemaVersion: number;
}

/**
 * Check a file before trusting it as a ledger: Burnrate's stamp (or its migrations), a clean
 * integrity check, and a schema this build knows. Opens it read-only; never changes it.
 */
export function verifyLedgerFile(file: string): BackupCheck {
  const target = path.resolve(file);
  if (!fs.existsSync(target) || !fs.statSync(target).isFile()) {
    throw new LedgerError('invalid', `There is no file ${target}; name one of the backup files (the list of backups shows them).`);
  }
  let db: Database | undefined;
  try {
    db = openSqlite(target, { readonly: true, fileMustExist: true });
    if (recogniseLedger(db, target) === 'fresh') {
      throw new LedgerError('invalid', `${target} is an empty database, not a Burnrate backup; name another file.`);
    }
    const problems = db.pragma('integrity_check', { simple: true });
    if (problems !== 'ok') {
      throw new LedgerError('corrupt', `${target} is damaged (integrity check: ${String(problems)}); name another backup.`);
    }
    return { file: target, schemaVersion: checkMigrations(db) };
  } catch (error) {
    throw translateSqliteError(error, target);
  } finally {
    db?.close();
  }
}

export type { BackupFile };
