import type { Meter } from './meters';
import type { Recorder } from './recorder';
import { SseScanner } from './sse';

/** A JSON answer larger than this is passed on but not read for usage (recorded as an estimate). */
const MAX_METERED_ANSWER = 16 * 1024 * 1024;

/**
 * Events as one buffer: a view when they lie one after the other in the same read (the usual case:
 * only the usage chunk the client did not ask for is left out, and it comes last), else a copy.
 */
export function join(parts: Buffer[]): Buffer | null {
  if (parts.length <= 1) return parts[0] ?? null;
  const first = parts[0]!;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.buffer !== first.buffer || p.byteOffset !== end) return Buffer.concat(parts);
    end += p.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** Where the upstream's answer goes, from its first byte on: the proxy's transport calls these. */
export interface AnswerSink {
  bytes(chunk: Buffer): void;
  /** The upstream's answer is whole. */
  end(): void;
  /** The upstream broke off before its end. */
  broken(): void;
}

/** The client's side of an answer: the proxy's server gives it, with the upstream's head to write before the first bytes. */
export interface ClientAnswer {
  /** Writes to the client, holding the upstream back while the client's socket is full. */
  write(bytes: Buffer): void;
  /** The answer is whole: its last bytes, then its end. */
  end(last?: Buffer): void;
  /** The upstream broke off: the client gets its last bytes, then the break (or an error in the provider's shape, when nothing reached it yet). */
  breakOff(last?: Buffer): void;
}

/** An answer the proxy does not read (an upstream error, a call it does not meter): passed on as it comes. */
export function plainRelay(client: ClientAnswer): AnswerSink {
  return { bytes: (chunk) => client.write(chunk), end: () => client.end(), broken: () => client.breakOff() };
}

export interface MeteredRelayOptions {
  client: ClientAnswer;
  meter: Meter;
  /** The answer is a stream of server-sent events (else one JSON body). */
  sse: boolean;
  /** Leave out the usage chunk the proxy asked for and the client did not. */
  strip: boolean;
  /** The answer's Content-Length (null when it has none: chunked). */
  length: number | null;
  recorder: Recorder;
  /** Write the exchange's row (once; later calls do nothing): `cut` when the answer did not end whole. */
  record: (cut: 'upstream' | null) => void;
  /** Reading the answer threw outside the transport's callback: give the upstream's answer up as broken. */
  fail: (error: unknown) => void;
}

/**
 * A metered answer: read for its usage as it passes, its row written before the client has it
 * whole, so a kill -9 loses no answer the client received (docs/proxy.md, "Kill -9").
 */
