import { asBytes, directlyIn, firstObjectIn, isBlank, keyAt, objectAt, onceAsKey, quoted, singleDataStart, textLengthOf, valueAfter } from './event-bytes';
import { parseEvent, type SseEvent } from './sse';
import type { WireFormat } from './upstreams';

/**
 * Reading usage out of provider answers, per kind of call, from a whole JSON body or from SSE events
 * as they pass. Token semantics are the ledger's: `input` is fresh input only, cache reads and cache
 * writes apart (OpenAI's prompt_tokens includes cached tokens, so they are subtracted).
 */
export type CallKind = 'chat' | 'responses' | 'embeddings' | 'messages';

export interface Tokens {
  input: number;
  output: number;
  cached: number;
  cacheWrite: number;
  /** Part of cacheWrite written to Anthropic's 1-hour cache. */
  cacheWrite1h: number;
}

/** Which metered call a request is, or null for one passed through unmetered (model lists, files…). */
export function callKindOf(format: WireFormat, method: string | undefined, path: string): CallKind | null {
  if (method !== 'POST') return null;
  const p = path.split('?')[0]!.replace(/\/+$/, '');
  if (format === 'anthropic') return p.endsWith('/messages') ? 'messages' : null;
  if (p.endsWith('/chat/completions')) return 'chat';
  if (p.endsWith('/responses')) return 'responses';
  if (p.endsWith('/embeddings')) return 'embeddings';
  return null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const count = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 500 ? v : null);

/** OpenAI Chat Completions / embeddings usage (prompt_tokens includes cached ones). */
function chatUsage(u: Json): Tokens {
  const cached = Math.min(count(obj(u.prompt_tokens_details)?.cached_tokens), count(u.prompt_tokens));
  return { input: count(u.prompt_tokens) - cached, output: count(u.completion_tokens), cached, cacheWrite: 0, cacheWrite1h: 0 };
}

/** OpenAI Responses API usage (input_tokens includes cached ones). */
function responsesUsage(u: Json): Tokens {
  const cached = Math.min(count(obj(u.input_tokens_details)?.cached_tokens), count(u.input_tokens));
  return { input: count(u.input_tokens) - cached, output: count(u.output_tokens), cached, cacheWrite: 0, cacheWrite1h: 0 };
}

/**
 * Anthropic usage, merged into what is known: every field given overwrites (message_delta's usage
 * is cumulative, so adding would count twice); absent fields keep their value, and so do null ones
 * (the API types message_delta's counts `number | null`: null says "not told here", not zero, and
 * read as zero it wiped the input and cache counts message_start gave).
 */
function anthropicUsage(u: Json, into: Tokens | null): Tokens {
  const t: Tokens = into ? { ...into } : { input: 0, output: 0, cached: 0, cacheWrite: 0, cacheWrite1h: 0 };
  const given = (o: Json, key: string) => o[key] !== undefined && o[key] !== null;
  if (given(u, 'input_tokens')) t.input = count(u.input_tokens);
  if (given(u, 'output_tokens')) t.output = count(u.output_tokens);
  if (given(u, 'cache_read_input_tokens')) t.cached = count(u.cache_read_input_tokens);
  if (given(u, 'cache_creation_input_tokens')) t.cacheWrite = count(u.cache_creation_input_tokens);
  const split = obj(u.cache_creation);
  if (split && given(split, 'ephemeral_1h_input_tokens')) t.cacheWrite1h = Math.min(count(split.ephemeral_1h_input_tokens), t.cacheWrite);
  return t;
}

function parse(data: string): Json | null {
  try {
    return obj(JSON.parse(data));
  } catch {
    return null;
  }
}

/**
 * What one response said about its usage, gathered as it passes. `usage` is the provider's own
 * figure (null when none came: the row is then an estimate from `outputChars`).
 */
