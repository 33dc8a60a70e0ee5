import type { UsageEventInput } from '../../model/ledger';
import type { MarkSearch } from '../lines';

/** How two readings of the same response (same external id) combine. */
export type MergeRule =
  /** Claude Code writes one response as several lines with growing output: the largest wins. */
  | 'largest-output'
  /** Gemini CLI re-appends a changed message record: the last write wins. */
  | 'last'
  /** Codex rows are keyed by their cumulative totals: any copy is the same row. */
  | 'same';

export interface AgentEvent extends UsageEventInput {
  externalId: string;
}

/** What a parser hands the importer for each line. */
export interface ParseSink {
  event(event: AgentEvent, merge: MergeRule): void;
  /** The line could not be read (malformed JSON, a usage figure that is not a count). */
  skipped(): void;
  /** The line looks like a newer log format (an unknown usage field): named once per import. */
  warn(message: string): void;
}

/** A parser of one file: fed complete lines in order; `carry` is what it needs to resume. */
export interface LogParser {
  /**
   * Bytes every line of interest contains: the reader hands over only such lines, found by one
   * search per chunk (lines.ts), so the parser need not check again.
   */
  readonly mark?: Buffer;
  /** A faster search for `mark` in a chunk than Buffer.indexOf, with the same answers. */
  readonly findMark?: MarkSearch;
  line(line: Buffer, sink: ParseSink): void;
  carry(): Record<string, unknown>;
}

/** Shared checks of the parsers. */
export function count(value: unknown): number | null {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

export function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function parseJson(line: Buffer): Record<string, unknown> | null | undefined {
  try {
    return record(JSON.parse(line.toString('utf8')));
  } catch {
    return undefined; // malformed
  }
}

export function validDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Fields of a usage object we do not know, with a non-zero count: a newer format to look at. */
export function unknownFields(usage: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  return Object.keys(usage).filter((k) => !known.has(k) && typeof usage[k] === 'number' && usage[k] !== 0);
}
