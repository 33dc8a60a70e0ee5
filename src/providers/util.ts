/**
 * Small helpers the provider clients share: UTC day arithmetic for daily buckets, deterministic
 * external ids, merging rows that share an id, reading money from an answer, one checked request
 * by path, cursor paging, and turning a SyncError into a key-test answer.
 */
import type { z } from 'zod';
import type { BilledCostInput } from '../ledger/billed';
import { addNano, MoneyError, parseCents, parseUsd, type Nano } from '../money';
import { SyncError, malformedError } from '../sync/errors';
import { fieldProblem, parseAnswer, requestJson, type ErrorRefiner } from '../sync/http';
import type { KeyKind, KeyTestResult, ProviderClientContext, SyncWindow, UnreadableRow } from './types';

declare const __BURNRATE_VERSION__: string | undefined;

/** Sent to every provider (Anthropic asks integrations to name themselves). */
export const USER_AGENT = `Burnrate/${typeof __BURNRATE_VERSION__ === 'string' ? __BURNRATE_VERSION__ : '0.1.0'} (local AI spend tracker)`;

export const DAY_MS = 86_400_000;

/** A bound on pages per endpoint and sync, so a provider whose cursor never ends cannot loop us forever. */
export const MAX_PAGES = 500;

export function utcDayStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

export function addUtcDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** The middle of a bucket: where a provider's daily usage is filed (same day as its bill). */
export function bucketMidpoint(start: Date, end: Date): Date {
  return new Date(start.getTime() + Math.floor((end.getTime() - start.getTime()) / 2));
}

/** "2026-11-01" */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** RFC 3339 without milliseconds: "2026-11-01T00:00:00Z". */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * The window as daily buckets see it: the start snapped down to UTC midnight (a bucket that began
 * mid-day would get another external id and be counted twice), the end kept (exclusive).
 */
export function dailyWindow(window: SyncWindow): { start: Date; end: Date; days: number } {
  const start = utcDayStart(window.start);
  const end = window.end.getTime() > start.getTime() ? window.end : addUtcDays(start, 1);
  const days = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / DAY_MS));
  return { start, end, days };
}

/** base (no trailing slash needed) + path + query; repeated keys stay repeated (group_by=a&group_by=b). */
export function buildUrl(base: string, path: string, params: readonly (readonly [string, string | number])[] = []): string {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of params) url.searchParams.append(k, String(v));
  return url.toString();
}

/** A deterministic external id: the parts joined, null/undefined as empty. */
export function externalKey(...parts: (string | number | boolean | null | undefined)[]): string {
  return parts.map((part) => (part === null || part === undefined ? '' : String(part).replace(/\|/g, '/'))).join('|');
}

/** Rows of one page that share an external id are one bucket: add them up instead of keeping the last. */
export function mergeBilled(rows: BilledCostInput[]): BilledCostInput[] {
  const byId = new Map<string, BilledCostInput>();
  for (const row of rows) {
    const seen = byId.get(row.externalId);
    if (seen) seen.amountNano = addNano(seen.amountNano, row.amountNano);
    else byId.set(row.externalId, { ...row });
  }
  return [...byId.values()];
}

/**
 * An amount read from a provider's answer. One our money rules refuse (not exact, out of range)
 * makes the answer malformed, so nothing of it is stored.
 */
export function moneyFrom(provider: string, what: string, read: () => Nano): Nano {
  try {
    return read();
  } catch (err) {
    if (err instanceof MoneyError) throw malformedError(provider, what, err.message);
    throw err;
  }
}

/** A key test asks at most twice (unless the caller tuned retries): a person is waiting on it. */
export function keyTestContext(ctx: ProviderClientContext): ProviderClientContext {
  return { ...ctx, retry: { maxAttempts: 2, ...ctx.retry } };
}

/** What every request of one client carries: who it is, its auth headers, its wording of refusals. */
export interface ProviderApi {
  provider: string;
  headers: Record<string, string>;
  refine?: ErrorRefiner;
}

export interface ApiRequest<T> extends ProviderApi {
  /** Below the base URL, version path included: "/v1/organization/costs". */
  path: string;
  params?: readonly (readonly [string, string | number])[];
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  /** The documented shape of the answer. */
  schema: z.ZodType<T>;
  /** What we asked for, for messages: "the costs page". */
  what: string;
}

/** One request to a provider's API (retried as src/sync/http.ts says), its answer checked against its shape. */
export async function fetchAnswer<T>(ctx: ProviderClientContext, request: ApiRequest<T>): Promise<T> {
  const { provider, what } = request;
  const json = await requestJson(
    ctx,
    {
      provider,
      method: request.method,
      url: buildUrl(ctx.baseUrl, request.path, request.params),
      headers: request.headers,
      body: request.body,
      what,
    },
    request.refine,
  );
  return parseAnswer(request.schema, json, provider, what);
}

/** A key test that failed, said plainly. */
export function failedKeyTest(err: unknown, kind: KeyKind, cannot: string[] = []): KeyTestResult {
  if (err instanceof SyncError) {
    return { ok: false, kind, can: [], cannot, message: err.message, errorKind: err.kind };
  }
  throw err;
}

