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
const isBlank = (c: number) => c === 0x20 || c === 0x09 || c === LF || c === 0x0d;

/** An event's bytes, one character per byte. */
export const asBytes = (bytes: Buffer): string => bytes.toString('latin1');

/** A key with its quotes (`"text"`). */
export const quoted = (name: string): string => `"${name}"`;

/**
 * Where the JSON of an event with exactly one `data: ` line starts (an `event:` line before it is
 * allowed), or -1 for anything else (several data lines, CRLF, comments…): those are parsed whole.
 */
export function singleDataStart(s: string): number {
  let at = 0;
  if (s.startsWith('event:')) {
    at = s.indexOf('\n') + 1;
    if (at === 0) return -1;
  }
  if (!s.startsWith('data: ', at)) return -1;
  const start = at + 6;
  const end = s.length - 2; // "\n\n"
  if (end < start || s.charCodeAt(end) !== LF || s.charCodeAt(end + 1) !== LF || s.indexOf('\n', start) !== end) return -1;
  return start;
}

/** Where the value of `key` (quoted) starts at or after `from`, or -1: `"key" : <here>`. */
export function valueAfter(s: string, key: string, from = 0): number {
  for (let at = s.indexOf(key, from); at !== -1; at = s.indexOf(key, at + 1)) {
    let i = at + key.length;
    while (isBlank(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== COLON) continue; // a string value that happens to equal the key's name
    i++;
    while (isBlank(s.charCodeAt(i))) i++;
    return i;
  }
  return -1;
}

/**
 * The length (in UTF-16 code units, as JavaScript's string length) of every string value of
 * `key` in the event: what reading the event's JSON and adding `.length` of each gives. `s` holds
 * UTF-8 bytes one per character, so a character's length follows from its lead byte.
 */
export function textLengthOf(s: string, key: string): number {
  let total = 0;
  for (let at = valueAfter(s, key); at !== -1; at = valueAfter(s, key, at)) {
    if (s.charCodeAt(at) !== QUOTE) continue; // null, a number, an object: no text
    let i = at + 1;
    for (;;) {
      const b = s.charCodeAt(i);
      if (Number.isNaN(b) || b === QUOTE) break;
      if (b === BACKSLASH) {
        i += s.charCodeAt(i + 1) === 0x75 ? 6 : 2; // \uXXXX is one code unit, as is \n, \" …
        total++;
      } else if (b < 0x80) {
        i++;
        total++;
      } else if (b >= 0xf0) {
        i += 4;
        total += 2; // outside the BMP: a surrogate pair
      } else if (b >= 0xe0) {
        i += 3;
        total++;
      } else if (b >= 0xc0) {
        i += 2;
        total++;
      } else i++; // a stray continuation byte
    }
    at = i;
  }
  return total;
}