export class Meter {
  id: string | null = null;
  model: string | null = null;
  usage: Tokens | null = null;
  /** Characters counted so far, without the text deltas still waiting in `deferred`. */
  private counted = 0;
  /** Text deltas not measured yet: their bytes (views of the answer's), measured when asked for. */
  private deferred: Buffer[] = [];
  private deferredBytes = 0;
  /** The stream's own end marker arrived ([DONE], message_stop, response.completed…). */
  ended = false;
  /** The upstream reported an error inside a 200 stream. */
  streamError = false;
  /** The chunk the next events are views of, read once for all of them (eventsIn). */
  private chunk: ChunkView | null = null;

  constructor(
    readonly kind: CallKind,
    /** Drop the usage-only chunk the proxy asked for (the client did not ask for include_usage). */
    private readonly stripUsageChunk = false,
  ) {}

  /**
   * Characters of generated text and tool arguments seen: the estimate of a cut stream. Only an
   * answer without usage (cut, or from an upstream that reports none) needs it, so a text delta is
   * measured here, when asked, not as it passes (most answers never ask).
   */
  get outputChars(): number {
    this.measureDeferred();
    return this.counted;
  }

  private measureDeferred(): void {
    for (const bytes of this.deferred) {
      const chars = this.deltaTextLength(bytes);
      if (chars >= 0) this.counted += chars;
      else this.event(parseEvent(bytes)); // changes nothing but the count (isPlainDelta)
    }
    this.deferred = [];
    this.deferredBytes = 0;
  }

  /** A whole JSON answer. */
  json(body: string): void {
    const b = parse(body);
    if (!b) return;
    this.id = text(b.id) ?? this.id;
    this.model = text(b.model) ?? this.model;
    const u = obj(b.usage);
    this.ended = true;
    if (!u) return;
    if (this.kind === 'messages') this.usage = anthropicUsage(u, null);
    else if (this.kind === 'responses') this.usage = responsesUsage(u);
    else this.usage = chatUsage(u);
  }

  /**
   * One SSE event as raw bytes; returns false when the client must not see it (the injected usage
   * chunk). A text delta (most of a stream) is only measured on its bytes (event-bytes.ts): reading
   * it whole would change nothing but outputChars, by the same amount. Every other event, and any
   * event of an unusual shape, is decoded and parsed.
   */
  raw(bytes: Buffer): boolean {
    if (this.plainInChunk(bytes)) return this.defer(bytes);
    if (this.kind === 'chat' && bytes.length === DONE.length && bytes.equals(DONE)) {
      this.ended = true; // what chatEvent reads in it
      return true;
    }
    const view = this.byteView(bytes);
    if (view && this.isPlainDelta(view)) return this.defer(bytes);
    const chars = view ? this.textLengthIn(view) : -1;
    if (chars >= 0) {
      this.counted += chars;
      return true;
    }
    return this.event(parseEvent(bytes));
  }

  /**
   * The events raw() is given next are views of `buf` (SseScanner.buffer), several of them: its
   * bytes are read as one string and searched once for what could make an event more than a text
   * delta, instead of once per event (an upstream close by, or a fast model, sends many events in
   * one read). Null forgets the last chunk.
   */
  eventsIn(buf: Buffer | null): void {
    this.chunk = buf && this.kind !== 'embeddings' ? new ChunkView(buf, MARKS[this.kind]) : null;
  }

  private defer(bytes: Buffer): true {
    this.deferred.push(bytes);
    this.deferredBytes += bytes.length;
    // A long answer is measured as it goes, a few hundred events at a time: what waits stays small.
    if (this.deferredBytes > MAX_DEFERRED_BYTES) this.measureDeferred();
    return true;
  }

  /**
   * isPlainDelta for an event of the chunk given to eventsIn, read from the chunk's one string and
   * its marks. Says yes only where isPlainDelta(byteView(bytes)) does: the same shape tests at the
   * event's place in the chunk, and no mark in the event (a mark is a search hit of the patterns
   * byteView and isPlainDelta test, none of which spans a line, so none spans two events). A no
   * sends the event to the reading of its own bytes, which decides.
   */
  private plainInChunk(bytes: Buffer): boolean {
    const c = this.chunk;
    const from = c ? c.offsetOf(bytes) : -1;
    if (from === -1) return false;
    const to = from + bytes.length;
    const s = c!.s;
    const start = singleDataStart(s, from, to);
    return start !== -1 && this.deltaShapeAt(s, start) && !c!.marked(from, to);
  }

