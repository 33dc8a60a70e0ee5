/** Errors of the ledger, each with a code callers can branch on and a sentence a user can act on. */
export type LedgerErrorCode =
  | 'corrupt'
  | 'newer_schema'
  | 'tampered_schema'
  | 'not_writable'
  | 'locked'
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
