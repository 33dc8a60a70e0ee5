import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { AgentName } from '../ledger/agent-billing';
import { listLogFiles, type AgentRoot } from './roots';

/**
 * Which log files changed since the last import: one listing of the roots and a stat per file,
 * against the size and mtime the last import recorded. A re-import of an unchanged corpus is this
 * and nothing else, so both the importer and `burnrate import`'s quick answer (src/cli/
 * quick-import.ts) ask it here.
 */

/** What the last import recorded of a file: enough to tell "unchanged" without opening it. */
export type KnownFile = readonly [path: string, size: number, mtimeMs: number];

/** A file to read: new, grown, shrunk or touched since the last import. */
export interface ChangedFile {
  file: string;
  size: number;
  /** Whole milliseconds, as agent_log_files stores them. */
  mtime: number;
}

export interface Scan {
  /** Log files under the roots. */
  files: number;
  changed: ChangedFile[];
  /** One sentence each: unreadable folders and files. */
  problems: string[];
}

/**
 * What every file's last import left, in one query of three columns (the full states, with the
 * parser's carry and fingerprint, are read only for the files that changed).
 */
export function knownFiles(db: Database): Map<string, KnownFile> {
  // Raw rows, kept as they come: thousands of files, and each object made here is garbage to collect.
  const rows = db.prepare('SELECT path, size, mtime_ms FROM agent_log_files').raw().all() as KnownFile[];
  const known = new Map<string, KnownFile>();
  for (const row of rows) known.set(row[0], row);
  return known;
}

const STAT_OPTIONS = { throwIfNoEntry: false } as const;

export function scanForChanges(roots: readonly AgentRoot[], known: ReadonlyMap<string, KnownFile>): Scan {
  const listing = listLogFiles(roots);
  const problems = [...listing.unreadable];
  const changed: ChangedFile[] = [];
  for (const file of listing.files) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file, STAT_OPTIONS);
    } catch (error) {
      problems.push(`The log ${file} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`);
      continue;
    }
    if (!stat) continue; // gone since the listing: nothing to read
    const mtime = Math.floor(stat.mtimeMs);
    const last = known.get(file);
    if (last && last[1] === stat.size && last[2] === mtime) continue; // unchanged: nothing read
    changed.push({ file, size: stat.size, mtime });
  }
  return { files: listing.files.length, changed, problems };
}

/** One agent's line in an import's report. */
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

/** The report of an agent before anything was read: its roots, its files and the scan's problems. */
export function agentReport(agent: AgentName, roots: readonly AgentRoot[], scan: Scan): AgentImportReport {
  return { agent, roots: roots.map((r) => r.path), files: scan.files, filesRead: 0, bytesRead: 0, added: 0, updated: 0, skipped: 0, unpriced: 0, problems: [...scan.problems] };
}
