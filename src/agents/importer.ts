import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { AGENT_NAMES, type AgentName } from '../ledger/agent-billing';
import { getSetting } from '../ledger/settings';
import type { Core } from '../model/context';
import { uniqueDayKeys, type DayKey } from '../model/day-key';
import { CountedOnce } from './counted-once';
import { readLines } from './lines';
import { claudeParser } from './parsers/claude';
import { codexParser } from './parsers/codex';
import { geminiParser } from './parsers/gemini';
import type { AgentEvent, LogParser, MergeRule, ParseSink } from './parsers/types';
import { defaultRoots, listLogFiles, rootsAt, type AgentRoot } from './roots';

/**
 * Imports coding-agent logs into the ledger, incrementally and crash-safe (docs/agents.md).
 *
 * Per file, agent_log_files remembers the stat, the offset after the last complete line, a
 * fingerprint of the first bytes and the parser's carry. Each batch of rows is written in ONE
 * transaction with the file's new offset, so after a kill -9 the next import starts exactly after
 * the last committed line. A file whose size and mtime did not change is not opened at all.
 */

const FINGERPRINT_BYTES = 1024;
/** Rows per transaction: large enough to amortise the commit, small enough to keep memory flat. */
const BATCH = 4000;

export interface ImportOptions {
  agents?: readonly AgentName[];
  /** Read this folder instead of the agents' default roots. */
  path?: string;
}

export interface AgentImportReport {
  agent: AgentName;
  roots: string[];
  files: number;
  /** Files whose content was read (new or grown); the rest were unchanged (one stat each). */
  filesRead: number;
  bytesRead: number;
  /** Responses new to the ledger, and responses whose figures grew. */
  added: number;
  updated: number;
  /** Lines that could not be read in this import. */
  skipped: number;
  /** Rows of models the catalogue does not price (unpriced, never $0). */
  unpriced: number;
  /** One sentence each: unreadable files or folders, newer log formats. */
  problems: string[];
}

export interface ImportReport {
  agents: AgentImportReport[];
  touched: DayKey[];
}

interface FileState {
  path: string;
  agent: string;
  size: number;
  mtime_ms: number;
  offset: number;
  fp_len: number;
  fingerprint: string;
  carry: string;
  rows: number;
  skipped: number;
}

/** Folder name of a working directory, or the user's name for it (setting agent_projects). */
function projectNamer(db: Database): (cwd: string) => string {
  const map = getSetting<Record<string, string>>(db, 'agent_projects', {});
  return (cwd) => map[cwd] ?? path.basename(cwd.replace(/[\\/]+$/, '')) ?? cwd;
}

function parserFor(agent: AgentName, file: string, carry: Record<string, unknown>, projectOf: (cwd: string) => string): LogParser {
  switch (agent) {
    case 'claude-code':
      return claudeParser(file, projectOf);
    case 'codex':
      return codexParser(carry, projectOf);
    case 'gemini':
      return geminiParser(file, carry, projectOf);
  }
}

function fingerprint(fd: number, length: number): string {
  const buf = Buffer.alloc(length);
  const read = length > 0 ? fs.readSync(fd, buf, 0, length, 0) : 0;
  return createHash('sha1').update(buf.subarray(0, read)).digest('hex');
}

export class AgentImporter {
  private readonly getState: Statement;
  private readonly putState: Statement;
  private readonly countedOnce: CountedOnce;

  private projectOf: (cwd: string) => string;

  constructor(private readonly core: Core) {
    const db = core.db;
    this.projectOf = projectNamer(db);
    this.getState = db.prepare('SELECT * FROM agent_log_files WHERE path = ?');
    this.putState = db.prepare(
      `INSERT INTO agent_log_files (path, agent, size, mtime_ms, offset, fp_len, fingerprint, carry, rows, skipped, imported_at)
       VALUES (@path, @agent, @size, @mtime_ms, @offset, @fp_len, @fingerprint, @carry, @rows, @skipped, @imported_at)
       ON CONFLICT (path) DO UPDATE SET agent = excluded.agent, size = excluded.size, mtime_ms = excluded.mtime_ms,
         offset = excluded.offset, fp_len = excluded.fp_len, fingerprint = excluded.fingerprint, carry = excluded.carry,
         rows = excluded.rows, skipped = excluded.skipped, imported_at = excluded.imported_at`,
    );
    this.countedOnce = new CountedOnce(core);
  }

  rootsOf(agent: AgentName, dir?: string): AgentRoot[] {
    return dir ? rootsAt(agent, dir) : defaultRoots(agent, this.core.env);
  }