  /**
   * An event's bytes as one character per byte, with where its JSON starts; null for what only a
   * full read can take: embeddings, an event of several data lines, or one with an escaped
   * printable ASCII character (see ESCAPED_ASCII). Made once per event for both byte readings.
   */
  private byteView(bytes: Buffer): ByteView | null {
    if (this.kind === 'embeddings') return null;
    const s = asBytes(bytes);
    const start = singleDataStart(s);
    return start === -1 || ESCAPED_ASCII.test(s) ? null : { s, start };
  }

  /**
   * Whether reading the event whole could change nothing but the count of output characters: it
   * names no usage, no end, no error, and (chat) the answer's id and model are known already. Told
   * from a search or two of its bytes: a quote inside a JSON string is escaped, so a quoted word in
   * the bytes is a key or a string of the event itself. Never wrongly yes; a no only costs a read now.
   */
  private isPlainDelta({ s, start }: ByteView): boolean {
    if (!this.deltaShapeAt(s, start)) return false;
    if (this.kind === 'chat') return !s.includes(ERROR) && !usageIn(s);
    return !(this.kind === 'messages' ? MESSAGE_EVENTS : RESPONSE_EVENTS).test(s);
  }

  /**
   * The shape half of isPlainDelta, on the JSON starting at `start`: a text delta's type first
   * (chat: an object, once the answer's id and model are known). Its other half, that nothing in
   * the event names usage, an end or an error, is isPlainDelta's searches or a chunk's marks.
   */
  private deltaShapeAt(s: string, start: number): boolean {
    if (this.kind === 'chat') return this.id !== null && this.model !== null && s.charCodeAt(start) === 0x7b;
    if (this.kind === 'messages') return s.startsWith(BLOCK_DELTA, start);
    return RESPONSE_DELTAS.some((d) => s.startsWith(d, start));
  }

  /** The text length of an event that is only a text delta, or -1 when it must be read whole. */
  private deltaTextLength(bytes: Buffer): number {
    const view = this.byteView(bytes);
    return view ? this.textLengthIn(view) : -1;
  }

  private textLengthIn({ s, start }: ByteView): number {
    if (this.kind === 'chat') {
      // The first chunks name the answer; usage, errors and [DONE] are read whole.
      if (this.id === null || this.model === null || s.charCodeAt(start) !== 0x7b || usageIn(s)) return -1;
      // Counted only as the full read counts: the text keys of the first choice's delta.
      const delta = choiceDelta(s, start);
      if (delta === -1 || !directlyIn(s, CONTENT, delta)) return -1;
      if (!RARE_CHAT_KEYS.test(s)) return textLengthOf(s, CONTENT); // one search for three keys seldom there
      if (valueAfter(s, ERROR) !== -1 || !directlyIn(s, REASONING, delta) || !argumentsOfDelta(s, delta)) return -1;
      return lengths(s, CONTENT, REASONING, ARGUMENTS);
    }
    if (this.kind === 'messages') {
      if (!s.startsWith(BLOCK_DELTA, start) || !onceAsKey(s, DELTA) || !directlyIn(s, DELTA, start + 1)) return -1;
      const delta = objectAt(s, DELTA);
      // Two "type" keys, the event's (first) and its delta's: a third could be a duplicate the full read takes instead.
      const deltaType = keyAt(s, TYPE, start + 2);
      if (delta === -1 || deltaType < delta || keyAt(s, TYPE, deltaType + 1) !== -1 || !directlyIn(s, TYPE, delta, start + 2)) return -1;
      return BLOCK_TEXT_KEYS.every((key) => directlyIn(s, key, delta)) ? lengths(s, ...BLOCK_TEXT_KEYS) : -1;
    }
    // The event's one "type", and no response object (a full read takes its id and model).
    if (!RESPONSE_DELTAS.some((d) => s.startsWith(d, start)) || keyAt(s, TYPE, start + 2) !== -1 || keyAt(s, RESPONSE) !== -1) return -1;
    return directlyIn(s, DELTA, start + 1) ? textLengthOf(s, DELTA) : -1;
  }

