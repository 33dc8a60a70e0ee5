/**
 * Why a provider sync failed, in words a user understands.
 *
 * Every failure of a provider client is a SyncError with one of six kinds. The kind drives what the
 * sync runner does (retry later, tell the user to fix the key, …) and is stored in sync_runs.error_kind;
 * the message is one or two sentences that say what went wrong and what to do, naming no CLI command
 * or button (it is stored and shown by every transport); `reason` lets a transport add its own remedy
 * (the CLI: which command stores a key).
 *
 * A message NEVER contains the key. We build messages ourselves, and the only provider text we
 * quote (a short error message from the answer's body) first goes through redactSecrets, because
 * some providers echo a masked or even full key back ("Incorrect API key provided: sk-proj-…").
 */
import type { KeychainTrouble } from '../model/ports';
import { displayName } from '../providers/catalog';

export const SYNC_ERROR_KINDS = ['auth', 'permission', 'rate_limited', 'transient', 'malformed', 'config'] as const;
export type SyncErrorKind = (typeof SYNC_ERROR_KINDS)[number];

export interface SyncErrorOptions {
  provider: string;
  /** HTTP status of the answer that caused it, when there was one. */
  status?: number;
  /** Whether trying the same request again later could succeed. */
  retryable?: boolean;
  /** How long the provider asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number;
  /** A spending-limit or quota refusal: never retried, the user must act. */
  quota?: boolean;
  /** Extra technical detail for logs (already redacted; never the key). */
  detail?: string;
  /** A machine-readable reason ('key_missing', 'key_refused', 'key_needs_admin', …); default the kind. */
  reason?: string;
  /** The key could not be read from the keychain: what the user can put right (src/model/ports.ts). */
  keychainTrouble?: KeychainTrouble;
  /** The keychain's own account of it, written for a terminal (it names commands); never stored. */
  diagnosis?: string;
  cause?: unknown;
}

export class SyncError extends Error {
  override name = 'SyncError';
  readonly kind: SyncErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly quota: boolean;
  readonly detail: string | undefined;
  readonly reason: string;
  readonly keychainTrouble: KeychainTrouble | undefined;
  readonly diagnosis: string | undefined;

  constructor(kind: SyncErrorKind, message: string, options: SyncErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.provider = options.provider;
    this.status = options.status;
    this.retryable = options.retryable ?? (kind === 'transient' || kind === 'rate_limited');
    this.retryAfterMs = options.retryAfterMs;
    this.quota = options.quota ?? false;
    this.detail = options.detail;
    this.reason = options.reason ?? kind;
    this.keychainTrouble = options.keychainTrouble;
    this.diagnosis = options.diagnosis;
  }

  /** Plain data for logs, sync_runs and JSON output. */
  toJSON(): { kind: SyncErrorKind; provider: string; status: number | null; message: string } {
    return { kind: this.kind, provider: this.provider, status: this.status ?? null, message: this.message };
  }
}

export function isSyncError(value: unknown): value is SyncError {
  return value instanceof SyncError;
}

/**
 * Remove anything that looks like a credential from text a provider sent us: the key itself,
 * any long-enough piece of it, and token-shaped words (sk-…, xai-…, Bearer …), masked or not.
 */
export function redactSecrets(text: string, key?: string): string {
  let out = text;
  if (key && key.length > 0) {
    out = out.split(key).join('[redacted]');
    // A provider may echo a prefix or suffix of the key (masked forms): drop any 8+ character piece.
    const trimmed = key.trim();
    if (trimmed.length >= 16) {
      for (const piece of [trimmed.slice(0, 12), trimmed.slice(-8)]) out = out.split(piece).join('[redacted]');
    }
  }
  out = out.replace(/\bBearer\s+\S+/gi, 'Bearer [redacted]');
  out = out.replace(/\b(?:sk|xai|mgmt|rk)[-_][A-Za-z0-9_\-*.…]{3,}/gi, '[redacted]');
  return out;
}

