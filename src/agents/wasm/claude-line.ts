// AssemblyScript, compiled to dist/claude-line.wasm by scripts/build-wasm.mjs (not type-checked by
// the project's tsc: its types are WebAssembly's). See src/agents/line-scanner.ts for the contract.
//
// Reads one Claude Code transcript line the way JSON.parse would, without building it: it checks the
// whole line against JSON's grammar and keeps, by position, only the fields the Claude parser reads
// (src/agents/parsers/claude.ts). Anything it cannot prove equal to what JSON.parse would give (an
// escaped key, a field given twice, a count that is not a plain integer, an unknown non-zero count,
// a `progress` line, a nesting deeper than MAX_DEPTH) is answered FALLBACK, and the line is read by
// JSON.parse instead. So the result is JSON.parse's, only cheaper: V8's JSON.parse builds every key,
// string and object of the ~1 KB line (3–4 µs), this walks its bytes, 16 at a time inside strings.

const BLOCK_BYTES: i32 = 1 << 20;
/**
 * The reading thread's chunk buffer (src/agents/lines.ts reads files into it), so a line is scanned
 * where it was read, and a second block for a line that is not there (one longer than what was
 * left of a chunk, joined from two). +16: the 16-byte loads may read past a line's end; what they
 * read there is never taken for part of the line.
 */
const READ: usize = memory.data(BLOCK_BYTES + 16);
const COPY: usize = memory.data(BLOCK_BYTES + 16);
/** i32 slots of the result (layout: line-scanner.ts, Slot). */
const SLOTS: usize = memory.data(64 * 4);
/** f64 slots: the counts and the timestamp. */
const NUMBERS: usize = memory.data(8 * 8);
/** The last reported value of the fields that repeat from line to line (cwd, session, model). */
const PREVIOUS_BYTES: i32 = 1024;
const PREVIOUS: usize = memory.data(3 * PREVIOUS_BYTES);
const KEYS: usize = memory.data(512);

export function readPointer(): usize { return READ; }
export function copyPointer(): usize { return COPY; }
export function blockBytes(): i32 { return BLOCK_BYTES; }
export function slotsPointer(): usize { return SLOTS; }
export function numbersPointer(): usize { return NUMBERS; }

// What `scan` answers (line-scanner.ts, Answer).
const IGNORE: i32 = 0;
const MALFORMED: i32 = 1;
const FALLBACK: i32 = 2;
const ASSISTANT: i32 = 3;

// Objects whose keys are tracked: the line, its message, the message's usage, usage.cache_creation.
const NONE: i32 = 0;
const ROOT: i32 = 1;
const MESSAGE: i32 = 2;
const USAGE: i32 = 3;
const CACHE_CREATION: i32 = 4;

// Result slots. String fields take three each: kind (0 absent or not a string, 1 plain, 2 with
// escapes), its address in memory, length in bytes.
const S_TYPE: i32 = 0;
const S_CWD: i32 = 1;
const S_SESSION: i32 = 2;
const S_REQUEST: i32 = 3;
const S_TIMESTAMP: i32 = 4;
const S_MODEL: i32 = 5;
const S_ID: i32 = 6;
const F_SIDECHAIN: i32 = 21; // 1 when isSidechain is the literal true
const F_MESSAGE_OBJECT: i32 = 22;
const F_USAGE_OBJECT: i32 = 23;
const F_SPLIT_OBJECT: i32 = 24;
const C_STATE: i32 = 25; // 25..29: each count's state: 0 absent or null, 1 a count, 2 not a count
const F_SAME: i32 = 30; // 30..32: cwd, session, model equal to the previous ASSISTANT answer's
const F_TIME_MS: i32 = 33; // 1 when NUMBERS[5] holds the timestamp's epoch milliseconds
const SEEN: i32 = 40; // 40 + context: a bit per tracked key already met in that object

