import type { Database, Statement } from 'better-sqlite3';
import { costOfUsage, type PriceLookup } from '../ledger/usage';
import { addNano, type Nano } from '../money';
import type { CallKind, Tokens } from './meters';
import { membersOf, skipSpace, splice } from './json-splice';
import { isSqliteError, withBusyTimeout } from '../ledger/busy';

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
 * The body with stream_options.include_usage set, every other byte as the client sent it. A body
 * without stream_options (the usual case) gets the member spliced in after its opening brace; one
 * with it (include_obfuscation, say) gets include_usage set inside it (json-splice.ts). Only bytes
 * the splice cannot read as an object are parsed and serialised again.
 */
export function withUsageAsked(body: Buffer, json: Record<string, unknown>): Buffer {
  const open = skipSpace(body, 0);
  // Without the name anywhere (no need to read the body's members): the member goes first.
  if (!body.includes(STREAM_OPTIONS) && body[open] === 0x7b) return splice(body, open + 1, open + 1, ASK_USAGE);
  const spliced = usageAskedInOptions(body, open);
  if (spliced) return spliced;
  const options = json.stream_options;
  return Buffer.from(JSON.stringify({ ...json, stream_options: { ...(options && typeof options === 'object' ? options : {}), include_usage: true } }));
}

/**
 * include_usage set inside the body's own stream_options object (the last one: JSON.parse keeps the
 * last of a repeated key); the member added when the body has none at its top ("stream_options"
 * written elsewhere, as a tool's property), or set whole when its value is not an object.
 */
function usageAskedInOptions(body: Buffer, open: number): Buffer | null {
  const top = membersOf(body, open);
  if (!top) return null;
  const options = top.findLast((m) => m.key === 'stream_options');
  if (!options) return splice(body, open + 1, open + 1, top.length ? ASK_USAGE : '"stream_options":{"include_usage":true}');
  const inner = membersOf(body, options.valueStart);
  if (!inner) return splice(body, options.valueStart, options.valueEnd, '{"include_usage":true}');
  const usage = inner.findLast((m) => m.key === 'include_usage');
  if (usage) return splice(body, usage.valueStart, usage.valueEnd, 'true');
  return splice(body, options.valueStart + 1, options.valueStart + 1, inner.length ? '"include_usage":true,' : '"include_usage":true');
}

/** Tokens the body's bytes stand for (rough; see the module comment). */
export function inputEstimate(bodyBytes: number): number {
  return Math.ceil(bodyBytes / 4);
}

export const MIN_RESERVATION_TOKENS = 4096;
const SAMPLE = 500;
const CAP_TTL_MS = 60_000;

/** No model answers with more output tokens than this (the largest give 128,000): a larger count is garbage. */
const MAX_ANSWER_TOKENS = 1_000_000;
/** How often, at most, a model's cap is worked out again from answers this proxy saw since. */
const RECOMPUTE_MS = 1_000;

interface ModelSizes {
  /** The model's latest answers' output tokens, oldest first (at most SAMPLE). */
  sizes: number[];
  cap: number;
  /** When `sizes` was read from the ledger (the other proxies' answers come in then), and when `cap` was worked out. */
  loadedAt: number;
  computedAt: number;
  /** Answers seen since `cap` was worked out. */
  dirty: boolean;
}

/**
 * The per-model reservation cap: the larger of the floor and the 99th percentile of the model's
 * recent answers. Read from the ledger once a minute per model, and kept up with this proxy's own
 * answers as they end (saw): a cap worked out before the first answers were committed (they are
 * committed in batches) stayed at the floor for a whole minute. An answer larger than the cap
 * raises it at once; the others count within a second.
 */
export class ReservationCaps {
  private readonly models = new Map<string, ModelSizes>();
  private readonly recent: Statement;

  constructor(
    db: Database,
    private readonly floor = MIN_RESERVATION_TOKENS,
  ) {
    this.recent = db.prepare(`SELECT output_tokens AS n FROM usage_events WHERE source = 'proxy' AND model = ? ORDER BY id DESC LIMIT ${SAMPLE}`);
  }

  capFor(model: string, now: number): number {
    let m = this.models.get(model);
    if (!m || now - m.loadedAt >= CAP_TTL_MS) {
      if (this.models.size >= MAX_ANSWERED) this.models.clear();
      const sizes = (this.recent.all(model) as { n: number }[]).map((r) => r.n).reverse();
      m = { sizes, cap: this.capOf(sizes), loadedAt: now, computedAt: now, dirty: false };
      this.models.set(model, m);
    } else if (m.dirty && now - m.computedAt >= RECOMPUTE_MS) {
      m.cap = this.capOf(m.sizes);
      m.computedAt = now;
      m.dirty = false;
    }
    return m.cap;
  }

