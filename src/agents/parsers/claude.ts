import path from 'node:path';
import { count, parseJson, record, unknownFields, validDate, type LogParser, type ParseSink } from './types';

/**
 * Claude Code transcripts (`~/.claude/projects/<cwd-slug>/<session>.jsonl`, and subagents'
 * `subagents/agent-*.jsonl`). Only assistant lines carry `message.usage`. One response is written as
 * several lines with growing output, so each (message.id) is one row whose largest reading wins.
 * `progress` lines embed a subagent's assistant line (also in its own file): the same message id
 * makes it count once, whichever file is read first.
 */

const KNOWN_USAGE = new Set([
  'input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens',
]);
const USAGE_MARK = Buffer.from('"usage"');

export function claudeParser(filePath: string, projectOf: (cwd: string) => string): LogParser {
  // The folder under projects/ is the cwd's slug: the project when a line has no cwd.
  const fallbackProject = path.basename(path.dirname(filePath.includes(`${path.sep}subagents${path.sep}`) ? path.dirname(path.dirname(filePath)) : filePath));
  const assistant = (entry: Record<string, unknown>, sink: ParseSink): void => {
    if (entry.type !== 'assistant') return;
    const message = record(entry.message);
    const usage = record(message?.usage);
    if (!message || !usage) return;
    const model = typeof message.model === 'string' ? message.model : '';
    if (model === '<synthetic>') return; // written by Claude Code itself, never billed
    const at = validDate(entry.timestamp);
    const input = count(usage.input_tokens);
    const output = count(usage.output_tokens);
    const write = count(usage.cache_creation_input_tokens);
    const read = count(usage.cache_read_input_tokens);
    const split = record(usage.cache_creation);
    const write1h = count(split?.ephemeral_1h_input_tokens);
    const id = typeof message.id === 'string' && message.id ? message.id : null;
    if (!at || input === null || output === null || write === null || read === null || write1h === null || !id) {
      sink.skipped();
      return;
    }
    const unknown = unknownFields(usage, KNOWN_USAGE);
    if (unknown.length > 0) sink.warn(`Claude Code wrote usage fields Burnrate does not know (${unknown.join(', ')}); they are not priced.`);
    const cwd = typeof entry.cwd === 'string' && entry.cwd ? entry.cwd : null;
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
          ...(typeof entry.sessionId === 'string' ? { session: entry.sessionId } : {}),
          ...(typeof entry.requestId === 'string' ? { requestId: entry.requestId } : {}),
          ...(entry.isSidechain === true ? { sidechain: true } : {}),
        },
      },
      'largest-output',
    );
  };
  return {
    mark: USAGE_MARK, // lines without usage (user turns, tool results, summaries) are never read here
    line(line, sink) {
      const entry = parseJson(line);
      if (entry === undefined) return sink.skipped();
      if (entry === null) return;
      if (entry.type === 'progress') {
        // A subagent's line wrapped in its parent's transcript.
        const inner = record(record(entry.data)?.message);
        if (inner) assistant({ cwd: entry.cwd, sessionId: entry.sessionId, ...inner }, sink);
        return;
      }
      assistant(entry, sink);
    },
    carry: () => ({}),
  };
}