  /** Import every agent asked for; tells every window once if spend changed. */
  run(options: ImportOptions = {}): ImportReport {
    const steps = this.steps(options);
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * The same import, giving the event loop a turn after each file: in the tray app and `serve` a
   * first import of months of logs (minutes) must not stall IPC, HTTP and the tray meanwhile.
   */
  async runYielding(options: ImportOptions = {}): Promise<ImportReport> {
    const steps = this.steps(options);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The import, one file per step (each file commits on its own, so a pause between them is safe). */
  private *steps(options: ImportOptions): Generator<void, ImportReport> {
    const agents = options.agents && options.agents.length > 0 ? options.agents : AGENT_NAMES;
    const reports: AgentImportReport[] = [];
    const touched: DayKey[] = [];
    this.projectOf = projectNamer(this.core.db); // the user may have renamed a project since
    for (const agent of agents) {
      const roots = this.rootsOf(agent, options.path);
      const report: AgentImportReport = { agent, roots: roots.map((r) => r.path), files: 0, filesRead: 0, bytesRead: 0, added: 0, updated: 0, skipped: 0, unpriced: 0, problems: [] };
      const listing = listLogFiles(roots);
      report.problems.push(...listing.unreadable);
      report.files = listing.files.length;
      for (const file of listing.files) {
        touched.push(...this.importFile(agent, file, report));
        yield;
      }
      reports.push(report);
    }
    const days = uniqueDayKeys(touched);
    if (days.length > 0) this.core.spendChanged('agent-import', days);
    return { agents: reports, touched: days };
  }

  /** Import what is new in one file; returns the (day, provider) pairs whose totals changed. */
  importFile(agent: AgentName, file: string, report: AgentImportReport): DayKey[] {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report.problems.push(`The log ${file} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`);
      return [];
    }
    const mtime = Math.floor(stat.mtimeMs);
    const state = this.getState.get(file) as FileState | undefined;
    if (state && state.size === stat.size && state.mtime_ms === mtime) return []; // unchanged: nothing read

    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (error) {
      report.problems.push(`The log ${file} could not be opened (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`);
      return [];
    }
    try {
      return this.readFrom(agent, file, fd, stat, mtime, state, report);
    } finally {
      fs.closeSync(fd);
    }
  }

  private readFrom(agent: AgentName, file: string, fd: number, stat: fs.Stats, mtime: number, state: FileState | undefined, report: AgentImportReport): DayKey[] {
    const wholeJson = file.endsWith('.json');
    // Resume only when the file is the one we read: same first bytes, not shorter than our offset.
    const resume = !wholeJson && state !== undefined && stat.size >= state.offset && stat.size >= state.fp_len && fingerprint(fd, state.fp_len) === state.fingerprint;
    const fpLen = Math.min(stat.size, FINGERPRINT_BYTES);
    const next: FileState = {
      path: file,
      agent,
      size: stat.size,
      mtime_ms: mtime,
      offset: resume ? state!.offset : 0,
      fp_len: fpLen,
      fingerprint: fingerprint(fd, fpLen),
      carry: resume ? state!.carry : '{}',
      rows: resume || wholeJson ? (state?.rows ?? 0) : 0,
      skipped: resume ? state!.skipped : 0,
    };
    const parser = parserFor(agent, file, JSON.parse(next.carry) as Record<string, unknown>, this.projectOf);
    const pending = new Map<string, { event: AgentEvent; merge: MergeRule }>();
    const touched: DayKey[] = [];
    let skippedNow = 0;
    const warned = new Set<string>();
    const sink: ParseSink = {
      event: (event, merge) => {
        const seen = pending.get(event.externalId);
        if (seen && merge === 'largest-output' && (seen.event.outputTokens ?? 0) >= (event.outputTokens ?? 0)) return;
        if (seen && merge === 'same') return;
        pending.set(event.externalId, { event, merge });
      },
      skipped: () => {
        skippedNow++;
      },
      warn: (message) => {
        if (warned.has(message)) return;
        warned.add(message);
        report.problems.push(`${message} (${file})`);
      },
    };
    const flush = (offset: number) => {
      const batch = [...pending.values()];
      pending.clear();
      // IMMEDIATE: the check against the proxy's rows and the write are one step, even when a proxy in
      // another process writes the same response at the same moment (docs/agents.md, counted once).
      this.core.db.transaction(() => {
        this.countedOnce.begin();
        const events = batch.filter(({ event, merge }) => this.countedOnce.isNews(event, merge)).map((p) => p.event);
        const result = events.length > 0 ? this.core.usage.write(events) : { inserted: 0, updated: 0, unchanged: 0, unpriced: 0, touched: [] };
        const replaced = this.countedOnce.end();
        // A proxy estimate the log's exact figure replaced is an update of that response, not a new one.
        report.added += result.inserted - replaced.replaced;
        report.updated += result.updated + replaced.replaced;
        touched.push(...replaced.touched);
        report.unpriced += result.unpriced;
        touched.push(...result.touched);
        next.rows += result.inserted;
        next.skipped += skippedNow;
        report.skipped += skippedNow;
        skippedNow = 0;
        next.offset = offset;
        next.carry = JSON.stringify(parser.carry());
        this.putState.run({ ...next, imported_at: this.core.clock.now().toISOString() });
      }).immediate();
    };

    if (wholeJson) {
      // The older Gemini format is one JSON document, rewritten whole: read it whole (small files).
      const text = fs.readFileSync(fd, 'utf8');
      report.bytesRead += Buffer.byteLength(text);
      (parser as ReturnType<typeof geminiParser>).whole(text, sink);
      flush(stat.size);
    } else {
      const start = next.offset;
      const end = readLines(fd, start, stat.size, (line, endOffset) => {
        if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return;
        parser.line(line, sink);
        if (pending.size >= BATCH) flush(endOffset);
      }, parser.mark);
      report.bytesRead += stat.size - start;
      flush(end);
    }
    report.filesRead++;
    return touched;
  }
}

export function importAgentLogs(core: Core, options: ImportOptions = {}): ImportReport {
  return new AgentImporter(core).run(options);
}
