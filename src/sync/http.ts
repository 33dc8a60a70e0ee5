/**
 * The one way provider clients talk HTTP: a timeout on every attempt, retries with exponential
 * backoff and full jitter, Retry-After honoured, and every failure turned into a SyncError.
 *
 * Retry policy (docs/providers.md repeats it):
 * - 429 and 503: wait what the provider asked (retry-after-ms, else Retry-After in seconds or as an
 *   HTTP date); without such a header, back off like any transient failure. A wait longer than
 *   maxRetryAfterMs is not sat out inside a sync: the run ends rate_limited and the next one tries.
 * - 408, 500, 502, 504 (any other 5xx), a timeout, a dropped connection: backoff with full jitter,
 *   wait = random() × min(maxDelayMs, baseDelayMs × 2^(retry − 1)).
 * - Never retried: a spending-limit or quota refusal (even when it comes as a 429), and any other
 *   4xx; an answer that is not the documented JSON (malformed) is not retried either.
 */
import type { z } from 'zod';
import type { ProviderClientContext, RetryOptions } from '../providers/types';
import { displayName } from '../providers/catalog';
import {
  SyncError,
  authError,
  configError,
  describeWait,
  malformedError,
  permissionError,
  quoteProvider,
  quotaError,
  rateLimitedError,
  transientError,
} from './errors';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: Required<Omit<RetryOptions, 'random'>> = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** What the HTTP layer needs from a client's context. */
export type HttpContext = Pick<
  ProviderClientContext,
  'fetch' | 'clock' | 'sleep' | 'timeoutMs' | 'signal' | 'retry' | 'key'
>;

export interface HttpCall {
  provider: string;
  method?: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** What we asked for, for messages: "the costs report". */
  what: string;
}

/** An error answer, as a client's refiner sees it. `message`/`code` come from the body when it has them. */
export interface ErrorAnswer {
  status: number;
  text: string;
  /** The provider's own message, redacted (never the key) and shortened. */
  message: string;
  code: string;
}

/**
 * A client may replace the default error for an answer with a better sentence (OpenAI's "this is a
 * project key", Anthropic's "individual accounts have no Admin API"). Return undefined to keep it.
 */
export type ErrorRefiner = (answer: ErrorAnswer, fallback: SyncError) => SyncError | undefined;

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Full jitter: a uniformly random wait between 0 and the exponential ceiling of this retry (1-based). */
export function backoffDelay(retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, retry - 1));
  const r = (options.random ?? Math.random)();
  return Math.floor(Math.min(Math.max(r, 0), 1) * ceiling);
}

/**
 * How long the answer asks us to wait, in ms, or undefined when it does not say.
 * retry-after-ms (OpenAI, Anthropic) wins; Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3).
 */
export function parseRetryAfter(headers: Headers, now: Date): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** The provider's error message and code from a JSON error body, in the shapes providers use. */
export function errorFields(text: string): { message: string; code: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: looksLikeHtml(text) ? '' : text.slice(0, 300), code: '' };
  }
  const pick = (o: unknown, k: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined);
  const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const err = pick(body, 'error');
  if (typeof err === 'string') return { message: str(pick(body, 'message')) || err, code: str(pick(body, 'code')) || err };
  if (err && typeof err === 'object') {
    return {
      message: str(pick(err, 'message')),
      code: str(pick(err, 'code')) || str(pick(err, 'type')),
    };
  }
  return { message: str(pick(body, 'message')) || str(pick(body, 'detail')), code: str(pick(body, 'code')) };
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);
}

const QUOTA = /insufficient[_ ]?quota|exceeded your current quota|quota|spending[_ -]?limit|billing[_ ]hard[_ ]limit|credit balance|insufficient[_ ](credits|balance|funds)|out of credits|payment required/i;

/** The error for an answer that was not 2xx, before any provider refinement. */
export function classifyStatus(call: HttpCall, status: number, answer: ErrorAnswer, attempts = 1, retryAfterMs?: number): SyncError {
  const p = call.provider;
  const quote = answer.message;
  const isQuota = QUOTA.test(`${answer.code} ${answer.message}`);
  if (status === 401) return authError(p, quote, status);
  if (status === 402 || ((status === 429 || status === 403) && isQuota)) return quotaError(p, quote, status);
  if (status === 403) return permissionError(p, `read ${call.what}`, quote, status);
  if (status === 429) return rateLimitedError(p, attempts, retryAfterMs, status);
  if (status === 404) {
    return configError(
      p,
      `${displayName(p)} has no ${call.what} at the address Burnrate used (404). If you set BURNRATE_${p.toUpperCase()}_BASE_URL, ` +
        'give it without the version path (for example http://127.0.0.1:5001, not …/v1).',
      status,
    );
  }
  if (status >= 300 && status < 400) {
    return configError(
      p,
      `${displayName(p)} redirected Burnrate's request for ${call.what} elsewhere (${status}); Burnrate does not follow ` +
        `redirects with your key. Check BURNRATE_${p.toUpperCase()}_BASE_URL if you set it.`,
      status,
    );
  }
  if (status === 408) return transientError(p, `did not finish answering ${call.what} in time (408)`, status);
  if (status >= 500) return transientError(p, `had a server error (${status}) while answering ${call.what}`, status);
  return configError(
    p,
    `${displayName(p)} rejected Burnrate's request for ${call.what} (${status}${quote ? `: ${quote}` : ''}). ` +
      'This is likely a bug in Burnrate or a change at the provider; please report it.',
    status,
  );
}