  /** One SSE event; returns false when the client must not see it (the injected usage chunk). */
  event(e: SseEvent): boolean {
    if (this.kind === 'chat') return this.chatEvent(e);
    if (this.kind === 'messages') this.messagesEvent(e);
    else if (this.kind === 'responses') this.responsesEvent(e);
    return true;
  }

  private chatEvent(e: SseEvent): boolean {
    if (e.data === '[DONE]') {
      this.ended = true;
      return true;
    }
    const c = parse(e.data);
    if (!c) return true;
    if (obj(c.error)) this.streamError = true;
    this.id ??= text(c.id);
    this.model ??= text(c.model);
    const choices = Array.isArray(c.choices) ? c.choices : [];
    for (const choice of choices) {
      const delta = obj(obj(choice)?.delta);
      if (!delta) continue;
      if (typeof delta.content === 'string') this.counted += delta.content.length;
      if (typeof delta.reasoning_content === 'string') this.counted += delta.reasoning_content.length;
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          const args = obj(obj(call)?.function)?.arguments;
          if (typeof args === 'string') this.counted += args.length;
        }
      }
      // The legacy `functions` API streams its call's arguments here: generated output too.
      const legacyArgs = obj(delta.function_call)?.arguments;
      if (typeof legacyArgs === 'string') this.counted += legacyArgs.length;
    }
    const u = obj(c.usage);
    if (u) {
      this.usage = chatUsage(u);
      if (this.stripUsageChunk && choices.length === 0) return false;
    }
    return true;
  }

  private messagesEvent(e: SseEvent): void {
    const d = parse(e.data);
    if (!d) return;
    switch (d.type) {
      case 'message_start': {
        const m = obj(d.message);
        this.id = text(m?.id) ?? this.id;
        this.model = text(m?.model) ?? this.model;
        const u = obj(m?.usage);
        if (u) this.usage = anthropicUsage(u, this.usage);
        break;
      }
      case 'content_block_delta': {
        const delta = obj(d.delta);
        for (const k of ['text', 'partial_json', 'thinking'] as const) {
          if (typeof delta?.[k] === 'string') this.counted += (delta[k] as string).length;
        }
        break;
      }
      case 'message_delta': {
        const u = obj(d.usage);
        if (u) this.usage = anthropicUsage(u, this.usage);
        break;
      }
      case 'message_stop':
        this.ended = true;
        break;
      case 'error':
        this.streamError = true;
        break;
    }
  }

  private responsesEvent(e: SseEvent): void {
    const d = parse(e.data);
    if (!d) return;
    const type = typeof d.type === 'string' ? d.type : e.event;
    const r = obj(d.response);
    if (r) {
      this.id = text(r.id) ?? this.id;
      this.model = text(r.model) ?? this.model;
    }
    if (type === 'response.output_text.delta' || type === 'response.function_call_arguments.delta' || type === 'response.reasoning_summary_text.delta') {
      if (typeof d.delta === 'string') this.counted += d.delta.length;
    }
    if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
      this.ended = true;
      if (type === 'response.failed') this.streamError = true;
      const u = obj(r?.usage);
      if (u) this.usage = responsesUsage(u);
    }
    if (type === 'error') this.streamError = true;
  }
}

/** An SSE event's bytes read as latin1 (asBytes), and where the JSON of its one data line starts. */
interface ByteView {
  s: string;
  start: number;
}

