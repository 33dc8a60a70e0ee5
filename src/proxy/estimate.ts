import type { Database, Statement } from 'better-sqlite3';
import { costOfUsage, type PriceLookup } from '../ledger/usage';
import { addNano, type Nano } from '../money';
import type { CallKind, Tokens } from './meters';

/**
 * What a request is and may cost, read from its body before it is forwarded.
 *
 * Input tokens are estimated as a quarter of the body's bytes (JSON punctuation makes that an
 * over-estimate, the safe side for a reservation). Output is `max_tokens` but at most the model's
 * reservation cap: the larger of 4,096 tokens and the 99th percentile of that model's last
 * responses through the proxy. Reserving max_tokens at face value would refuse everything: Claude
 * Code sends max_tokens 64000 on every request, $4.80 at Opus output prices.
 */
export interface RequestFacts {
  model: string | null;
  stream: boolean;
  maxTokens: number | null;
  /** The client asked for stream_options.include_usage itself. */
  asksUsage: boolean;
  /** The body as JSON, or null when it is not (it is then forwarded unchanged). */
  json: Record<string, unknown> | null;
}

export function readRequest(body: Buffer): RequestFacts {
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : null;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = null;
  }
  const n = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null);
  const options = json?.stream_options;
  return {
    json,
    model: typeof json?.model === 'string' ? json.model : null,
    stream: json?.stream === true,
    maxTokens: n(json?.max_tokens) ?? n(json?.max_completion_tokens) ?? n(json?.max_output_tokens),
    asksUsage: !!options && typeof options === 'object' && (options as Record<string, unknown>).include_usage === true,
  };
}

const STREAM_OPTIONS = Buffer.from('"stream_options"');
const ASK_USAGE = Buffer.from('"stream_options":{"include_usage":true},');

/**
 * The body with stream_options.include_usage set. A body without stream_options (the usual case)
 * gets the member spliced in after its opening brace, so a large prompt is not serialised again;
 * otherwise the parsed body is re-serialised with the option merged in.
 */
export function withUsageAsked(body: Buffer, json: Record<string, unknown>): Buffer {
  if (!body.includes(STREAM_OPTIONS)) {
    const brace = body.indexOf(0x7b);
    if (brace === 0 || (brace > 0 && body.subarray(0, brace).toString('latin1').trim() === '')) {
      const out = Buffer.allocUnsafe(body.length + ASK_USAGE.length);
      body.copy(out, 0, 0, brace + 1);
      ASK_USAGE.copy(out, brace + 1);
      body.copy(out, brace + 1 + ASK_USAGE.length, brace + 1);
      return out;
    }
  }
  const options = json.stream_options;
  return Buffer.from(JSON.stringify({ ...json, stream_options: { ...(options && typeof options === 'object' ? options : {}), include_usage: true } }));
}

/** Tokens the body's bytes stand for (rough; see the module comment). */
export function inputEstimate(bodyBytes: number): number {
  return Math.ceil(bodyBytes / 4);
}

export const MIN_RESERVATION_TOKENS = 4096;
const SAMPLE = 500;
const CAP_TTL_MS = 60_000;

/** The per-model reservation cap, from the model's recent responses, cached a minute per model. */
export class ReservationCaps {
  private readonly cache = new Map<string, { cap: number; at: number }>();
  private readonly recent: Statement;

  constructor(
    db: Database,
    private readonly floor = MIN_RESERVATION_TOKENS,
  ) {
    this.recent = db.prepare(`SELECT output_tokens AS n FROM usage_events WHERE source = 'proxy' AND model = ? ORDER BY id DESC LIMIT ${SAMPLE}`);
  }

  capFor(model: string, now: number): number {
    const hit = this.cache.get(model);
    if (hit && now - hit.at < CAP_TTL_MS) return hit.cap;
    const sizes = (this.recent.all(model) as { n: number }[]).map((r) => r.n).sort((a, b) => a - b);
    const p99 = sizes.length ? sizes[Math.min(sizes.length - 1, Math.ceil(sizes.length * 0.99) - 1)]! : 0;
    const cap = Math.max(this.floor, p99);
    this.cache.set(model, { cap, at: now });
    return cap;
  }
}

/** Output tokens to reserve: max_tokens, at most the cap (embeddings produce none). */
export function outputReservation(kind: CallKind, maxTokens: number | null, cap: number): number {
  if (kind === 'embeddings') return 0;
  return Math.min(maxTokens ?? cap, cap);
}

/** Cost of tokens at the catalogue's price, or null when the model is not priced (never $0). */
export function costOf(prices: PriceLookup, provider: string, model: string, at: Date, t: Tokens): Nano | null {
  const p = prices.priceFor(provider, model, at, t.input + t.cached + t.cacheWrite);
  if (!p) return null;
  const { costIn, costOut } = costOfUsage(p, t);
  return addNano(costIn, costOut);
}
