import fs from 'node:fs';

/**
 * Reads the complete lines of a log file from a byte offset, a chunk at a time, so a file of any
 * size (and a line of several megabytes) never sits whole in memory. A last line without its
 * newline is left alone: the agent is still writing it, and the next import reads it whole.
 */

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export interface LineSink {
  /** One complete line (without its newline) and the byte offset just after its newline. */
  (line: Buffer, endOffset: number): void;
}

/**
 * Call `onLine` for each complete line between `start` and `end` (the file's size when the import
 * looked). Returns the offset after the last complete line: where the next read starts.
 */
export function readLines(fd: number, start: number, end: number, onLine: LineSink): number {
  const chunk = Buffer.allocUnsafe(CHUNK);
  let position = start;
  let consumed = start;
  // Bytes of a line that began in an earlier chunk (rare: only lines longer than what is left of a chunk).
  let pending: Buffer[] = [];
  while (position < end) {
    const bytes = fs.readSync(fd, chunk, 0, Math.min(CHUNK, end - position), position);
    if (bytes === 0) break; // the file shrank while we read: stop at what we have
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, from);
      if (nl < 0 || nl >= bytes) break;
      const piece = chunk.subarray(from, nl);
      const line = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      consumed = position + nl + 1;
      onLine(line, consumed);
      from = nl + 1;
    }
    // Keep the unfinished tail of this chunk (copied: the chunk buffer is reused).
    if (from < bytes) pending.push(Buffer.from(chunk.subarray(from, bytes)));
    position += bytes;
  }
  return consumed;
}
