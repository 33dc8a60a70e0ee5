import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AgentName } from '../ledger/agent-billing';
import { LineReader } from './lines';
import { claudeParser } from './parsers/claude';
import { codexParser } from './parsers/codex';
import { geminiParser } from './parsers/gemini';
import type { AgentEvent, LogParser, MergeRule, ParseSink } from './parsers/types';
import { replacesSeen } from './merge-rule';

/**
 * Reading one log file into rows, apart from the ledger: the same code runs in the importer's own
 * thread and in the parse workers (parse-pool.ts), so both give the same rows. Pure apart from
 * reading the file: what to write, and the file's state after it, go back to the importer, which
 * writes rows and state in one transaction (importer.ts).
 */

const FINGERPRINT_BYTES = 1024;
/** Responses per chunk handed back: large enough to amortise a commit, small enough to keep memory flat. */
export const CHUNK_EVENTS = 4000;

/** What agent_log_files remembers of a file (migration 007). */
export interface FileState {
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

/** One file to read: its stat when the import looked, and what the last import left. */
export interface FileTask {
  agent: AgentName;
  file: string;
  size: number;
  mtime: number;
  state: FileState | undefined;
}

export interface PendingEvent {
  event: AgentEvent;
  merge: MergeRule;
}

/**
 * The rows of a stretch of the file, and where the file stands after it: `state.offset` is just
 * past the last line whose rows are in this chunk or an earlier one.
 */
export interface ParsedChunk {
  /** One per response, merged within the chunk by its rule. */
  events: PendingEvent[];
  /** The file's state after this chunk (rows and skipped as the importer's totals so far). */
  state: FileState;
  /** Lines skipped in this chunk. */
  skipped: number;
  /** Bytes read for this chunk. */
  bytes: number;
  /** One sentence each (newer log formats), already deduplicated within the file. */
  warnings: string[];
  /** The file's last chunk. */
  done: boolean;
}

/** Folder name of a working directory, or the user's name for it (setting agent_projects). */
export function projectNamer(map: Readonly<Record<string, string>>): (cwd: string) => string {
  const named = new Map<string, string>(); // one name per cwd, asked once per line
  return (cwd) => {
    let name = named.get(cwd);
    if (name === undefined) named.set(cwd, (name = map[cwd] ?? path.basename(cwd.replace(/[\\/]+$/, '')) ?? cwd));
    return name;
  };
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

/** Adds a reading of a response to a batch by its merge rule (docs/agents.md, the traps); true if it is kept. */
export function mergeInto<P extends PendingEvent>(pending: Map<string, P>, reading: P): boolean {
  const { event, merge } = reading;
  const seen = pending.get(event.externalId);
  if (!replacesSeen(merge, seen && (seen.event.outputTokens ?? 0), event.outputTokens ?? 0)) return false;
  pending.set(event.externalId, reading);
  return true;
}

/**
 * Read what is new in one file, a chunk of rows at a time. Throws only for an unreadable file (the
 * importer words it); a bad line is counted as skipped.
 */
export function* parseLogFile(task: FileTask, projects: Readonly<Record<string, string>>): Generator<ParsedChunk, void, void> {
  const fd = fs.openSync(task.file, 'r');
  try {
    yield* parseOpen(fd, task, projectNamer(projects));
  } finally {
    fs.closeSync(fd);
  }
}

function* parseOpen(fd: number, task: FileTask, projectOf: (cwd: string) => string): Generator<ParsedChunk, void, void> {
  const { file, state, size } = task;
  const wholeJson = file.endsWith('.json');
  // Resume only when the file is the one we read: same first bytes, not shorter than our offset.
  const resume = !wholeJson && state !== undefined && size >= state.offset && size >= state.fp_len && fingerprint(fd, state.fp_len) === state.fingerprint;
  const fpLen = Math.min(size, FINGERPRINT_BYTES);
  const next: FileState = {
    path: file,
    agent: task.agent,
    size,
    mtime_ms: task.mtime,
    offset: resume ? state!.offset : 0,
    fp_len: fpLen,
    fingerprint: fingerprint(fd, fpLen),
    carry: resume ? state!.carry : '{}',
    rows: resume || wholeJson ? (state?.rows ?? 0) : 0,
    skipped: resume ? state!.skipped : 0,
  };
  const parser = parserFor(task.agent, file, JSON.parse(next.carry) as Record<string, unknown>, projectOf);
  const pending = new Map<string, PendingEvent>();
  const warned = new Set<string>();
  let warnings: string[] = [];
  let skipped = 0;
  const sink: ParseSink = {
    event: (event, merge) => void mergeInto(pending, { event, merge }),
    skipped: () => {
      skipped++;
    },
    warn: (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      warnings.push(message);
    },
  };
  const chunk = (offset: number, bytes: number, done: boolean): ParsedChunk => {
    next.offset = offset;
    // Until the file's last chunk, the state claims only what was read: were it to claim the whole
    // stat, an import killed after this chunk's commit would find the file "unchanged" and never
    // read the rest of it.
    next.size = done ? size : offset;
    next.carry = JSON.stringify(parser.carry());
    next.skipped += skipped;
    const out: ParsedChunk = { events: [...pending.values()], state: { ...next }, skipped, bytes, warnings, done };
    pending.clear();
    skipped = 0;
    warnings = [];
    return out;
  };

  if (wholeJson) {
    // The older Gemini format is one JSON document, rewritten whole: read it whole (small files).
    const text = fs.readFileSync(fd, 'utf8');
    (parser as ReturnType<typeof geminiParser>).whole(text, sink);
    yield chunk(size, Buffer.byteLength(text), true);
    return;
  }
  let from = next.offset;
  const reader = new LineReader(fd, from, size, (line) => {
    if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return;
    parser.line(line, sink);
  }, parser.mark, parser.findMark);
  while (reader.step()) {
    if (pending.size < CHUNK_EVENTS) continue;
    yield chunk(reader.consumed, reader.consumed - from, false);
    from = reader.consumed;
  }
  yield chunk(reader.consumed, size - from, true);
}