function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the name does not resolve';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was dropped';
    case 'CERT_HAS_EXPIRED':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'its TLS certificate was not accepted';
    default:
      return code ? code : 'the network request failed';
  }
}

/**
 * Send one request (retrying as the policy says) and return the parsed JSON body of the 2xx answer.
 * Throws SyncError on every failure; never puts the key into a message.
 */
export async function requestJson(ctx: HttpContext, call: HttpCall, refine?: ErrorRefiner): Promise<unknown> {
  const retry = { ...DEFAULT_RETRY, ...ctx.retry };
  const maxAttempts = Math.max(1, Math.floor(retry.maxAttempts));
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sleep = ctx.sleep ?? ((ms: number) => defaultSleep(ms, ctx.signal));
  const p = call.provider;
  const origin = safeOrigin(call.url);
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';

  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw cancelled(p);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
    let failure: SyncError;
    let waitMs: number | undefined;
    try {
      const res = await ctx.fetch(call.url, {
        method: call.method ?? 'GET',
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal,
        // Never follow a redirect: it could carry the key's header to another host.
        redirect: 'manual',
      });
      const text = await res.text();
      if (res.ok) return parseJsonBody(p, call.what, text, res.headers.get('content-type'), res.status);
      const fields = errorFields(text);
      const answer: ErrorAnswer = {
        status: res.status,
        text,
        message: quoteProvider(fields.message, ctx.key),
        code: fields.code,
      };
      const retryAfterMs =
        res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers, ctx.clock.now()) : undefined;
      const base = classifyStatus(call, res.status, answer, attempt, retryAfterMs);
      failure = refine?.(answer, base) ?? base;
      if (!failure.retryable || !retryableStatus(res.status) || failure.quota) throw failure;
      if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) {
        throw rateLimitedError(p, attempt, retryAfterMs, res.status);
      }
      waitMs = retryAfterMs;
    } catch (err) {
      if (err instanceof SyncError) throw err;
      if (ctx.signal?.aborted) throw cancelled(p);
      if (timeout.aborted) {
        failure = transientError(p, `did not send ${call.what} within ${describeWait(timeoutMs)}`, undefined, err);
      } else {
        failure = transientError(p, `could not be reached at ${origin} (${networkReason(err)})`, undefined, err);
      }
    }
    if (attempt >= maxAttempts) {
      throw failure.kind === 'rate_limited' ? rateLimitedError(p, attempt, failure.retryAfterMs, failure.status) : failure;
    }
    try {
      await sleep(waitMs ?? backoffDelay(attempt, retry));
    } catch (err) {
      if (ctx.signal?.aborted) throw cancelled(p);
      throw err;
    }
  }
}

function cancelled(provider: string): SyncError {
  return new SyncError('transient', `The ${displayName(provider)} sync was cancelled before it finished; nothing more was fetched.`, {
    provider,
    retryable: true,
  });
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'its address';
  }
}

function parseJsonBody(provider: string, what: string, text: string, contentType: string | null, status: number): unknown {
  if (looksLikeHtml(text) || /text\/html/i.test(contentType ?? '')) {
    throw malformedError(provider, what, 'an HTML page instead of JSON', status);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw malformedError(provider, what, `not JSON (${(err as Error).message.slice(0, 120)})`, status);
  }
}

/**
 * Check a JSON answer against its documented shape before any row is taken from it.
 * A mismatch is a `malformed` SyncError naming the first few wrong paths (never values).
 */
export function parseAnswer<T>(schema: z.ZodType<T>, json: unknown, provider: string, what: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  // The sentence names the field that was wrong, e.g. "data.usage_monthly is missing".
  throw malformedError(provider, what, fieldProblem(json, result.error));
}

/** How the value at `path` of `raw` is described: "amount is missing", "amount.value is null". */
function describeAt(raw: unknown, path: readonly PropertyKey[], expected: string | undefined): string {
  const field = path.map(String).join('.') || 'the answer';
  let value: unknown = raw;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (value === undefined) return `${field} is missing`;
  if (value === null) return `${field} is null`;
  const shown = JSON.stringify(value) ?? String(value);
  return `${field} is ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}${expected ? `, not ${expected}` : ''}`;
}

/** The first problem zod found in `raw`, naming the field: "data.0.start_time is "x", not a number". */
export function fieldProblem(raw: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the shape is not the documented one';
  const expected = 'expected' in issue && typeof issue.expected === 'string' ? `a ${issue.expected}` : undefined;
  return issue.code === 'custom' ? `${issue.path.map(String).join('.') || 'the answer'}: ${issue.message}` : describeAt(raw, issue.path, expected);
}