/**
 * Cursor paging guard. Returns the cursor to fetch next, or null when the provider says it is done.
 * A provider that says "more" without a cursor, repeats a cursor or never ends gives a malformed error
 * (the rows already yielded stay: each page is complete on its own).
 */
export class CursorGuard {
  private readonly seen = new Set<string>();
  private pages = 0;
  constructor(
    private readonly provider: string,
    private readonly what: string,
  ) {}

  next(hasMore: boolean | null | undefined, cursor: string | null | undefined): string | null {
    this.pages++;
    if (!hasMore) return null;
    if (cursor === null || cursor === undefined || cursor === '') {
      throw malformedError(this.provider, this.what, 'has_more without a next_page cursor');
    }
    if (this.seen.has(cursor)) throw malformedError(this.provider, this.what, 'the same page cursor came back twice');
    if (this.pages >= MAX_PAGES) throw malformedError(this.provider, this.what, `more than ${MAX_PAGES} pages`);
    this.seen.add(cursor);
    return cursor;
  }
}

/** What an admin key test says, beyond its probe. */
export interface AdminKeyTest<T> {
  /** The cheapest authenticated request: one daily bucket of a report. */
  probe: ApiRequest<T>;
  /** What a key that passes the probe can and cannot do. */
  can: string[];
  cannot: string[];
  message: string;
  /** What an ordinary (non-admin) key cannot do, when the probe refuses it. */
  normalKeyCannot: string[];
}

/**
 * The key test of an organisation's admin report API (OpenAI, Anthropic): a key the probe accepts
 * is an admin key; a refusal is said plainly, with what an ordinary key cannot do.
 */
export async function adminKeyTest<T>(ctx: ProviderClientContext, kind: KeyKind, test: AdminKeyTest<T>): Promise<KeyTestResult> {
  try {
    await fetchAnswer(keyTestContext(ctx), test.probe);
    return { ok: true, kind: 'admin', can: test.can, cannot: test.cannot, message: test.message };
  } catch (err) {
    return failedKeyTest(err, kind, kind === 'normal' ? test.normalKeyCannot : []);
  }
}

/** The paging fields of OpenAI's and Anthropic's reports. */
export interface CursorPage {
  has_more: boolean;
  next_page?: string | null | undefined;
}

/**
 * Every page of a report paged by an opaque cursor: the first without `page`, each next one with
 * `page=<next_page>`, until has_more is false (CursorGuard bounds it). Pages are yielded as they
 * come, so the rows of the pages before a failure are kept.
 */
export async function* pagedByCursor<T extends CursorPage>(ctx: ProviderClientContext, request: ApiRequest<T>): AsyncGenerator<T> {
  const guard = new CursorGuard(request.provider, request.what);
  let cursor: string | null = null;
  do {
    const params = request.params ?? [];
    const page: T = await fetchAnswer(ctx, { ...request, params: cursor ? [...params, ['page', cursor]] : params });
    yield page;
    cursor = guard.next(page.has_more, page.next_page);
  } while (cursor !== null);
}

/** A field of one row that cannot be read: the row is kept aside with this sentence as its reason. */
export class RowError extends Error {
  override name = 'RowError';
}

/** The first problem zod found in a row, as one sentence naming the field. */
export function rowReason(raw: unknown, error: z.ZodError): string {
  const text = fieldProblem(raw, error);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * Money from a provider's JSON value, exactly: a decimal string as written, a JSON number through
 * its shortest decimal text (String(n)), never through float arithmetic. `unit` is what the provider
 * counts in (OpenAI, OpenRouter, xAI analytics: USD; Anthropic: cents). Anything else is a RowError.
 */
export function moneyValue(value: unknown, unit: 'usd' | 'cents', field: string): Nano {
  if (value === undefined || value === null) throw new RowError(`${field} is ${value === null ? 'null' : 'missing'}.`);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RowError(`${field} is not a finite number.`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    throw new RowError(`${field} is ${JSON.stringify(value)}, not an amount.`);
  }
  const options = { allowNegative: true, excessPrecision: 'round' as const, label: field };
  try {
    return unit === 'cents' ? parseCents(text, options) : parseUsd(text, options);
  } catch (err) {
    if (err instanceof MoneyError) throw new RowError(`${field} ${JSON.stringify(value)} is not an amount Burnrate can read exactly.`);
    throw err;
  }
}

/**
 * Read the rows of one bucket each on its own: a row that does not fit its schema, or whose
 * reader throws a RowError, is kept aside in `aside` (with the provider's raw row and the reason)
 * and the others are returned. One odd row never refuses the page.
 */
export function readRows<T, R>(
  rows: readonly unknown[],
  schema: z.ZodType<T>,
  scope: string,
  read: (row: T) => R,
  aside: UnreadableRow[],
): R[] {
  const out: R[] = [];
  rows.forEach((raw, position) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      aside.push({ scope, position, raw, reason: rowReason(raw, parsed.error) });
      return;
    }
    try {
      out.push(read(parsed.data));
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      aside.push({ scope, position, raw, reason: err.message });
    }
  });
  return out;
}