const C_INPUT: i32 = 0;
const C_OUTPUT: i32 = 1;
const C_WRITE: i32 = 2;
const C_READ: i32 = 3;
const C_WRITE_1H: i32 = 4;
const N_TIME: i32 = 5;

const MAX_DEPTH: i32 = 512;

let pos: usize = 0;
let end: usize = 0;
let fault: i32 = 0; // 0, MALFORMED or FALLBACK
let depth: i32 = 0;
let lastStringKind: i32 = 0;
let lastNumber: f64 = 0; // a plain integer of at most 15 digits, or -1 for any other number

const QUOTE = i8x16.splat(0x22);
const BACKSLASH = i8x16.splat(0x5c);
const SPACE = i8x16.splat(0x20);

// Keys, copied once into KEYS as bytes so a key compares as two or four 8-byte loads.
let keysUsed: usize = 0;
function key(s: string): usize {
  const at = KEYS + keysUsed;
  store<u8>(at, <u8>s.length);
  for (let i = 0; i < s.length; i++) store<u8>(at + 1 + <usize>i, <u8>s.charCodeAt(i));
  keysUsed += (1 + <usize>s.length + 7) & ~7;
  return at;
}
const K_TYPE = key('type');
const K_CWD = key('cwd');
const K_SESSION = key('sessionId');
const K_REQUEST = key('requestId');
const K_TIMESTAMP = key('timestamp');
const K_SIDECHAIN = key('isSidechain');
const K_MESSAGE = key('message');
const K_MODEL = key('model');
const K_ID = key('id');
const K_USAGE = key('usage');
const K_INPUT = key('input_tokens');
const K_OUTPUT = key('output_tokens');
const K_WRITE = key('cache_creation_input_tokens');
const K_READ = key('cache_read_input_tokens');
const K_SPLIT = key('cache_creation');
const K_WRITE_1H = key('ephemeral_1h_input_tokens');
const K_ASSISTANT = key('assistant');
const K_PROGRESS = key('progress');

/** The bytes [at, at+length) equal the key k. */
function equals(at: usize, length: i32, k: usize): bool {
  if (<i32>load<u8>(k) != length) return false;
  let i = 0;
  for (; i + 8 <= length; i += 8) if (load<u64>(at + <usize>i) != load<u64>(k + 1 + <usize>i)) return false;
  for (; i < length; i++) if (load<u8>(at + <usize>i) != load<u8>(k + 1 + <usize>i)) return false;
  return true;
}

@inline function setSlot(i: i32, v: i32): void { store<i32>(SLOTS + (<usize>i << 2), v); }
@inline function slot(i: i32): i32 { return load<i32>(SLOTS + (<usize>i << 2)); }
@inline function isDigit(c: u32): bool { return c - 0x30 < 10; }

@inline function skipSpace(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c != 0x20 && c != 0x09 && c != 0x0d && c != 0x0a) break;
    pos++;
  }
}

/** A string whose opening quote is just before pos; pos ends after its closing quote. */
function scanString(): i32 {
  let kind = 1;
  while (true) {
    // The first quote, backslash or control byte of the next 16, else on to the next 16.
    while (true) {
      const v = v128.load(pos);
      const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, QUOTE), i8x16.eq(v, BACKSLASH)), i8x16.lt_u(v, SPACE)));
      if (stops != 0) {
        pos += <usize>ctz(stops);
        break;
      }
      pos += 16;
      if (pos >= end) break;
    }
    if (pos >= end) return fail(MALFORMED);
    const c = load<u8>(pos);
    if (c == 0x22) {
      pos++;
      return kind;
    }
    if (c != 0x5c) return fail(MALFORMED); // a raw control character
    kind = 2;
    if (++pos >= end) return fail(MALFORMED);
    const e = load<u8>(pos);
    if (e == 0x75) {
      if (pos + 4 >= end || !isHex(load<u8>(pos + 1)) || !isHex(load<u8>(pos + 2)) || !isHex(load<u8>(pos + 3)) || !isHex(load<u8>(pos + 4))) return fail(MALFORMED);
      pos += 5;
    } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
      pos++;
    } else return fail(MALFORMED);
  }
}

