import { StringDecoder } from 'node:string_decoder';

/** One server-sent event as it came: its fields and its raw text (terminator included). */
export interface SseEvent {
  event: string;
  data: string;
  raw: string;
}

/**
 * An incremental reader of an SSE stream (the WHATWG event-stream format): bytes in, whole events
 * out. Lines may end in \n, \r\n or \r; an event ends at a blank line. A malformed stream yields what
 * could be read and never throws: the proxy passes the bytes on unchanged in any case.
 */
export class SseReader {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  /** Feed a chunk; returns the events it completed. */
  push(chunk: Buffer): SseEvent[] {
    this.buffer += this.decoder.write(chunk);
    return this.drain();
  }

  /** The stream ended: what is left (an event without its blank line still counts, as browsers do not). */
  end(): SseEvent[] {
    this.buffer += this.decoder.end();
    const events = this.drain();
    if (this.buffer.trim()) events.push(parseBlock(this.buffer));
    this.buffer = '';
    return events;
  }

  /** Text held back because its event is not complete yet. */
  pending(): string {
    return this.buffer;
  }

  private drain(): SseEvent[] {
    const events: SseEvent[] = [];
    const boundary = /\r\n\r\n|\n\n|\r\r/g;
    let start = 0;
    let m: RegExpExecArray | null;
    while ((m = boundary.exec(this.buffer)) !== null) {
      const end = m.index + m[0].length;
      events.push(parseBlock(this.buffer.slice(start, end)));
      start = end;
    }
    if (start > 0) this.buffer = this.buffer.slice(start);
    return events;
  }
}

function parseBlock(raw: string): SseEvent {
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