/** A short, redacted quote of a provider's own error message for our sentences. */
export function quoteProvider(text: string | undefined, key?: string): string {
  if (!text) return '';
  const clean = redactSecrets(text, key).replace(/\s+/g, ' ').trim();
  if (!clean) return '';
  return clean.length > 200 ? `${clean.slice(0, 197)}…` : clean;
}

function name(provider: string): string {
  return displayName(provider);
}

/**
 * A provider's quote as " (…)" for the middle of our sentence, its final period dropped; nothing
 * when the provider said nothing. Clients' refiners use it too, so every quote reads alike.
 */
export function said(quote: string): string {
  return quote ? ` (${quote.endsWith('.') ? quote.slice(0, -1) : quote})` : '';
}

// Sentences shared by every client. Clients refine them where a provider has a better thing to say.

export function authError(provider: string, quote = '', status = 401): SyncError {
  return new SyncError(
    'auth',
    `${name(provider)} refused the key${said(quote)}: it is wrong, revoked or expired; store a new one.`,
    { provider, status, retryable: false, reason: 'key_refused' },
  );
}

export function permissionError(provider: string, what: string, quote = '', status = 403): SyncError {
  return new SyncError('permission', `${name(provider)} accepted the key but it may not ${what}${said(quote)}.`, {
    provider,
    status,
    retryable: false,
  });
}

export function quotaError(provider: string, quote = '', status?: number): SyncError {
  return new SyncError(
    'rate_limited',
    `${name(provider)} refused the request because the account's quota or spending limit is used up${said(quote)}. ` +
      `Burnrate does not retry this: raise the limit or add credit in ${name(provider)}'s console, then sync again.`,
    { provider, status, retryable: false, quota: true },
  );
}

export function rateLimitedError(provider: string, attempts: number, retryAfterMs?: number, status = 429): SyncError {
  const wait = retryAfterMs !== undefined ? ` It asked to wait ${describeWait(retryAfterMs)}.` : '';
  return new SyncError(
    'rate_limited',
    `${name(provider)} kept answering "too many requests" after ${attempts} ${attempts === 1 ? 'try' : 'tries'}.${wait} ` +
      'Burnrate will try again at the next sync.',
    { provider, status, retryable: true, retryAfterMs },
  );
}

export function transientError(provider: string, what: string, status?: number, cause?: unknown): SyncError {
  return new SyncError(
    'transient',
    `${name(provider)} ${what}. This is usually temporary; Burnrate will try again at the next sync.`,
    { provider, status, retryable: true, cause },
  );
}

export function malformedError(provider: string, what: string, detail?: string, status?: number): SyncError {
  return new SyncError(
    'malformed',
    `${name(provider)} answered with something that is not ${what} in its documented shape${detail ? ` (${detail})` : ''}, so nothing from that answer was stored. ` +
      'If it keeps happening, the provider may have changed its API: please report it.',
    { provider, status, retryable: false, detail },
  );
}

export function configError(provider: string, message: string, status?: number, reason?: string): SyncError {
  return new SyncError('config', message, { provider, status, retryable: false, ...(reason ? { reason } : {}) });
}

/**
 * The key could not be read from the OS keychain. The sentence only says so: it is stored and shown
 * by every transport, and the keychain's diagnosis names shell commands and environment variables
 * (src/secrets/diagnose.ts), which a window must not. The diagnosis goes beside it for the CLI, and
 * the trouble lets every transport word its own remedy.
 */
export function keyUnreadableError(provider: string, trouble: KeychainTrouble, diagnosis: string): SyncError {
  return new SyncError('config', `Burnrate could not read the key for ${name(provider)} from the system keychain.`, {
    provider,
    retryable: false,
    reason: 'key_unreadable',
    keychainTrouble: trouble,
    diagnosis,
  });
}

export function describeWait(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  return `${Math.round(seconds / 60)} min`;
}
