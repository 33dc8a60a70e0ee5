import path from 'node:path';
import { listBackups } from './backupFiles';
import { isLedgerBusy } from './busy';
import { LedgerError } from './errors';

/**
 * Machine trouble (full disk, read-only file, damaged file, a lock held too long) is not a bug:
 * each gets its own LedgerError code and one sentence that says what to do.
 */
function codeOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

export function isCorruption(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/** The sentence's tail naming the newest backup next to a ledger, if there is one. */
export function newestBackupHint(ledgerFile: string): string {
  const newest = listBackups(path.dirname(ledgerFile)).at(-1);
  return newest ? ` The newest backup is ${newest.file}; restoring it brings the ledger back as it was then.` : '';
}

export function damagedLedgerError(file: string): LedgerError {
  return new LedgerError(
    'corrupt',
    `The ledger ${file} is damaged or is not a Burnrate database. It was left untouched; move it aside (or restore a backup) and run the command again.${newestBackupHint(file)}`,
  );
}

/**
 * Map a SQLite or file-system failure to a LedgerError; anything else is returned unchanged. A
 * file-system error names its own path (an export target, a backup) rather than the ledger.
 */
export function translateSqliteError(error: unknown, ledgerFile: string): Error {
  if (error instanceof LedgerError) return error;
  const code = codeOf(error);
  const errnoPath = (error as { path?: unknown } | null)?.path;
  const file = typeof errnoPath === 'string' ? errnoPath : ledgerFile;
  if (isCorruption(error)) return damagedLedgerError(file);
  if (isLedgerBusy(error)) {
    return new LedgerError('locked', `The ledger ${file} stayed busy in another process; try again in a moment.`);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return new LedgerError('disk_full', `The disk holding ${file} is full; free some space and run the command again (nothing was saved).`);
  }
  if (
    code === 'SQLITE_CANTOPEN' ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_PERM' ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  ) {
    return new LedgerError('not_writable', `Burnrate cannot write to ${file}; check the folder's permissions or set BURNRATE_HOME to a writable folder.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * A log that prints each distinct line once: a full disk fails every job and request the same way,
 * and one line says it (no stack traces, no megabytes of log on the very disk that is full).
 */
export function onceLog(log: (line: string) => void, limit = 100): (line: string) => void {
  const seen = new Set<string>();
  return (line) => {
    if (seen.has(line)) return;
    if (seen.size >= limit) seen.clear();
    seen.add(line);
    log(line);
  };
}
