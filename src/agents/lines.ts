import fs from 'node:fs';

/**
 * Reads the complete lines of a log file from a byte offset, a chunk at a time, so a file of any
 * size (and a line of several megabytes) never sits whole in memory. A last line without its
 * newline is left alone: the agent is still writing it, and the next import reads it whole.
 *
 * With a `mark`, only lines containing it are handed over, and the search runs over the whole
 * chunk at once instead of line by line: in a Claude Code transcript two lines in three (user
 * turns, tool results) carry no usage and cost one memchr-speed scan, no per-line work.
 */

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * One read buffer per thread, shared by every reader: a fresh megabyte per file cost a page fault
 * per 4 KB on its first read and kept the GC busy (external memory), about a fifth of parsing a
 * corpus of small files. Sharing is safe because `step()` hands over every line of the buffer (and
 * copies the unfinished tail) before it returns, and nothing else reads into it meanwhile.
 */
let shared: Buffer | undefined;

/**
 * Read into this buffer from now on (at least CHUNK bytes): the WebAssembly line reader lends its
 * memory, so the lines it scans need no copy (line-scanner.ts). Safe between reads for the same
 * reason sharing is.
 */
export function lendReadBuffer(buffer: Buffer): void {
  if (buffer.length >= CHUNK) shared = buffer;
}

/** Where the next mark is in `view` at or after `from`, as `view.indexOf(mark, from)` says; -1 if none. */
export type MarkSearch = (view: Buffer, from: number) => number;

export interface LineSink {
  /** One complete line (without its newline) and the byte offset just after its newline. */
  (line: Buffer, endOffset: number): void;
}

/**
 * Call `onLine` for each complete line between `start` and `end` (the file's size when the import
 * looked) that contains `mark` (every line when no mark). The line buffer is only valid during the
 * call. Returns the offset after the last complete line: where the next read starts.
 */
export function readLines(fd: number, start: number, end: number, onLine: LineSink, mark?: Buffer): number {
  const reader = new LineReader(fd, start, end, onLine, mark);
  while (reader.step());
  return reader.consumed;
}

/**
 * The same reading, one chunk per `step()`: the caller may stop between chunks (to hand a batch of
 * parsed rows on, or give the event loop a turn) and go on where it stopped.
 */
export class LineReader {
  /** Offset after the last complete line handed over (or skipped for lacking the mark). */
  consumed: number;
  private position: number;
  // Bytes of a line that began in an earlier chunk (only lines longer than what is left of a chunk).
  private pending: Buffer[] = [];

  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
    private readonly onLine: LineSink,
    private readonly mark?: Buffer,
    /** A faster search for `mark` in a chunk (the same answers as indexOf). */
    private readonly search: MarkSearch = (view, from) => view.indexOf(mark!, from),
  ) {
    this.position = start;
    this.consumed = start;
  }

  /** Read and deliver one chunk; false once there is nothing more to read. */
  step(): boolean {
    const { mark, onLine } = this;
    if (this.position >= this.end) return false;
    const chunk = (shared ??= Buffer.allocUnsafe(CHUNK));
    const position = this.position;
    const bytes = fs.readSync(this.fd, chunk, 0, Math.min(CHUNK, this.end - position), position);
    if (bytes === 0) {
      this.position = this.end; // the file shrank while we read: stop at what we have
      return false;
    }
    this.position += bytes;
    const view = chunk.subarray(0, bytes);
    let from = 0;
    if (this.pending.length > 0) {
      const nl = view.indexOf(NEWLINE);
      if (nl < 0) {
        // Still inside the long line: all of this chunk belongs to it.
        this.pending.push(Buffer.from(view));
        return this.position < this.end;
      }
      const line = Buffer.concat([...this.pending, view.subarray(0, nl)]);
      this.pending = [];
      this.consumed = position + nl + 1;
      if (!mark || line.indexOf(mark) >= 0) onLine(line, this.consumed);
      from = nl + 1;
    }
    const last = view.lastIndexOf(NEWLINE);
    if (last >= from) {
      if (mark) deliverMarked(view, from, last, position, this.search, onLine);
      else deliverAll(view, from, last, position, onLine);
      this.consumed = position + last + 1;
      from = last + 1;
    }
    // Keep the unfinished tail of this chunk (copied: the chunk buffer is reused).
    if (from < bytes) this.pending.push(Buffer.from(view.subarray(from, bytes)));
    return this.position < this.end;
  }
}

/** Every line of view[from..last] (last is a newline). */
function deliverAll(view: Buffer, from: number, last: number, base: number, onLine: LineSink): void {
  while (from <= last) {
    const nl = view.indexOf(NEWLINE, from);
    onLine(view.subarray(from, nl), base + nl + 1);
    from = nl + 1;
  }
}

/** The lines of view[from..last] that contain the mark, found by searching the region for it. */
function deliverMarked(view: Buffer, from: number, last: number, base: number, search: MarkSearch, onLine: LineSink): void {
  let searchFrom = from;
  while (searchFrom <= last) {
    const hit = search(view, searchFrom);
    if (hit < 0 || hit > last) return;
    const lineStart = Math.max(from, view.lastIndexOf(NEWLINE, hit) + 1);
    const nl = view.indexOf(NEWLINE, hit);
    if (nl < 0 || nl > last) return; // the mark is in the unfinished tail: read with the next chunk
    onLine(view.subarray(lineStart, nl), base + nl + 1);
    searchFrom = nl + 1;
  }
}
