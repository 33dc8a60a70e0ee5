import path from 'node:path';
import { count, parseJson, record, validDate, type AgentEvent, type LogParser, type ParseSink } from './types';

/**
 * Gemini CLI chat recordings (`~/.gemini/tmp/<project>/chats/session-*.jsonl`): a metadata first
 * line, then message records re-appended in full whenever they change (the last write per id wins),
 * `{"$set": {...}}` patches (whose `messages`, when present, are records too) and `{"$rewindTo": id}`.
 * A rewind removes messages from the conversation, not from the bill: the tokens were served, so
 * rows already imported stay. The older whole-file `.json` has a `messages` array.
 *
 * `tokens: { input, output, cached, thoughts, tool, total }`: input includes cached; thoughts are
 * billed as output; tool-use prompt tokens as input.
 */

interface GeminiCarry {
  session?: string;
  project?: string;
}

export function geminiParser(filePath: string, carryIn: Record<string, unknown>, projectOf: (cwd: string) => string): LogParser & { whole(text: string, sink: ParseSink): void } {
  const carry = { ...carryIn } as GeminiCarry;
  // ~/.gemini/tmp/<project>/chats/…: the project folder, when the metadata names no directory.
  const parts = filePath.split(path.sep);
  const chats = parts.lastIndexOf('chats');
  const folderProject = chats > 0 ? parts[chats - 1]! : '';
  const fallbackSession = path.basename(filePath).replace(/\.jsonl?$/, '');

  const meta = (m: Record<string, unknown>) => {
    if (typeof m.sessionId === 'string') carry.session = m.sessionId;
    const dirs = m.directories;
    if (Array.isArray(dirs) && typeof dirs[0] === 'string') carry.project = projectOf(dirs[0]);
    else if (typeof m.projectPath === 'string') carry.project = projectOf(m.projectPath);
  };

  const message = (m: Record<string, unknown>, sink: ParseSink): void => {
    if (m.type !== 'gemini') return;
    const tokens = record(m.tokens);
    if (!tokens) return;
    const id = typeof m.id === 'string' && m.id ? m.id : null;
    const at = validDate(m.timestamp);
    const input = count(tokens.input);
    const cachedRaw = count(tokens.cached);
    const output = count(tokens.output);
    const thoughts = count(tokens.thoughts);
    const tool = count(tokens.tool);
    if (!id || !at || input === null || cachedRaw === null || output === null || thoughts === null || tool === null) return sink.skipped();
    const cached = Math.min(cachedRaw, input);
    const event: AgentEvent = {
      source: 'agent_log',
      provider: 'gemini',
      externalId: `gemini:${carry.session ?? fallbackSession}:${id}`,
      model: typeof m.model === 'string' && m.model ? m.model : 'unknown',
      project: carry.project ?? folderProject,
      inputTokens: input - cached + tool,
      cachedInputTokens: cached,
      outputTokens: output + thoughts,
      occurredAt: at,
      metadata: { agent: 'gemini', ...(carry.session ? { session: carry.session } : {}) },
    };
    sink.event(event, 'last');
  };

  const entry = (e: Record<string, unknown>, sink: ParseSink): void => {
    if (typeof e.$rewindTo === 'string') return;
    const set = record(e.$set);
    if (set) {
      meta(set);
      if (Array.isArray(set.messages)) for (const m of set.messages) if (record(m)) message(record(m)!, sink);
      return;
    }
    if (typeof e.id === 'string' && typeof e.type === 'string') return message(e, sink);
    meta(e); // the first line: session metadata
  };

  return {
    line(line, sink) {
      const e = parseJson(line);
      if (e === undefined) return sink.skipped();
      if (e) entry(e, sink);
    },
    whole(text, sink) {
      let doc: Record<string, unknown> | null;
      try {
        doc = record(JSON.parse(text));
      } catch {
        return sink.skipped();
      }
      if (!doc) return sink.skipped();
      meta(doc);
      if (Array.isArray(doc.messages)) for (const m of doc.messages) if (record(m)) message(record(m)!, sink);
    },
    carry: () => ({ ...carry }),
  };
}
