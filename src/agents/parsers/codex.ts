import { count, parseJson, record, unknownFields, validDate, type LogParser } from './types';

/**
 * Codex CLI rollouts (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`). `token_count` events carry
 * the session's cumulative `total_token_usage`; a row is the difference from the previous total.
 * Codex re-emits unchanged totals (no row), totals can go backwards (a new baseline: the event's
 * own `last_token_usage` is the row), and the model is the one of the latest `turn_context`.
 *
 * A fork or sub-agent rollout replays its parent's lines, timestamps and totals included. Each row's
 * external id is its timestamp and cumulative totals, so a replayed row is the same row and the
 * shared prefix counts once, whichever file is read first. Codex 0.171+ also writes a
 * `token_usage_record` with the API's `response_id` right before each token_count; when its thread
 * total equals the token_count's, the row is keyed by that id instead (replayed with the prefix, so
 * still counted once), which is the id the metering proxy records (docs/agents.md).
 */

interface Totals {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
  total: number;
}

interface CodexCarry {
  model?: string;
  project?: string;
  session?: string;
  prev?: Totals;
  /** The response id of the latest token_usage_record, with the session total it led to. */
  response?: { id: string; total: Totals };
}

// cache_write_input_tokens (Codex 0.171) is always 0 against OpenAI; a non-zero value means a
// provider that bills cache writes apart, which this importer does not price yet: it warns.
const KNOWN_USAGE = new Set(['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'total_tokens']);
const MARKS = ['"token_count"', '"token_usage_record"', '"turn_context"', '"session_meta"'].map((m) => Buffer.from(m));

function totalsOf(value: unknown): Totals | null {
  const u = record(value);
  if (!u) return null;
  const input = count(u.input_tokens);
  const cached = count(u.cached_input_tokens);
  const output = count(u.output_tokens);
  const reasoning = count(u.reasoning_output_tokens);
  const total = count(u.total_tokens);
  if (input === null || cached === null || output === null || reasoning === null || total === null) return null;
  return { input, cached, output, reasoning, total };
}

function minus(a: Totals, b: Totals): Totals {
  return { input: a.input - b.input, cached: a.cached - b.cached, output: a.output - b.output, reasoning: a.reasoning - b.reasoning, total: a.total - b.total };
}

const sameTotals = (a: Totals, b: Totals) => a.input === b.input && a.cached === b.cached && a.output === b.output && a.reasoning === b.reasoning;
const isZero = (t: Totals) => t.input === 0 && t.cached === 0 && t.output === 0 && t.reasoning === 0;
const anyNegative = (t: Totals) => t.input < 0 || t.cached < 0 || t.output < 0 || t.reasoning < 0;

export function codexParser(carryIn: Record<string, unknown>, projectOf: (cwd: string) => string): LogParser {
  const carry = { ...carryIn } as CodexCarry;
  const noteCwd = (cwd: unknown) => {
    if (typeof cwd === 'string' && cwd) carry.project = projectOf(cwd);
  };
  return {
    line(line, sink) {
      if (!MARKS.some((m) => line.indexOf(m) >= 0)) return;
      const entry = parseJson(line);
      if (entry === undefined) return sink.skipped();
      if (entry === null) return;
      const payload = record(entry.payload);
      if (!payload) return;
      if (entry.type === 'session_meta') {
        if (typeof payload.id === 'string') carry.session = payload.id;
        noteCwd(payload.cwd);
        return;
      }
      if (entry.type === 'turn_context') {
        if (typeof payload.model === 'string' && payload.model) carry.model = payload.model;
        noteCwd(payload.cwd);
        return;
      }
      if (entry.type === 'token_usage_record') {
        // Codex 0.171+: the API's response id, written just before the token_count it leads to.
        const total = totalsOf(payload.thread_token_usage);
        if (typeof payload.response_id === 'string' && payload.response_id && payload.response_id.length <= 500 && total) carry.response = { id: payload.response_id, total };
        return;
      }
      if (entry.type !== 'event_msg' || payload.type !== 'token_count') return;
      const info = record(payload.info);
      if (!info) return; // a rate-limit-only token_count carries no usage
      const total = totalsOf(info.total_token_usage);
      const at = validDate(entry.timestamp);
      if (!total || !at) return sink.skipped();
      const unknown = unknownFields(record(info.total_token_usage)!, KNOWN_USAGE);
      if (unknown.length > 0) sink.warn(`Codex wrote usage fields Burnrate does not know (${unknown.join(', ')}); they are not priced.`);
      let delta = carry.prev ? minus(total, carry.prev) : total;
      if (anyNegative(delta)) delta = totalsOf(info.last_token_usage) ?? total; // a new baseline
      carry.prev = total;
      // The response this total belongs to, when Codex named it and the totals agree exactly.
      const response = carry.response && sameTotals(carry.response.total, total) ? carry.response.id : null;
      delete carry.response;
      if (isZero(delta)) return; // an unchanged total re-emitted
      const cached = Math.min(delta.cached, delta.input);
      sink.event(
        {
          source: 'agent_log',
          provider: 'openai',
          // The response id is what the metering proxy records for the same response (counted once);
          // older logs have none, and a row is keyed by its timestamp and cumulative totals.
          externalId: response ?? `codex:${at.toISOString()}:${total.input}:${total.cached}:${total.output}:${total.reasoning}`,
          model: carry.model ?? 'unknown',
          project: carry.project ?? '',
          // Codex's input includes the cached part; the ledger keeps fresh input apart.
          inputTokens: delta.input - cached,
          cachedInputTokens: cached,
          // Output includes reasoning.
          outputTokens: delta.output,
          occurredAt: at,
          metadata: { agent: 'codex', ...(carry.session ? { session: carry.session } : {}) },
        },
        'same',
      );
    },
    carry: () => ({ ...carry }),
  };
}