@inline function isHex(c: u32): bool { return c - 0x30 < 10 || (c | 0x20) - 0x61 < 6; }

function fail(why: i32): i32 {
  if (fault == 0) fault = why;
  return 0;
}

/** A number at pos, by JSON's grammar; lastNumber is its value when a plain integer of ≤ 15 digits. */
function scanNumber(): bool {
  const start = pos;
  let plain = true;
  if (load<u8>(pos) == 0x2d) {
    pos++;
    plain = false;
  }
  if (pos >= end) return fail(MALFORMED) != 0;
  let value: f64 = 0;
  if (load<u8>(pos) == 0x30) pos++;
  else if (isDigit(load<u8>(pos))) {
    while (pos < end && isDigit(load<u8>(pos))) value = value * 10 + <f64>(load<u8>(pos++) - 0x30);
  } else return fail(MALFORMED) != 0;
  if (pos < end && load<u8>(pos) == 0x2e) {
    plain = false;
    const digits = ++pos;
    while (pos < end && isDigit(load<u8>(pos))) pos++;
    if (pos == digits) return fail(MALFORMED) != 0;
  }
  if (pos < end && (load<u8>(pos) | 0x20) == 0x65) {
    plain = false;
    if (++pos < end && (load<u8>(pos) == 0x2b || load<u8>(pos) == 0x2d)) pos++;
    const digits = pos;
    while (pos < end && isDigit(load<u8>(pos))) pos++;
    if (pos == digits) return fail(MALFORMED) != 0;
  }
  lastNumber = plain && pos - start <= 15 ? value : -1;
  return true;
}

/** The letters of true, false or null after their first; pos is at the first. */
function scanWord(rest: u32, length: i32): bool {
  if (pos + <usize>length > end) return false;
  // The word's bytes after its first, little-endian (length - 1 of them).
  let got: u32 = 0;
  for (let i = length - 1; i >= 1; i--) got = (got << 8) | <u32>load<u8>(pos + <usize>i);
  if (got != rest) return false;
  pos += <usize>length;
  return true;
}

// What scanValue met.
const V_FAULT: i32 = 0;
const V_STRING: i32 = 1;
const V_NUMBER: i32 = 2;
const V_OBJECT: i32 = 3;
const V_ARRAY: i32 = 4;
const V_TRUE: i32 = 5;
const V_FALSE: i32 = 6;
const V_NULL: i32 = 7;

/** The value at pos (after spaces); an object is read as context `inside`. */
function scanValue(inside: i32): i32 {
  skipSpace();
  if (pos >= end) return fail(MALFORMED);
  const c = load<u8>(pos);
  if (c == 0x22) {
    pos++;
    lastStringKind = scanString();
    return lastStringKind == 0 ? V_FAULT : V_STRING;
  }
  if (c == 0x7b) {
    pos++;
    return scanObject(inside) ? V_OBJECT : V_FAULT;
  }
  if (c == 0x5b) {
    pos++;
    return scanArray() ? V_ARRAY : V_FAULT;
  }
  if (c == 0x2d || isDigit(c)) return scanNumber() ? V_NUMBER : V_FAULT;
  if (c == 0x74 && scanWord(0x657572, 4)) return V_TRUE; // "rue"
  if (c == 0x66 && scanWord(0x65736c61, 5)) return V_FALSE; // "alse"
  if (c == 0x6e && scanWord(0x6c6c75, 4)) return V_NULL; // "ull"
  return fail(MALFORMED);
}

