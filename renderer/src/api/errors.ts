import type { ErrorFacts } from '../../../src/api/errors';
import { wordForWindow, type ErrorFix } from './remedies';

/**
 * A failed contract call, whichever transport carried it. `message` is the core's neutral sentence
 * with the window's own remedy (renderer/src/api/remedies.ts); components show it as is, and offer
 * `fix` as a button where they can.
 */
export class CallError extends Error {
  readonly code: string;
  /** HTTP status when the call went over HTTP. */
  readonly status: number | undefined;
  readonly reason: string;
  readonly facts: ErrorFacts;
  readonly fix: ErrorFix | undefined;

  constructor(code: string, message: string, status?: number, reason = code, facts: ErrorFacts = {}) {
    const worded = wordForWindow(message, reason, facts);
    super(worded.message);
    this.name = 'CallError';
    this.code = code;
    this.status = status;
    this.reason = reason;
    this.facts = facts;
    this.fix = worded.fix;
  }
}

/** What a dashboard opened without its token (or with a stale one) tells the user. */
export const NEEDS_TOKEN_MESSAGE = 'Open the URL that `burnrate serve` printed (it carries a token).';

export function isErrorBody(value: unknown): value is { error: { code: string; message: string; reason?: string; facts?: ErrorFacts } } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** Any thrown value → a CallError with a sentence a user can act on. */
export function toCallError(value: unknown): CallError {
  if (value instanceof CallError) return value;
  if (isErrorBody(value)) return fromBody(value.error);
  if (value instanceof Error) return new CallError('internal', value.message);
  return new CallError('internal', 'Something went wrong in Burnrate; try again, and restart it if this persists.');
}

/** An error body of either transport (IPC or HTTP) → a CallError worded for the window. */
export function fromBody(error: { code: string; message: string; reason?: string; facts?: ErrorFacts }, status?: number): CallError {
  const code = String(error.code ?? 'internal');
  return new CallError(code, error.message, status, typeof error.reason === 'string' ? error.reason : code, error.facts ?? {});
}
