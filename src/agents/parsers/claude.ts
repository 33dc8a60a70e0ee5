import path from 'node:path';
import { Answer, claudeLineScanner, Count, Text, type ClaudeLineScanner } from '../line-scanner';
import { count, parseJson, record, unknownFields, validDate, type LogParser, type ParseSink } from './types';

/**
 * Claude Code transcripts (`~/.claude/projects/<cwd-slug>/<session>.jsonl`, and subagents'
 * `subagents/agent-*.jsonl`). Only assistant lines carry `message.usage`. One response is written as
 * several lines with growing output, so each (message.id) is one row whose largest reading wins.
 * `progress` lines embed a subagent's assistant line (also in its own file): the same message id
 * makes it count once, whichever file is read first.
 *
 * A line is read by the WebAssembly scanner when it is built (line-scanner.ts), else, and for every
 * line the scanner leaves to it, by JSON.parse: both fill the same `AssistantLine`.
 */

const KNOWN_USAGE = new Set([
  'input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens',
]);
const USAGE_MARK = Buffer.from('"usage"');

/** What the parser reads of an assistant line with a usage object; null for a count that is not one. */
interface AssistantLine {
  model: string;
  at: Date | null;
  input: number | null;
  output: number | null;
  write: number | null;
  read: number | null;
  write1h: number | null;
  id: string | undefined;
  cwd: string | undefined;
  sessionId: string | undefined;
  requestId: string | undefined;
  sidechain: boolean;
  /** Non-zero counts of usage fields Burnrate does not know (a newer log format). */
  unknownUsage: string[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The fields of a parsed assistant entry, or null when it is not one with a usage object. */
function fromEntry(entry: Record<string, unknown>): AssistantLine | null {
  if (entry.type !== 'assistant') return null;
  const message = record(entry.message);
  const usage = record(message?.usage);
  if (!message || !usage) return null;
  return {
    model: text(message.model) ?? '',
    at: validDate(entry.timestamp),
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    write: count(usage.cache_creation_input_tokens),
    read: count(usage.cache_read_input_tokens),
    write1h: count(record(usage.cache_creation)?.ephemeral_1h_input_tokens),
    id: text(message.id),
    cwd: text(entry.cwd),
    sessionId: text(entry.sessionId),
    requestId: text(entry.requestId),
    sidechain: entry.isSidechain === true,
    unknownUsage: unknownFields(usage, KNOWN_USAGE),
  };
}

/** The same fields from the scanner's answer. */
function fromScan(scanner: ClaudeLineScanner): AssistantLine {
  return {
    model: scanner.text(Text.model) ?? '',
    at: scanner.timestamp(),
    input: scanner.count(Count.input),
    output: scanner.count(Count.output),
    write: scanner.count(Count.cacheWrite),
    read: scanner.count(Count.cacheRead),
    write1h: scanner.count(Count.cacheWrite1h),
    id: scanner.text(Text.id),
    cwd: scanner.text(Text.cwd),
    sessionId: scanner.text(Text.session),
    requestId: scanner.text(Text.request),
    sidechain: scanner.sidechain(),
    unknownUsage: [], // the scanner leaves a line with an unknown non-zero count to JSON.parse
  };
}

/**
 * @param scanner the WebAssembly line reader; null reads every line with JSON.parse (the tests
 *   compare the two).
 */
export function claudeParser(filePath: string, projectOf: (cwd: string) => string, scanner: ClaudeLineScanner | null | undefined = claudeLineScanner()): LogParser {
  // The folder under projects/ is the cwd's slug: the project when a line has no cwd.
  const fallbackProject = path.basename(path.dirname(filePath.includes(`${path.sep}subagents${path.sep}`) ? path.dirname(path.dirname(filePath)) : filePath));
  const emit = (line: AssistantLine, sink: ParseSink): void => {
    const { model, at, input, output, write, read, write1h } = line;
    if (model === '<synthetic>') return; // written by Claude Code itself, never billed
    const id = line.id || null;
    if (!at || input === null || output === null || write === null || read === null || write1h === null || !id) {
      sink.skipped();
      return;
    }
    if (line.unknownUsage.length > 0) sink.warn(`Claude Code wrote usage fields Burnrate does not know (${line.unknownUsage.join(', ')}); they are not priced.`);
    const cwd = line.cwd || null;
    sink.event(
      {
        source: 'agent_log',
        provider: 'anthropic',
        externalId: id,
        model: model || 'unknown',
        project: cwd ? projectOf(cwd) : fallbackProject,
        inputTokens: input,
        outputTokens: output,
        cachedInputTokens: read,
        cacheWriteTokens: write,
        cacheWrite1hTokens: Math.min(write1h, write),
        occurredAt: at,
        metadata: {
          agent: 'claude-code',
          ...(line.sessionId !== undefined ? { session: line.sessionId } : {}),
          ...(line.requestId !== undefined ? { requestId: line.requestId } : {}),
          ...(line.sidechain ? { sidechain: true } : {}),
        },
      },
      'largest-output',
    );
  };
  const viaJson = (line: Buffer, sink: ParseSink): void => {
    const entry = parseJson(line);
    if (entry === undefined) return sink.skipped();
    if (entry === null) return;
    // A subagent's line wrapped in its parent's transcript.
    const inner = entry.type === 'progress' ? record(record(entry.data)?.message) : entry;
    const fields = inner && fromEntry(inner === entry ? entry : { cwd: entry.cwd, sessionId: entry.sessionId, ...inner });
    if (fields) emit(fields, sink);
  };
  return {
    mark: USAGE_MARK, // lines without usage (user turns, tool results, summaries) are never read here
    ...(scanner ? { findMark: (view: Buffer, from: number) => scanner.findUsage(view, from) } : {}),
    line(line, sink) {
      if (scanner) {
        switch (scanner.scan(line)) {
          case Answer.ignore:
            return;
          case Answer.malformed:
            return sink.skipped();
          case Answer.assistant:
            return emit(fromScan(scanner), sink);
        }
      }
      viaJson(line, sink);
    },
    carry: () => ({}),
  };
}
