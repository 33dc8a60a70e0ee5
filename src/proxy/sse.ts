/** One server-sent event as it came: its fields and its raw text (terminator included). */
export interface SseEvent {
  event: string;
  data: string;
  raw: string;
}

const LF = 0x0a;
const CR = 0x0d;
/** Held-back bytes up to this size are joined by a plain copy; beyond it they grow in room (SseScanner.held). */
const GROW_FROM = 64 * 1024;

/**
 * Finds where the events of an SSE stream (the WHATWG event-stream format) end, on the bytes as
 * they come: no decoding, no splitting into lines. Lines may end in \n, \r\n or \r; an event ends
 * at a blank line. Each complete event is returned as its raw bytes (terminator included), a view
 * of the chunk when the chunk holds it whole, so passing it on costs no copy. A malformed stream
 * yields what could be found and never throws: the proxy passes the bytes on unchanged in any case.
 */
export class SseScanner {
  /** Bytes of an event not complete yet. */
  private tail: Buffer = Buffer.alloc(0);
  /** Where the scan of `tail` stopped, so a long event is not rescanned from its start each chunk. */
  private scanned = 0;
  /** Start of the current line within `tail`, relative to the scan. */
  private lineStart = 0;
  /** What the events push returned last are views of: the chunk, or the bytes held back with it. */
  buffer: Buffer = this.tail;
  /** Room the held-back bytes grow into (see held). */
  private room: Buffer = Buffer.alloc(0);

  /**
   * The held-back bytes followed by `chunk`. An event longer than one read grows in `room`, whose
   * size doubles, so each byte is copied about twice: copying the whole tail at every read made one
   * event of tens of megabytes cost seconds (quadratic). Only a tail at the start of `room` grows in
   * place: then no event of this room was handed out, so no view given away is overwritten.
   */
  private held(chunk: Buffer): Buffer {
    const tail = this.tail;
    const size = tail.length + chunk.length;
    if (size <= GROW_FROM) return Buffer.concat([tail, chunk], size); // the usual event: small, from Node's pool
    if (!(tail.buffer === this.room.buffer && tail.byteOffset === this.room.byteOffset && size <= this.room.length)) {
      const room = Buffer.allocUnsafe(size * 2);
      tail.copy(room, 0);
      this.room = room;
    }
    chunk.copy(this.room, tail.length);
    return this.room.subarray(0, size);
  }

  /** Feed a chunk; returns the raw bytes of each event it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    const buf = this.tail.length ? this.held(chunk) : chunk;
    this.buffer = buf;
    const events: Buffer[] = [];
    let start = 0;
    let lineStart = this.lineStart;
    let i = this.scanned;
    // Streams without \r (every provider's) take the native search for the blank line.
    if (buf.indexOf(CR, i) === -1) {
      for (;;) {
        const nl = buf.indexOf(LF, i);
        if (nl === -1) break;
        if (nl === lineStart) {
          events.push(buf.subarray(start, nl + 1));
          start = nl + 1;
        }
        lineStart = nl + 1;
        i = nl + 1;
      }
      i = buf.length;
    } else {
      for (; i < buf.length; i++) {
        const b = buf[i];
        if (b !== LF && b !== CR) continue;
        // \r\n is one terminator; a \r at the very end waits to see whether \n follows.
        if (b === CR && i + 1 >= buf.length) break;
        const end = b === CR && buf[i + 1] === LF ? i + 2 : i + 1;
        if (i === lineStart) {
          events.push(buf.subarray(start, end));
          start = end;
        }
        lineStart = end;
        i = end - 1;
      }
    }
    this.tail = start < buf.length ? buf.subarray(start) : Buffer.alloc(0);
    this.scanned = i - start;
    this.lineStart = lineStart - start;
    return events;
  }

  /** The stream ended: what is left counts as a last event even without its blank line. */
  end(): Buffer[] {
    let came = this.tail.length;
    const left: Buffer[] = [];
    // Close the last event with a blank line, then give back only the bytes that came.
    for (const e of came ? this.push(Buffer.from('\n\n')) : []) {
      if (came <= 0) break;
      left.push(e.length <= came ? e : e.subarray(0, came));
      came -= e.length;
    }
    this.tail = Buffer.alloc(0);
    this.scanned = 0;
    this.lineStart = 0;
    return left;
  }

  /** Bytes held back because their event is not complete yet. */
  pending(): number {
    return this.tail.length;
  }
}

/** The fields of one event's raw bytes (decoded only here, for the events that are read). */
export function parseEvent(bytes: Buffer): SseEvent {
  const raw = bytes.toString('utf8');
  let event = '';
  const data: string[] = [];
  for (const line of raw.split(/\r\n|\n|\r/)) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { event, data: data.join('\n'), raw };
}

/** Scanner and parser together: bytes in, whole events out (tests, and callers that read every event). */
export class SseReader {
  private readonly scanner = new SseScanner();

  push(chunk: Buffer): SseEvent[] {
    return this.scanner.push(chunk).map(parseEvent);
  }

  end(): SseEvent[] {
    return this.scanner.end().map(parseEvent);
  }
}