function scanArray(): bool {
  if (++depth > MAX_DEPTH) return fail(FALLBACK) != 0;
  skipSpace();
  if (pos < end && load<u8>(pos) == 0x5d) {
    pos++;
    depth--;
    return true;
  }
  while (true) {
    if (scanValue(NONE) == V_FAULT) return false;
    skipSpace();
    if (pos >= end) return fail(MALFORMED) != 0;
    const c = load<u8>(pos++);
    if (c == 0x2c) continue;
    if (c == 0x5d) {
      depth--;
      return true;
    }
    return fail(MALFORMED) != 0;
  }
}

/** Which tracked key of `context` the key bytes are (its bit), 0 for another key. */
function fieldOf(context: i32, at: usize, length: i32): i32 {
  if (context == ROOT) {
    if (equals(at, length, K_TYPE)) return 1;
    if (equals(at, length, K_CWD)) return 2;
    if (equals(at, length, K_SESSION)) return 3;
    if (equals(at, length, K_REQUEST)) return 4;
    if (equals(at, length, K_TIMESTAMP)) return 5;
    if (equals(at, length, K_SIDECHAIN)) return 6;
    if (equals(at, length, K_MESSAGE)) return 7;
  } else if (context == MESSAGE) {
    if (equals(at, length, K_MODEL)) return 1;
    if (equals(at, length, K_ID)) return 2;
    if (equals(at, length, K_USAGE)) return 3;
  } else if (context == USAGE) {
    if (equals(at, length, K_INPUT)) return 1;
    if (equals(at, length, K_OUTPUT)) return 2;
    if (equals(at, length, K_WRITE)) return 3;
    if (equals(at, length, K_READ)) return 4;
    if (equals(at, length, K_SPLIT)) return 5;
  } else if (context == CACHE_CREATION) {
    if (equals(at, length, K_WRITE_1H)) return 1;
  }
  return 0;
}

/** The context an object value of this field is read as. */
function contextOf(context: i32, field: i32): i32 {
  if (context == ROOT && field == 7) return MESSAGE;
  if (context == MESSAGE && field == 3) return USAGE;
  if (context == USAGE && field == 5) return CACHE_CREATION;
  return NONE;
}

function stringField(which: i32, kind: i32, start: usize): void {
  setSlot(which * 3, kind == V_STRING ? lastStringKind : 0);
  setSlot(which * 3 + 1, <i32>start);
  setSlot(which * 3 + 2, <i32>(pos - 1 - start));
}

/** A usage count as the parser's count() reads it: null or absent is 0, a non-number is no count. */
function countField(which: i32, kind: i32): void {
  let state = 2;
  if (kind == V_NULL) state = 0;
  else if (kind == V_NUMBER) {
    if (lastNumber < 0) {
      fail(FALLBACK); // a fraction, an exponent, a sign or 16+ digits: JavaScript decides
      return;
    }
    state = 1;
    store<f64>(NUMBERS + (<usize>which << 3), lastNumber);
  }
  setSlot(C_STATE + which, state);
}

function keep(context: i32, field: i32, kind: i32, start: usize): void {
  if (context == ROOT) {
    if (field <= 5) stringField(field - 1, kind, start);
    else if (field == 6) setSlot(F_SIDECHAIN, kind == V_TRUE ? 1 : 0);
    else setSlot(F_MESSAGE_OBJECT, kind == V_OBJECT ? 1 : 0);
  } else if (context == MESSAGE) {
    if (field == 1) stringField(S_MODEL, kind, start);
    else if (field == 2) stringField(S_ID, kind, start);
    else setSlot(F_USAGE_OBJECT, kind == V_OBJECT ? 1 : 0);
  } else if (context == USAGE) {
    if (field <= 4) countField(field - 1, kind);
    else setSlot(F_SPLIT_OBJECT, kind == V_OBJECT ? 1 : 0);
  } else countField(C_WRITE_1H, kind);
}

