import fs from 'node:fs';
import path from 'node:path';
import type { UsageEventInput } from '../model/ledger';

/**
 * The proxy's row journal: each row is appended here, in one write call, before its answer ends;
 * the ledger commit follows off the answer's path (recorder.ts). A kill -9 loses no answer the
 * client had: the next proxy on this ledger replays the journal. A busy ledger leaves rows here
 * until it takes them. Appends reach the page cache, not the disk: that survives any crash of the
 * process, like the ledger's own commits (WAL, synchronous=NORMAL); neither survives a power cut.
 *
 * One file per proxy (`<home>/proxy-journal/<pid>-<n>.jsonl`: a process may run several), emptied
 * each time everything in it is in the ledger. A file whose process is gone is a leftover: replayed,
 * then removed. (A dead proxy's pid taken by a live process delays its replay until that one ends.)
 */
const DIR = 'proxy-journal';
let opened = 0;

export class Journal {
  private fd: number;
  /** Bytes appended since the file was last emptied. */
  private size = 0;
  readonly file: string;

  private constructor(
    private readonly dir: string,
    readonly pid: number,
  ) {
    this.file = path.join(dir, `${pid}-${++opened}.jsonl`);
    this.fd = fs.openSync(this.file, 'a');
  }

  /** The journal of this process under `home`, or null when the folder cannot be written. */
  static open(home: string, pid = process.pid): Journal | null {
    try {
      const dir = path.join(home, DIR);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      return new Journal(dir, pid);
    } catch {
      return null;
    }
  }

  /** Append one row (one write call, so a kill leaves at most a torn last line, which is skipped). */
  append(event: UsageEventInput): void {
    const line = JSON.stringify(event) + '\n';
    this.size += fs.writeSync(this.fd, line);
  }

  /** Everything appended is in the ledger: start the file over. */
  clear(): void {
    if (this.size === 0) return;
    fs.ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  /** Close; the file goes too when nothing in it waits for the ledger. */
  close(empty: boolean): void {
    fs.closeSync(this.fd);
    if (empty) fs.rmSync(this.file, { force: true });
  }

  /**
   * Rows left by proxies that are gone (killed, crashed, or stopped while the ledger was locked):
   * each file with its rows, to be replayed and then removed.
   */
  leftovers(): { events: UsageEventInput[]; remove(): void }[] {
    const out: { events: UsageEventInput[]; remove(): void }[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      const pid = Number(/^(\d+)-\d+\.jsonl$/.exec(name)?.[1]);
      if (!pid || pid === this.pid || alive(pid)) continue;
      const file = path.join(this.dir, name);
      const events: UsageEventInput[] = [];
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const event = parseRow(line);
        if (event) events.push(event);
      }
      out.push({ events, remove: () => fs.rmSync(file, { force: true }) });
    }
    return out;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: not ours to judge
  }
}

/** One journal line back into a row; a torn or foreign line is skipped (its response never ended). */
function parseRow(line: string): UsageEventInput | null {
  if (!line.trim()) return null;
  try {
    const row = JSON.parse(line) as UsageEventInput & { occurredAt: string };
    if (row.source !== 'proxy' || typeof row.provider !== 'string' || typeof row.model !== 'string') return null;
    const occurredAt = new Date(row.occurredAt);
    if (Number.isNaN(occurredAt.getTime())) return null;
    return { ...row, occurredAt };
  } catch {
    return null;
  }
}
