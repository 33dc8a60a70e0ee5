/**
 * A failed contract call, whichever transport carried it. `message` is the sentence the core
 * wrote for the user (what went wrong and what to do); components show it as is.
 */
export class CallError extends Error {
  readonly code: string;
  /** HTTP status when the call went over HTTP. */
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = 'CallError';
    this.code = code;
    this.status = status;
  }
}

/** What a dashboard opened without its token (or with a stale one) tells the user. */
export const NEEDS_TOKEN_MESSAGE = 'Open the URL that `burnrate serve` printed (it carries a token).';

export function isErrorBody(value: unknown): value is { error: { code: string; message: string } } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** Any thrown value → a CallError with a sentence a user can act on. */
export function toCallError(value: unknown): CallError {
  if (value instanceof CallError) return value;
  if (isErrorBody(value)) return new CallError(String(value.error.code ?? 'internal'), value.error.message);
  if (value instanceof Error) return new CallError('internal', value.message);
  return new CallError('internal', 'Something went wrong in Burnrate; try again, and restart it if this persists.');
}
