/**
 * Reading a few facts straight from an SSE event's bytes, without decoding it as UTF-8 or parsing
 * its JSON: most events of a stream are text deltas whose only use to the meter is the length of
 * their text (the estimate of a cut stream), and decoding, splitting and JSON.parse of each one was
 * the largest part of the proxy's cost per streamed answer. The bytes are read as a latin1 string
 * (one character per byte, a copy without decoding) so that every search is V8's own string
 * search rather than a call into Buffer's. A quote inside a JSON string is always escaped, so
 * `"key"` followed by a colon can only be a key, never text.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const COLON = 0x3a;
/** JSON's whitespace, as a byte. */
export const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === LF || c === 0x0d;

/** An event's bytes, one character per byte. */
export const asBytes = (bytes: Buffer): string => bytes.toString('latin1');

/** A key with its quotes (`"text"`). */
export const quoted = (name: string): string => `"${name}"`;

/**
 * Where the JSON of an event with exactly one `data: ` line starts (an `event:` line before it is
 * allowed), or -1 for anything else (several data lines, CRLF, comments…): those are parsed whole.
 * The event is `s` from `from` to `to` (a whole chunk's bytes hold several events).
 */
export function singleDataStart(s: string, from = 0, to = s.length): number {
  let at = from;
  if (s.startsWith('event:', from)) {
    at = s.indexOf('\n', from) + 1;
    if (at === 0 || at > to) return -1;
  }
  if (at + 6 > to || !s.startsWith('data: ', at)) return -1;
  const start = at + 6;
  const end = to - 2; // "\n\n"
  if (end < start || s.charCodeAt(end) !== LF || s.charCodeAt(end + 1) !== LF || s.indexOf('\n', start) !== end) return -1;
  return start;
}

/** Where `key` (quoted) occurs as a key at or after `from` (its opening quote), or -1. */
export function keyAt(s: string, key: string, from = 0): number {
  for (let at = s.indexOf(key, from); at !== -1; at = s.indexOf(key, at + 1)) {
    let i = at + key.length;
    while (isBlank(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === COLON) return at; // else a string value that happens to equal the key's name
  }
  return -1;
}

/** Where the value of `key` (quoted) starts at or after `from`, or -1: `"key" : <here>`. */
export function valueAfter(s: string, key: string, from = 0): number {
  const at = keyAt(s, key, from);
  if (at === -1) return -1;
  let i = at + key.length;
  while (isBlank(s.charCodeAt(i))) i++;
  i++; // the colon
  while (isBlank(s.charCodeAt(i))) i++;
  return i;
}

const isBracket = (c: number) => c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d;

/**
 * Whether the first `key` (quoted) at or after `from` is a member of the object whose members begin at `inside` (just
 * past its `{`), and not of an object nested in it, beside it or around it: it comes after
 * `inside` with no bracket between. A key that does not occur counts no text, so it passes. Never
 * wrongly yes: a bracket inside a string between them says no, and the caller reads the event whole.
 */
export function directlyIn(s: string, key: string, inside: number, from = 0): boolean {
  const at = keyAt(s, key, from);
  if (at === -1) return true;
  if (at < inside) return false;
  for (let i = inside; i < at; i++) if (isBracket(s.charCodeAt(i))) return false;
  return true;
}

/** Whether `key` (quoted) occurs as a key exactly once: JSON.parse keeps the last of duplicates, these searches the first. */
export function onceAsKey(s: string, key: string): boolean {
  const first = keyAt(s, key);
  return first !== -1 && keyAt(s, key, first + 1) === -1;
}

/** Just past the `{` of the first element of the array opening at `at`, or -1 when it is not an object (or `at` is no array). */
export function firstObjectIn(s: string, at: number): number {
  if (at === -1 || s.charCodeAt(at) !== 0x5b) return -1;
  let i = at + 1;
  while (isBlank(s.charCodeAt(i))) i++;
  return s.charCodeAt(i) === 0x7b ? i + 1 : -1;
}

/** Just past the `{` of the value of the first `key` (quoted), or -1 when it does not occur or its value is no object. */
export function objectAt(s: string, key: string): number {
  const at = valueAfter(s, key);
  return at !== -1 && s.charCodeAt(at) === 0x7b ? at + 1 : -1;
}

/**
 * The length (in UTF-16 code units, as JavaScript's string length) of the string value of `key`
 * in the event: what reading the event's JSON and taking `.length` gives. `s` holds UTF-8 bytes
 * one per character, so a character's length follows from its lead byte. Returns -1 — read the
 * event whole — whenever the bytes alone cannot say it for sure: the key twice (a duplicate key,
 * several choices, the same name in another object) or a byte sequence that is not valid UTF-8
 * (JSON.parse sees U+FFFD there, and a bad lead byte could swallow the closing quote).
 */
export function textLengthOf(s: string, key: string): number {
  const at = valueAfter(s, key);
  if (at === -1) return 0;
  if (valueAfter(s, key, at) !== -1) return -1;
  if (s.charCodeAt(at) !== QUOTE) return 0; // null, a number, an object: no text
  let total = 0;
  let i = at + 1;
  for (;;) {
    const b = s.charCodeAt(i);
    if (Number.isNaN(b)) return -1; // no closing quote
    if (b === QUOTE) return total;
    if (b === BACKSLASH) {
      i += s.charCodeAt(i + 1) === 0x75 ? 6 : 2; // \uXXXX is one code unit, as is \n, \" …
      total++;
      continue;
    }
    if (b < 0x80) {
      i++;
      total++;
      continue;
    }
    const size = b >= 0xf8 ? 0 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    if (size === 0 || !continues(s, i + 1, size - 1)) return -1;
    i += size;
    total += size === 4 ? 2 : 1; // outside the BMP: a surrogate pair
  }
}

/** Whether the `count` bytes from `from` are all UTF-8 continuation bytes (10xxxxxx). */
function continues(s: string, from: number, count: number): boolean {
  for (let k = 0; k < count; k++) if ((s.charCodeAt(from + k) & 0xc0) !== 0x80) return false;
  return true;
}