/** The end of a chat stream, as OpenAI and every compatible provider write it. */
const DONE = Buffer.from('data: [DONE]\n\n');
/**
 * What could make an event more than a text delta, per kind of call, as one search over a chunk:
 * the patterns isPlainDelta and byteView test (ESCAPED_ASCII with both cases, as its /i flag reads
 * it). For chat, `"usage"` counts only as a key whose value is not null (ChunkView.marked).
 */
const ESCAPE_MARK = String.raw`\\[uU]00[2-7][0-9a-fA-F]`;
const MARKS: Record<Exclude<CallKind, 'embeddings'>, RegExp> = {
  chat: new RegExp(`"(?:error|usage)"|${ESCAPE_MARK}`, 'g'),
  messages: new RegExp(`"message_(?:start|delta|stop)"|"error"|${ESCAPE_MARK}`, 'g'),
  responses: new RegExp(`"response"|response\\.(?:completed|incomplete|failed)|error|${ESCAPE_MARK}`, 'g'),
};

/** A chunk's bytes as one latin1 string, with where its marks (MARKS) are. */
class ChunkView {
  readonly s: string;
  private readonly marks: number[] = [];
  /** The first mark not before the last event asked about (events are asked about in order). */
  private next = 0;

  constructor(
    private readonly buf: Buffer,
    pattern: RegExp,
  ) {
    this.s = asBytes(buf);
    // Overlapping marks too (a search goes on one character after a mark's start, not after its
    // end): `"usage"error"` holds a "usage" that is no key and an "error" sharing its last quote.
    pattern.lastIndex = 0;
    for (let m = pattern.exec(this.s); m !== null; m = pattern.exec(this.s)) {
      this.marks.push(m.index);
      pattern.lastIndex = m.index + 1;
    }
  }

  /** Where `bytes` starts in the chunk, or -1 when it is not a view of it. */
  offsetOf(bytes: Buffer): number {
    const at = bytes.byteOffset - this.buf.byteOffset;
    return bytes.buffer === this.buf.buffer && at >= 0 && at + bytes.length <= this.buf.length ? at : -1;
  }

  /** Whether a mark lies in the event from `from` to `to`. */
  marked(from: number, to: number): boolean {
    if (this.next > 0 && this.marks[this.next - 1]! >= from) this.next = 0; // asked out of order: search again
    while (this.next < this.marks.length && this.marks[this.next]! < from) this.next++;
    for (let i = this.next; i < this.marks.length && this.marks[i]! < to; i++) {
      if (!this.s.startsWith(USAGE, this.marks[i]!) || usageValueAt(this.s, this.marks[i]!, to)) return true;
    }
    return false;
  }
}

/**
 * usageIn for the one `"usage"` at `at` of an event ending at `to`: whether it is a key whose
 * value is not null (a chat chunk with include_usage on carries "usage":null in every event).
 */
function usageValueAt(s: string, at: number, to: number): boolean {
  let i = at + USAGE.length;
  while (i < to && isBlank(s.charCodeAt(i))) i++;
  if (i >= to || s.charCodeAt(i) !== 0x3a) return false; // not a key: a string that says usage
  i++;
  while (i < to && isBlank(s.charCodeAt(i))) i++;
  return !(i + 4 <= to && s.startsWith('null', i));
}

/**
 * A printable ASCII character written as a \u escape: JSON.parse reads `"\u0075sage"` as the key
 * "usage", which no search of the bytes sees, so an event with one is read whole. (An escape of any
 * other character cannot spell one of the ASCII keys and values searched for.)
 */
const ESCAPED_ASCII = /\\u00[2-7][0-9a-f]/i;
/** Text deltas waiting to be measured, at most (Meter.raw): a few hundred events. */
const MAX_DEFERRED_BYTES = 256 * 1024;
/** What could make an Anthropic event more than a text delta: a type that starts, ends or fails the message. */
const MESSAGE_EVENTS = /"message_(?:start|delta|stop)"|"error"/;
/** What could make a Responses API event more than a text delta: its response, its end, an error (in its data or its event line). */
const RESPONSE_EVENTS = /"response"|response\.(?:completed|incomplete|failed)|error/;
const USAGE = quoted('usage');
const RESPONSE = quoted('response');
const ERROR = quoted('error');
const CONTENT = quoted('content');
const REASONING = quoted('reasoning_content');
const ARGUMENTS = quoted('arguments');