export function meteredRelay({ client, meter, sse, strip, length, recorder, record, fail }: MeteredRelayOptions): AnswerSink {
  // A response of known length completes at its last byte, so the chunk that holds it waits for
  // the row (record → journal, or commit without one → end): a response the client has whole is
  // in the ledger. The whole chunk, not its last byte: the answer then goes out in one write, not
  // two (a JSON answer is one chunk on loopback, and the upstream's end follows it at once). The
  // chunks before it go out as they come: the bytes still to come say which one is the last.
  let held: Buffer | undefined;
  let left = length;
  // Set once the row is recorded: later bytes wait for its journal write (see the end marker below).
  let recorded = false;
  // Set when the upstream's answer is whole. Bytes still to send then (the end marker, after the
  // row's journal write) are held for the end, so they leave in one write with the chunked
  // terminator instead of one of their own: the end arrives in the same read as the bytes before it
  // on loopback, and the journal write waits for the end of that read.
  let upstreamDone = false;
  const send = (chunk: Buffer) => {
    if (left !== null) left -= chunk.length;
    if (!upstreamDone && (left === null || left > 0)) return client.write(chunk);
    if (held) client.write(held);
    held = chunk;
  };
  // Once the row is recorded, bytes wait for its journal write (afterAttempt), in order: every
  // later send waits in the same queue.
  const pass = (bytes: Buffer) => (recorded ? recorder.afterAttempt(() => send(bytes)) : send(bytes));
  const recordWhole = () => {
    record(null);
    recorded = true;
  };
  const scanner = sse ? new SseScanner() : null;
  const collected: Buffer[] = [];
  let size = 0;

  const streamed = (chunk: Buffer, scanner: SseScanner) => {
    // Each complete event is metered as it passes: a text delta only waits to be measured
    // (meters.ts), so reading them here, before the write goes out, costs about a microsecond.
    const whole = scanner.pending() === 0; // no event began before this chunk: its events are views of it
    const events = scanner.push(chunk);
    meter.eventsIn(events.length > 1 ? scanner.buffer : null); // several: their bytes are searched once
    // Bytes before the end marker go out at once; the marker and what follows wait for the row's
    // journal write (pass). In strip mode only complete events go out, without the usage chunk
    // the client did not ask for (raw says false for it).
    const before: Buffer[] = [];
    const after: Buffer[] = [];
    let hidden = false;
    for (const e of events) {
      const ended = meter.ended;
      if (!meter.raw(e) && strip) hidden = true;
      else (ended || meter.ended ? after : before).push(e);
    }
    const asIs = whole && (!strip || (!hidden && scanner.pending() === 0)); // the chunk's bytes are what goes out
    let first: Buffer | null;
    let rest: Buffer | null;
    if (asIs) {
      const at = after.length ? after[0]!.byteOffset - chunk.byteOffset : chunk.length;
      first = at > 0 ? chunk.subarray(0, at) : null;
      rest = at < chunk.length ? chunk.subarray(at) : null;
    } else if (strip) {
      first = join(before);
      rest = join(after);
    } else {
      // The chunk continues an event begun earlier: passed on whole, before or after the row.
      first = after.length ? null : chunk;
      rest = first ? null : chunk;
    }
    // When the marker came in this read, the bytes before it wait for the row's journal write
    // too (about ten microseconds) and leave with the marker and the end in one write, not two:
    // a write to the client's socket costs more than that (on loopback it wakes the client).
    if (meter.ended && !recorded) recordWhole();
    if (first) pass(first);
    if (rest) pass(rest);
  };

  // The chunks of one read of the upstream's socket come one call each (undici calls bytes once per
  // chunk of the chunked encoding: an upstream nearby or a fast model sends twenty events in one
  // read). They are gathered and read together at the end of the callback (process.nextTick): one
  // search of their events and one write instead of twenty. The bytes leave no later for it:
  // node:http sends a callback's writes together at its end in any case (it corks the socket).
  let gathered: Buffer[] = [];
  const readGathered = () => {
    if (gathered.length === 0) return;
    const chunk = gathered.length === 1 ? gathered[0]! : Buffer.concat(gathered);
    gathered = [];
    streamed(chunk, scanner!);
  };
  const readGatheredSoon = () => {
    try {
      readGathered();
    } catch (error) {
      fail(error); // outside the transport's callback now, which would have caught it
    }
  };

  return {
    bytes(chunk) {
      if (scanner) {
        if (gathered.push(chunk) === 1) process.nextTick(readGatheredSoon);
        return;
      }
      send(chunk);
      size += chunk.length;
      if (size <= MAX_METERED_ANSWER) collected.push(chunk);
    },
    end() {
      readGathered(); // the end came in the same read as the last chunks
      upstreamDone = true;
      if (scanner) {
        for (const e of scanner.end()) if (meter.raw(e) && strip) pass(e);
      } else if (size <= MAX_METERED_ANSWER) {
        meter.json(Buffer.concat(collected).toString('utf8'));
      }
      recordWhole();
      recorder.afterAttempt(() => client.end(held));
    },
    broken() {
      try {
        readGathered(); // what came before the break is passed on and metered
      } catch {
        // it is recorded as cut below all the same
      }
      // Recorded from what passed (nothing more when its end marker came: recorded then, as whole).
      record('upstream');
      // The chunk held back for the end goes out too: the client gets every byte the upstream
      // sent before it broke off, then the break.
      const cutOff = () => {
        const last = held;
        held = undefined;
        client.breakOff(last);
      };
      // After the row's journal write (or commit): the bytes waiting for it (the end marker) go out
      // first, and an error that stands for the answer (nothing reached the client yet) is a
      // response the client has whole, so its row must be durable before it, as any other's.
      recorder.afterAttempt(cutOff);
    },
  };
}
