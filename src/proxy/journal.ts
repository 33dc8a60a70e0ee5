import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { UsageEventInput } from '../model/ledger';

/**
 * The proxy's row journal: each row is appended here before its answer ends (the rows recorded
 * in one callback in one write call);
 * the ledger commit follows off the answer's path (recorder.ts). A kill -9 loses no answer the
 * client had: a proxy on this ledger replays the journal. A busy ledger leaves rows here until it
 * takes them. Appends reach the page cache, not the disk: that survives any crash of the process,
 * like the ledger's own commits (WAL, synchronous=NORMAL); neither survives a power cut.
 *
 * One file per proxy start (`<home>/proxy-journal/<pid>-<random>.jsonl`), created exclusively ('ax') so no
 * proxy ever appends to, or empties, a file another one left: a restarted proxy that got the same
 * pid as a killed one must replay that one's rows, not truncate them. The file is emptied each time
 * everything in it is in the ledger. A leftover is any file no journal of THIS process has open
 * (OPEN_HERE) whose process is gone, or that this process closed with rows still in it (its proxy
 * was switched off while the ledger was busy): replayed, then removed. A dead proxy's pid taken by
 * a live process delays its replay until that one ends.
 */
const DIR = 'proxy-journal';
const NAME = /^(\d+)-[0-9a-z]+\.jsonl$/;
/** The journal files open in this process: never leftovers, whatever their pid says. */
const OPEN_HERE = new Set<string>();
/** Leftovers that could not be read, said once per process (the periodic look would repeat it). */
const SAID_UNREADABLE = new Set<string>();

export interface Leftover {
  events: UsageEventInput[];
  remove(): void;
}

/**
 * Whether a journal of process `pid` under `home` still holds rows (a file of its pid that is not
 * empty): rows the client had, not yet known to be in the ledger until a proxy replays them.
 */
export function journalWaits(home: string, pid: number): boolean {
  const dir = path.join(home, DIR);
  try {
    return fs.readdirSync(dir).some((name) => Number(NAME.exec(name)?.[1]) === pid && fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.size);
  } catch {
    return false; // no folder: no journal
  }
}

export class Journal {
  private fd: number;
  /** Bytes written since the file was last emptied. */
  private size = 0;
  /** Lines appended, not written yet (write). */
  private readonly unwritten: string[] = [];
  readonly file: string;

  private constructor(
    private readonly dir: string,
    readonly pid: number,
  ) {
    this.file = path.join(dir, `${pid}-${Date.now().toString(16)}${randomBytes(6).toString('hex')}.jsonl`);
    // 'ax': O_APPEND, so each append lands at the end after clear() truncates (a plain write would go
    // on at the old offset, leaving NULs before the next row), and O_EXCL, so never another's file.
    this.fd = fs.openSync(this.file, 'ax', 0o600);
    OPEN_HERE.add(this.file);
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

  /** Add one row to the next write (see write): rows recorded together go out in one write call. */
  append(event: UsageEventInput): void {
    this.unwritten.push(JSON.stringify(event) + '\n');
  }

  /** Rows appended and not written yet. */
  get pending(): number {
    return this.unwritten.length;
  }

  /** Write the rows appended since the last write, in one write call (a kill leaves at most a torn last line, which is skipped). */
  write(): void {
    if (this.unwritten.length === 0) return;
    const text = this.unwritten.length === 1 ? this.unwritten[0]! : this.unwritten.join('');
    this.unwritten.length = 0;
    this.size += fs.writeSync(this.fd, text);
  }

  /** Everything appended is in the ledger: start the file over. */
  clear(): void {
    this.unwritten.length = 0;
    if (this.size === 0) return;
    fs.ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  /** Close; the file goes too when nothing in it waits for the ledger (else it is a leftover now). */
  close(empty: boolean): void {
    try {
      if (!empty) this.write(); // a full disk here must not keep the file open or its waiters waiting
    } finally {
      fs.closeSync(this.fd);
      OPEN_HERE.delete(this.file);
      if (empty) fs.rmSync(this.file, { force: true });
    }
  }

  /**
   * Rows left by proxies that are gone (killed, crashed, or stopped while the ledger was locked,
   * in this process or another): each file with its rows, to be replayed and then removed. A file
   * that cannot be read is said once through `log` and skipped; the others are still replayed.
   */
  leftovers(log: (line: string) => void = () => {}): Leftover[] {
    const out: Leftover[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return out; // the folder went away: nothing is left in it
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      const pid = Number(NAME.exec(name)?.[1]);
      if (!pid || OPEN_HERE.has(file) || (pid !== process.pid && alive(pid))) continue;
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if (!SAID_UNREADABLE.has(file)) log(`burnrate proxy: the leftover row journal ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); its rows are not recorded until it can be.`);
        SAID_UNREADABLE.add(file);
        continue;
      }
      const events: UsageEventInput[] = [];
      for (const line of text.split('\n')) {
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