function scanObject(context: i32): bool {
  if (++depth > MAX_DEPTH) return fail(FALLBACK) != 0;
  skipSpace();
  if (pos < end && load<u8>(pos) == 0x7d) {
    pos++;
    depth--;
    return true;
  }
  while (true) {
    skipSpace();
    if (pos >= end || load<u8>(pos) != 0x22) return fail(MALFORMED) != 0;
    const keyAt = ++pos;
    const keyKind = scanString();
    if (keyKind == 0) return false;
    let field = 0;
    if (context != NONE) {
      // An escaped key may spell a tracked one ("typ\u0065"); a repeated key's last value wins in
      // JSON.parse, and an earlier one may have been an object we read: both go to JSON.parse.
      if (keyKind == 2) return fail(FALLBACK) != 0;
      field = fieldOf(context, keyAt, <i32>(pos - 1 - keyAt));
      if (field != 0) {
        const seen = slot(SEEN + context);
        if ((seen & (1 << field)) != 0) return fail(FALLBACK) != 0;
        setSlot(SEEN + context, seen | (1 << field));
      }
    }
    skipSpace();
    if (pos >= end || load<u8>(pos) != 0x3a) return fail(MALFORMED) != 0;
    pos++;
    skipSpace();
    const valueAt = pos + 1; // a string's first byte
    const kind = scanValue(field != 0 ? contextOf(context, field) : NONE);
    if (kind == V_FAULT) return false;
    // A non-zero count under a usage key the parser does not price (cache_creation is one when it
    // is a number, not the object of the split): the parser names it, a newer log format.
    const unpricedCount = context == USAGE && kind == V_NUMBER && (field == 0 || field == 5) && !(pos == valueAt && load<u8>(valueAt - 1) == 0x30);
    if (unpricedCount) return fail(FALLBACK) != 0;
    if (field != 0) {
      keep(context, field, kind, valueAt);
      if (fault != 0) return false;
    }
    skipSpace();
    if (pos >= end) return fail(MALFORMED) != 0;
    const c = load<u8>(pos++);
    if (c == 0x2c) continue;
    if (c == 0x7d) {
      depth--;
      return true;
    }
    return fail(MALFORMED) != 0;
  }
}

@inline function stringIs(which: i32, k: usize): bool {
  return slot(which * 3) == 1 && equals(<usize>slot(which * 3 + 1), slot(which * 3 + 2), k);
}

/** Flags whether a repeating field equals the previous answer's, and remembers it for the next. */
function compareWithPrevious(which: i32, n: i32): void {
  const kind = slot(which * 3);
  const at = <usize>slot(which * 3 + 1);
  const length = slot(which * 3 + 2);
  const previous = PREVIOUS + <usize>(n * PREVIOUS_BYTES);
  let same = kind != 0 && length + 1 < PREVIOUS_BYTES && <i32>load<u8>(previous) == kind && load<i32>(previous + 4) == length;
  if (same) same = memory.compare(previous + 8, at, <usize>length) == 0;
  setSlot(F_SAME + n, same ? 1 : 0);
  if (same) return;
  store<u8>(previous, kind != 0 && length + 8 < PREVIOUS_BYTES ? <u8>kind : 0); // too long: never "same"
  if (load<u8>(previous) == 0) return;
  store<i32>(previous + 4, length);
  memory.copy(previous + 8, at, <usize>length);
}

@inline function digits(at: usize, n: i32): i32 {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = <u32>load<u8>(at + <usize>i) - 0x30;
    if (d >= 10) return -1;
    v = v * 10 + <i32>d;
  }
  return v;
}

/**
 * Epoch milliseconds of a timestamp written as Claude Code writes it, `YYYY-MM-DDTHH:MM:SS(.sss)?Z`,
 * with fields in the ranges where Date.parse gives the same instant (days past a month's end roll
 * over in both); any other form is left to `new Date(text)` (F_TIME_MS stays 0).
 */
