/**
 * Find the members of a JSON object in its bytes, without parsing it: where each member's key and
 * value lie, so a request body can be changed in one place and stay byte for byte what the client
 * sent everywhere else. (Parsed and serialised again, a body loses what JavaScript cannot hold: a
 * seed of 12345678901234567890 became 12345678901234567000, 1e400 became null, 1.0 became 1.)
 * UTF-8 never puts an ASCII byte inside a multi-byte character, so the structure is found on bytes.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export interface Member {
  /** The key, decoded (escapes read as JSON reads them). */
  key: string;
  valueStart: number;
  valueEnd: number;
}

/** The first index from `i` on that is not JSON whitespace. */
export function skipSpace(b: Buffer, i: number): number {
  while (isSpace(b[i])) i++;
  return i;
}

/** The end (exclusive) of the string starting at i, or -1. */
function stringEnd(b: Buffer, i: number): number {
  for (i++; i < b.length; i++) {
    if (b[i] === BACKSLASH) i++;
    else if (b[i] === QUOTE) return i + 1;
  }
  return -1;
}

/** The end (exclusive) of the value starting at i, or -1. */
function valueEnd(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    while (i < b.length) {
      const d = b[i]!;
      if (d === QUOTE) {
        i = stringEnd(b, i);
        if (i < 0) return -1;
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  while (i < b.length && !isSpace(b[i]) && b[i] !== COMMA && b[i] !== CLOSE_BRACE && b[i] !== CLOSE_BRACKET) i++;
  return i;
}

/** The members of the object whose `{` is at `open`, in order; null when the bytes are not one. */
export function membersOf(b: Buffer, open: number): Member[] | null {
  if (b[open] !== OPEN_BRACE) return null;
  const members: Member[] = [];
  let i = skipSpace(b, open + 1);
  if (b[i] === CLOSE_BRACE) return members;
  for (;;) {
    if (b[i] !== QUOTE) return null;
    const keyEnd = stringEnd(b, i);
    if (keyEnd < 0) return null;
    let key: unknown;
    try {
      key = JSON.parse(b.subarray(i, keyEnd).toString('utf8'));
    } catch {
      return null;
    }
    i = skipSpace(b, keyEnd);
    if (b[i] !== COLON) return null;
    const start = skipSpace(b, i + 1);
    const end = valueEnd(b, start);
    if (end < 0 || end === start) return null;
    members.push({ key: key as string, valueStart: start, valueEnd: end });
    i = skipSpace(b, end);
    if (b[i] === CLOSE_BRACE) return members;
    if (b[i] !== COMMA) return null;
    i = skipSpace(b, i + 1);
  }
}

/** `b` with the bytes from..to replaced by `text`. */
export function splice(b: Buffer, from: number, to: number, text: string | Buffer): Buffer {
  return Buffer.concat([b.subarray(0, from), typeof text === 'string' ? Buffer.from(text) : text, b.subarray(to)]);
}
