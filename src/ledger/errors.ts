/** Errors of the ledger, each with a code callers can branch on and a sentence a user can act on. */
export type LedgerErrorCode =
  | 'corrupt' // SQLITE_CORRUPT / SQLITE_NOTADB: restore a backup
  | 'foreign' // a SQLite file of another program where the ledger should be
  | 'disk_full' // ENOSPC / SQLITE_FULL: free some space
  | 'newer_schema'
  | 'tampered_schema'
  | 'not_writable' // EACCES / EROFS / SQLITE_READONLY: fix permissions or BURNRATE_HOME
  | 'locked' // SQLITE_BUSY past the busy timeout: another process held the write lock too long
  | 'invalid';

export class LedgerError extends Error {
  override name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