/** The summed text lengths of several keys, or -1 when any of them must be read whole. */
function lengths(s: string, ...keys: string[]): number {
  let total = 0;
  for (const key of keys) {
    const n = textLengthOf(s, key);
    if (n < 0) return -1;
    total += n;
  }
  return total;
}
/** The text keys of an Anthropic content block's delta. */
const BLOCK_TEXT_KEYS = ['text', 'partial_json', 'thinking'].map(quoted);
const DELTA = quoted('delta');
const CHOICES = quoted('choices');

/**
 * Just past the `{` of the delta of a chat chunk's first choice, when the bytes show it is that:
 * `"choices"`, directly in the chunk's object (which opens at `start`), opens an array whose first
 * element is an object with `"delta"` directly in it; -1 for any other shape (read whole).
 */
function choiceDelta(s: string, start: number): number {
  if (!onceAsKey(s, CHOICES) || !onceAsKey(s, DELTA) || !directlyIn(s, CHOICES, start + 1)) return -1;
  const choice = firstObjectIn(s, valueAfter(s, CHOICES));
  if (choice === -1 || !directlyIn(s, DELTA, choice)) return -1;
  return objectAt(s, DELTA);
}

/**
 * Whether the chunk's `"arguments"`, if any, is where the full read counts it: in the function of
 * the delta's first tool call, or in the legacy function_call of the delta.
 */
function argumentsOfDelta(s: string, delta: number): boolean {
  if (keyAt(s, ARGUMENTS) === -1) return true;
  if (keyAt(s, TOOL_CALLS) !== -1) {
    if (!directlyIn(s, TOOL_CALLS, delta)) return false;
    const call = firstObjectIn(s, valueAfter(s, TOOL_CALLS));
    const fn = call !== -1 && keyAt(s, FUNCTION) !== -1 && directlyIn(s, FUNCTION, call) ? objectAt(s, FUNCTION) : -1;
    return fn !== -1 && directlyIn(s, ARGUMENTS, fn);
  }
  if (keyAt(s, FUNCTION_CALL) === -1 || !directlyIn(s, FUNCTION_CALL, delta)) return false;
  const fc = objectAt(s, FUNCTION_CALL);
  return fc !== -1 && directlyIn(s, ARGUMENTS, fc);
}
const TOOL_CALLS = quoted('tool_calls');
const FUNCTION = quoted('function');
const FUNCTION_CALL = quoted('function_call');
const TYPE = quoted('type');
const RARE_CHAT_KEYS = /"(?:error|reasoning_content|arguments)"/;
/** Anthropic's and the Responses API's text deltas, as their data begins (the type comes first). */
const BLOCK_DELTA = '{"type":"content_block_delta"';
const RESPONSE_DELTAS = ['response.output_text.delta', 'response.function_call_arguments.delta', 'response.reasoning_summary_text.delta'].map((t) => `{"type":"${t}"`);

/** carriesUsage on an event already read as bytes (asBytes). */
function usageIn(s: string): boolean {
  for (let at = valueAfter(s, USAGE); at !== -1; at = valueAfter(s, USAGE, at)) {
    if (!s.startsWith('null', at)) return true;
  }
  return false;
}

/**
 * Whether an event's bytes carry usage: a "usage" key (a quote inside a JSON string is escaped, so
 * `"usage"` can only be a key) whose value is not null (chat chunks carry "usage":null when
 * include_usage is on). Searched on the bytes read as latin1: no decoding.
 */
export function carriesUsage(bytes: Buffer): boolean {
  return usageIn(asBytes(bytes));
}
