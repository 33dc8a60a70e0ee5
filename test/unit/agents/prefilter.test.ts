import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines } from '../../../src/agents/lines';
import { claudeParser } from '../../../src/agents/parsers/claude';
import type { AgentEvent, ParseSink } from '../../../src/agents/parsers/types';

/**
 * The byte pre-filter (the reader hands Claude's parser only lines containing `"usage"`, found by a
 * search over the raw chunk, without decoding) never drops a line the full parser would count: over
 * transcripts of every line kind, with text that mentions usage in every way JSON can carry it
 * inside strings, the rows from the filtered lines equal the rows from parsing every line.
 *
 * Why it holds: in JSON text a quote inside a string is always escaped (\"), so the bytes "usage"
 * with both quotes unescaped can only be a key; every line that carries usage has that key. (A
 * writer that escaped a key's plain letters, \u0075sage, would defeat it; Claude Code writes with
 * JSON.stringify, which never does.)
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-prefilter-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Strings that put "usage" into values in every way: plain, quoted (escaped by JSON), as JSON text.
const tricky = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('usage', '"usage"', '{"usage":{"output_tokens":5}}', '\\"usage\\"', 'usage": {', '\n"usage"\n', 'üsage "usagé"'),
  fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}"usage"${b}`),
);
const count = fc.oneof({ arbitrary: fc.nat({ max: 200_000 }), weight: 10 }, fc.constant(-1), fc.constant(1.5)); // some invalid: skipped by both
const usage = fc.record({ input_tokens: count, output_tokens: count, cache_read_input_tokens: fc.nat({ max: 1000 }) }, { requiredKeys: ['input_tokens', 'output_tokens'] });
const ids = fc.constantFrom('msg_a', 'msg_b', 'msg_c', 'msg_d');
const at = fc.oneof({ arbitrary: fc.constantFrom('2026-11-20T10:00:00Z', '2026-11-21T23:59:59.999Z'), weight: 8 }, fc.constant('not a date'));

const assistant = fc.record({
  type: fc.constant('assistant'),
  timestamp: at,
  cwd: fc.constantFrom('/home/dev/a', '/home/dev/b'),
  sessionId: tricky,
  requestId: tricky,
  message: fc.record({ id: ids, model: fc.constantFrom('claude-sonnet-4-5', '<synthetic>', 'claude-opus-4-5'), content: fc.array(fc.record({ type: fc.constant('text'), text: tricky }), { maxLength: 3 }), usage }),
});
const progress = fc.record({ type: fc.constant('progress'), cwd: fc.constant('/home/dev/p'), sessionId: tricky, data: fc.record({ message: assistant }) });
const user = fc.record({
  type: fc.constant('user'),
  timestamp: at,
  // Tool results quoting usage in text, and a tool input with a real nested "usage" key: not billed.
  message: fc.record({ role: fc.constant('user'), content: fc.array(fc.oneof(fc.record({ type: fc.constant('tool_result'), content: tricky }), fc.record({ type: fc.constant('tool_use'), input: fc.record({ usage, note: tricky }) })), { maxLength: 3 }) }),
});
const other = fc.oneof(fc.record({ type: fc.constant('summary'), summary: tricky }), fc.jsonValue({ maxDepth: 3 }), fc.record({ type: fc.constant('assistant'), message: fc.record({ id: ids, content: tricky }) }));
const line = fc.oneof({ arbitrary: assistant, weight: 3 }, progress, user, other).map((v) => JSON.stringify(v));

function parse(file: string, filtered: boolean): { events: AgentEvent[]; skipped: number } {
  const parser = claudeParser(file, (cwd) => path.basename(cwd));
  const events: AgentEvent[] = [];
  let skipped = 0;
  const sink: ParseSink = { event: (e) => events.push(e), skipped: () => skipped++, warn: () => undefined };
  const fd = fs.openSync(file, 'r');
  try {
    readLines(fd, 0, fs.fstatSync(fd).size, (l) => parser.line(l, sink), filtered ? parser.mark : undefined);
  } finally {
    fs.closeSync(fd);
  }
  return { events, skipped };
}

describe('the "usage" pre-filter of Claude Code lines', () => {
  it('drops no line that the full parser counts or skips', () => {
    let n = 0;
    let seen = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const file = path.join(dir, `t${n++}.jsonl`);
        fs.writeFileSync(file, lines.map((l) => l + '\n').join(''));
        const all = parse(file, false);
        const filtered = parse(file, true);
        seen += all.events.length;
        expect(filtered.events).toEqual(all.events);
        expect(filtered.skipped).toBe(all.skipped);
      }),
      { numRuns: 300 },
    );
    expect(seen).toBeGreaterThan(200); // the generator does produce billed lines
  });
});
