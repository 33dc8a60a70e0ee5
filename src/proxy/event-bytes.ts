/**
 * Reading a few facts straight from an SSE event's bytes, without decoding it to a string or
 * parsing its JSON: most events of a stream are text deltas whose only use to the meter is the
 * length of their text (the estimate of a cut stream), and decoding, splitting and JSON.parse of
 * each one was the largest part of the proxy's cost per streamed answer. A quote inside a JSON
 * string is always escaped, so `"key"` followed by a colon can only be a key, never text.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const COLON = 0x3a;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09 || c === LF || c === 0x0d;
const DATA = Buffer.from('data: ');
const EVENT = Buffer.from('event:');

/** A key as its bytes with quotes (`"text"`), made once per key. */
export const keyBytes = (name: string): Buffer => Buffer.from(`"${name}"`);

/**
 * Where the JSON of an event with exactly one `data: ` line starts (an `event:` line before it is
 * allowed), or -1 for anything else (several data lines, CRLF, comments…): those are parsed whole.
 */
export function singleDataStart(bytes: Buffer): number {
  let at = 0;
  if (bytes.subarray(0, EVENT.length).equals(EVENT)) {
    at = bytes.indexOf(LF) + 1;
    if (at === 0) return -1;
  }
  if (!bytes.subarray(at, at + DATA.length).equals(DATA)) return -1;
  const start = at + DATA.length;
  const end = bytes.length - 2; // "\n\n"
  if (end < start || bytes[end] !== LF || bytes[end + 1] !== LF || bytes.indexOf(LF, start) !== end) return -1;
  return start;
}

/** Where the value of key `key` (quoted bytes) starts at or after `from`, or -1: `"key" : <here>`. */
export function valueAfter(bytes: Buffer, key: Buffer, from = 0): number {
  for (let at = bytes.indexOf(key, from); at !== -1; at = bytes.indexOf(key, at + 1)) {
    let i = at + key.length;
    while (isBlank(bytes[i])) i++;
    if (bytes[i] !== COLON) continue; // a string value that happens to equal the key's name
    i++;
    while (isBlank(bytes[i])) i++;
    return i;
  }
  return -1;
}

/**
 * The length (in UTF-16 code units, as JavaScript's string length) of every string value of
 * `key` in the event: what reading the event's JSON and adding `.length` of each gives.
 */
export function textLengthOf(bytes: Buffer, key: Buffer): number {
  let total = 0;
  for (let at = valueAfter(bytes, key); at !== -1; at = valueAfter(bytes, key, at)) {
    if (bytes[at] !== QUOTE) continue; // null, a number, an object: no text
    let i = at + 1;
    for (;;) {
      const b = bytes[i];
      if (b === undefined || b === QUOTE) break;
      if (b === BACKSLASH) {
        i += bytes[i + 1] === 0x75 ? 6 : 2; // \uXXXX is one code unit, as is \n, \" …
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

/** Whether the bytes from `start` begin with `prefix`. */
export function startsWithAt(bytes: Buffer, prefix: Buffer, start: number): boolean {
  return bytes.length >= start + prefix.length && bytes.subarray(start, start + prefix.length).equals(prefix);
}
