import type { BilledCostInput } from '../ledger/billed';
import type { UsageEventInput } from '../ledger/usage';
import type { Nano } from '../money';
import type { Clock } from '../time';

/**
 * The shape every provider client has. A client turns the provider's documented answers into
 * ledger rows; the sync runner (src/sync) writes each page in one transaction.
 */
export type KeyKind = 'admin' | 'management' | 'normal' | 'unknown';

export interface ProviderClientContext {
  /** Base URL without the version path, e.g. https://api.openai.com (BURNRATE_OPENAI_BASE_URL overrides). */
  baseUrl: string;
  key: string;
  fetch: typeof fetch;
  clock: Clock;
  /** Waits between retries; tests may pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Tuning of retries (src/sync/http.ts has the defaults); tests pass a fixed `random`. */
  retry?: RetryOptions;
  /** Provider settings read from the environment, e.g. BURNRATE_XAI_TEAM_ID. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface RetryOptions {
  /** Tries per request, the first included. */
  maxAttempts?: number;
  /** First backoff ceiling; doubles per retry (full jitter picks a wait between 0 and it). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited out in the sync: the run ends rate_limited. */
  maxRetryAfterMs?: number;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

export interface SyncWindow {
  start: Date; // inclusive
  end: Date; // exclusive
}

/** A row of a provider's answer Burnrate could not read: kept aside, shown, never counted as $0. */
export interface UnreadableRow {
  /** Which answer and bucket it came from ("costs|2026-11-03T00:00:00.000Z"). */
  scope: string;
  /** Its place in that bucket. */
  position: number;
  /** The provider's row as received. */
  raw: unknown;
  /** One sentence naming what could not be read. */
  reason: string;
}

/** One page of results, written atomically. */
export interface SyncPage {
  billed?: BilledCostInput[];
  usage?: UsageEventInput[];
  /**
   * A prepaid balance observed now (DeepSeek, OpenRouter credits, xAI prepaid). Negative when the
   * provider says money is owed (xAI).
   */
  balance?: { amountNano: Nano; currency: string; at: Date };
  /**
   * Rows kept aside, and the scopes (answer + bucket) this page covered: the kept-aside rows of a
   * covered scope are replaced by this page's, so a row the provider fixed leaves the list.
   */
  unreadable?: { scopes: string[]; rows: UnreadableRow[] };
  /**
   * A month-to-date figure the provider's API reports (OpenRouter's usage_monthly for an ordinary
   * key): recorded as an odometer reading with origin 'api', derived into days as for Groq.
   */
  odometer?: { amountNano: Nano; at: Date };
  /** Figures shown apart, never counted as this provider's spend (OpenRouter BYOK usage this month). */
  figures?: { name: 'byok_month'; period: string; amountNano: Nano; at: Date }[];
  /** Billed rows this page makes obsolete (external ids), removed with their rollups. */
  retireBilled?: string[];
  /** The organisation the provider says the key belongs to (a team keys this machine's bills by it). */
  organization?: string;
}

export interface KeyTestResult {
  ok: boolean;
  kind: KeyKind;
  /** Plain sentences: what this key can do, and what it cannot. */
  can: string[];
  cannot: string[];
  message: string;
  /** When ok is false: why (auth, permission, rate_limited, transient, malformed, config). */
  errorKind?: string;
}

export interface ProviderClient {
  readonly provider: string;
  readonly defaultBaseUrl: string;
  /** Guess the key's kind from its shape (sk-admin-…, sk-ant-admin…) without a network call. */
  classifyKey(key: string): KeyKind;
  /** Call the cheapest authenticated endpoint and say what the key can and cannot do. */
  testKey(ctx: ProviderClientContext): Promise<KeyTestResult>;
  /** Fetch every page for the window. Throws SyncError (src/sync/errors) on failure. */
  sync(ctx: ProviderClientContext, window: SyncWindow): AsyncIterable<SyncPage>;
}