function readTimestamp(): void {
  if (slot(S_TIMESTAMP * 3) != 1) return;
  const at = <usize>slot(S_TIMESTAMP * 3 + 1);
  const length = slot(S_TIMESTAMP * 3 + 2);
  if (length != 20 && length != 24) return;
  if (load<u8>(at + 4) != 0x2d || load<u8>(at + 7) != 0x2d || load<u8>(at + 10) != 0x54 || load<u8>(at + 13) != 0x3a || load<u8>(at + 16) != 0x3a || load<u8>(at + <usize>length - 1) != 0x5a) return;
  const year = digits(at, 4);
  const month = digits(at + 5, 2);
  const day = digits(at + 8, 2);
  const hour = digits(at + 11, 2);
  const minute = digits(at + 14, 2);
  const second = digits(at + 17, 2);
  let millis = 0;
  if (length == 24) {
    if (load<u8>(at + 19) != 0x2e) return;
    millis = digits(at + 20, 3);
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) return;
  // Days from 1970-01-01 to the first of the month (the civil-calendar formula), then the day.
  const y = month <= 2 ? year - 1 : year;
  const era = y / 400;
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = (153 * monthFromMarch + 2) / 5;
  const dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  const days = <f64>(era * 146097 + dayOfEra - 719468 + day - 1);
  store<f64>(NUMBERS + (<usize>N_TIME << 3), days * 86400000 + <f64>(((hour * 60 + minute) * 60 + second) * 1000 + millis));
  setSlot(F_TIME_MS, 1);
}

/** Reads the line at [at, at+length): IGNORE, MALFORMED, FALLBACK, or ASSISTANT with the fields in the slots. */
export function scan(at: usize, length: i32): i32 {
  memory.fill(SLOTS, 0, 64 * 4);
  pos = at;
  end = at + <usize>length;
  fault = 0;
  depth = 0;
  skipSpace();
  const isObject = pos < end && load<u8>(pos) == 0x7b;
  if (scanValue(isObject ? ROOT : NONE) == V_FAULT) return fault;
  skipSpace();
  if (pos != end) return MALFORMED;
  if (!isObject) return IGNORE; // JSON, but not an object: nothing for the parser
  if (slot(S_TYPE * 3) == 2 || stringIs(S_TYPE, K_PROGRESS)) return FALLBACK; // an escaped type; a subagent's line inside its parent's
  if (!stringIs(S_TYPE, K_ASSISTANT) || slot(F_MESSAGE_OBJECT) == 0 || slot(F_USAGE_OBJECT) == 0) return IGNORE;
  compareWithPrevious(S_CWD, 0);
  compareWithPrevious(S_SESSION, 1);
  compareWithPrevious(S_MODEL, 2);
  readTimestamp();
  return ASSISTANT;
}

const QUOTE_U = i8x16.splat(0x75); // 'u'

/**
 * The address of the first `"usage"` that starts in [from, to) and ends by `to`, or -1: the byte
 * pre-filter of src/agents/lines.ts. Node's Buffer.indexOf searches a needle from its first byte, a
 * quote, which JSON has every few bytes; this looks 16 bytes at a time for a `u` after a quote.
 */
export function findUsage(from: usize, to: usize): i32 {
  let p = from + 1; // the u of a match; its quote at p - 1 >= from
  while (p + 6 <= to) {
    const hits = i8x16.bitmask(v128.and(i8x16.eq(v128.load(p), QUOTE_U), i8x16.eq(v128.load(p - 1), QUOTE)));
    let bits = hits;
    while (bits != 0) {
      const q = p + <usize>ctz(bits);
      if (q + 6 > to) return -1;
      // "sage" and the closing quote: little-endian u32 of "sage" is 0x65676173
      if (load<u32>(q + 1) == 0x65676173 && load<u8>(q + 5) == 0x22) return <i32>(q - 1);
      bits &= bits - 1;
    }
    p += 16;
  }
  return -1;
}