  /** An answer of `model` ended with `outputTokens` (a model no request asked a cap of yet is read from the ledger when one does). */
  saw(model: string, outputTokens: number, now: number): void {
    const m = this.models.get(model);
    if (!m || outputTokens > MAX_ANSWER_TOKENS) return; // an upstream's garbage, not an answer's size
    m.sizes.push(outputTokens);
    if (m.sizes.length > SAMPLE) m.sizes.shift();
    if (outputTokens > m.cap) {
      m.cap = this.capOf(m.sizes);
      m.computedAt = now;
      m.dirty = false;
    } else m.dirty = true;
  }

  private capOf(sizes: readonly number[]): number {
    if (sizes.length === 0) return this.floor;
    const sorted = [...sizes].sort((a, b) => a - b);
    return Math.max(this.floor, sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!);
  }
}

/** How many models asked for are remembered (cleared when full: a handful in practice). */
const MAX_ANSWERED = 1000;
/** A name longer than this is not learned (real names are far shorter; the table keeps what is learned). */
const MAX_NAME = 200;
/** How long names the ledger could not take wait before they are tried again (with a later answer). */
const SAVE_RETRY_MS = 1000;

/**
 * The model a provider answers as, per model asked for. Anthropic answers claude-sonnet-4-5 as
 * claude-sonnet-4-5-20250929, OpenAI gpt-4o as gpt-4o-2024-08-06, and OpenRouter's openrouter/auto
 * as the model it chose. Rows are filed under the answer's name, so the reservation cap (from those
 * rows) and the price of the next request asking for the same name are looked up under it: looked
 * up under the name asked for, the cap never rose above its floor, and a router's unpriced name
 * reserved nothing while its answers were priced and counted. Learned from each answer and kept
 * in the ledger (proxy_answered_models), so a restarted proxy still knows it.
 */
export class AnsweredModels {
  private readonly names = new Map<string, string>();
  /** Changes the ledger did not take yet (busy, read-only): tried again with a later answer. */
  private readonly unsaved = new Map<string, { provider: string; asked: string; answered: string }>();
  private triedAt = -Infinity;
  private upsert: Statement | null = null;

  private constructor(private readonly db: Database) {}

  /** The names learned so far, by this proxy and earlier ones, from the ledger. */
  static recall(db: Database): AnsweredModels {
    const answered = new AnsweredModels(db);
    const rows = db.prepare(`SELECT provider, asked, answered FROM proxy_answered_models ORDER BY seen_at DESC LIMIT ${MAX_ANSWERED}`).all() as { provider: string; asked: string; answered: string }[];
    for (const r of rows) if (r.asked !== r.answered) answered.names.set(keyOf(r.provider, r.asked), r.answered);
    return answered;
  }

  /** An answer to `asked` came as `answered`, at `at`. */
  learn(provider: string, asked: string, answered: string, at: Date): void {
    if (asked.length > MAX_NAME || answered.length > MAX_NAME) return;
    const key = keyOf(provider, asked);
    if ((this.names.get(key) ?? asked) !== answered) {
      if (asked === answered) this.names.delete(key); // answered under its own name again: the alias is stale
      else {
        if (this.names.size >= MAX_ANSWERED) this.names.clear();
        this.names.set(key, answered);
      }
      this.unsaved.set(key, { provider, asked, answered });
    }
    if (this.unsaved.size > 0 && at.getTime() - this.triedAt >= SAVE_RETRY_MS) this.save(at);
  }

  /** The name the last answer to `asked` gave, else `asked` itself. */
  of(provider: string, asked: string): string {
    return this.names.size === 0 ? asked : (this.names.get(keyOf(provider, asked)) ?? asked);
  }

  /** A change is rare (a model's first answer, a new dated version): written at once, without waiting for a lock. */
  private save(at: Date): void {
    const db = this.db;
    try {
      this.upsert ??= db.prepare('INSERT INTO proxy_answered_models (provider, asked, answered, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (provider, asked) DO UPDATE SET answered = excluded.answered, seen_at = excluded.seen_at');
      const upsert = this.upsert;
      const changes = [...this.unsaved.values()];
      withBusyTimeout(db, 0, () => db.transaction(() => changes.forEach((c) => upsert.run(c.provider, c.asked, c.answered, at.toISOString())))());
      this.unsaved.clear();
      this.triedAt = -Infinity;
    } catch (error) {
      if (!isSqliteError(error)) throw error;
      this.triedAt = at.getTime(); // kept: tried again with an answer at least SAVE_RETRY_MS later
    }
  }
}

const keyOf = (provider: string, asked: string) => `${provider}\u0000${asked}`;

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
