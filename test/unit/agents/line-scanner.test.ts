import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLines } from '../../../src/agents/lines';
import { Answer, claudeLineScanner, lineScannerProblem, type ClaudeLineScanner } from '../../../src/agents/line-scanner';
import { parseLogFile } from '../../../src/agents/parse-file';
import { claudeParser } from '../../../src/agents/parsers/claude';
import type { ParseSink } from '../../../src/agents/parsers/types';
import { writeClaudeCorpus } from '../../helpers/claude-corpus';

/**
 * The WebAssembly reader of Claude Code lines gives, line by line, exactly what the JSON.parse path
 * gives: the same rows (every field), the same skipped lines, the same warnings, on real-shaped
 * lines and on every way a line can be damaged or unusual. Lines it cannot prove it reads as
 * JSON.parse would are left to JSON.parse: these tests also check that ordinary lines are NOT left
 * to it, or the comparison would only compare JSON.parse with itself.
 *
 * The module is built by the test run's global set-up (scripts/build.mjs cli writes dist/claude-line.wasm).
 */

let scanner: ClaudeLineScanner;
beforeAll(() => {
  const loaded = claudeLineScanner();
  expect(lineScannerProblem()).toBeUndefined();
  expect(loaded).toBeDefined();
  scanner = loaded!;
});

const FILE = '/home/dev/.claude/projects/-home-dev-shop/session.jsonl';
const projectOf = (cwd: string) => `p:${path.basename(cwd)}`;

/** Everything the parser tells its sink about these lines, read one way or the other. */
function read(lines: readonly string[], withScanner: boolean): unknown[] {
  const parser = claudeParser(FILE, projectOf, withScanner ? scanner : null);
  const told: unknown[] = [];
  const sink: ParseSink = {
    event: (event, merge) => told.push({ event: { ...event, occurredAt: event.occurredAt.toISOString() }, merge }),
    skipped: () => told.push('skipped'),
    warn: (message) => told.push({ warn: message }),
  };
  for (const line of lines) {
    parser.line(Buffer.from(line, 'utf8'), sink);
    told.push('|'); // line by line
  }
  return told;
}

function expectSame(lines: readonly string[]): void {
  expect(read(lines, true)).toEqual(read(lines, false));
}

const base = {
  parentUuid: 'u1',
  isSidechain: false,
  userType: 'external',
  cwd: '/home/dev/shop',
  sessionId: 'session-1',
  version: '2.1.197',
  message: {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'text', text: 'hello "usage" \\ \n \u2028 é 😀' }],
    stop_reason: null,
    usage: {
      input_tokens: 29,
      cache_creation_input_tokens: 12034,
      cache_read_input_tokens: 15990,
      cache_creation: { ephemeral_5m_input_tokens: 34, ephemeral_1h_input_tokens: 12000 },
      output_tokens: 33,
      service_tier: 'standard',
      server_tool_use: { web_search_requests: 0 },
    },
  },
  requestId: 'req_01',
  type: 'assistant',
  uuid: 'a1',
  timestamp: '2026-12-04T18:00:31.755Z',
};
const baseLine = JSON.stringify(base);

describe('the WebAssembly reader of Claude Code lines', () => {
  it('reads an ordinary assistant line itself, with every field JSON.parse gives', () => {
    expect(scanner.scan(Buffer.from(baseLine))).toBe(Answer.assistant);
    expectSame([baseLine, baseLine]); // the second reuses the repeated fields' strings
    const [told] = read([baseLine], true) as [{ event: Record<string, unknown> }];
    expect(told.event).toMatchObject({ externalId: 'msg_01', model: 'claude-sonnet-4-5', project: 'p:shop', inputTokens: 29, outputTokens: 33, cacheWriteTokens: 12034, cacheWrite1hTokens: 12000, cachedInputTokens: 15990 });
  });

  it('answers as JSON.parse for the lines of a real-shaped corpus, reading nearly all of them itself', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-scanner-'));
    try {
      writeClaudeCorpus(dir, { files: 6, linesPerFile: 120, toolResultBytes: 600, seed: 7 });
      const lines: string[] = [];
      for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
        const full = path.join(dir, file);
        if (!full.endsWith('.jsonl')) continue;
        const fd = fs.openSync(full, 'r');
        readLines(fd, 0, fs.fstatSync(fd).size, (l) => lines.push(l.toString('utf8')), Buffer.from('"usage"'));
        fs.closeSync(fd);
      }
      expect(lines.length).toBeGreaterThan(200);
      expectSame(lines);
      const own = lines.filter((l) => scanner.scan(Buffer.from(l)) === Answer.assistant).length;
      expect(own / lines.length).toBeGreaterThan(0.9);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers as JSON.parse for the fixture transcripts (with a subagent and progress lines)', () => {
    const root = path.join(__dirname, '../../fixtures/agents/claude');
    const lines = (fs.readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => fs.readFileSync(path.join(root, f), 'utf8').split('\n'));
    expectSame(lines);
  });

  it('answers as JSON.parse for unusual but valid lines', () => {
    const variants: unknown[] = [
      { ...base, type: 'progress', data: { message: { ...base, cwd: '/home/dev/sub' } } },
      { ...base, type: 'user' },
      { ...base, message: { ...base.message, model: '<synthetic>' } },
      { ...base, message: { ...base.message, model: 5 } },
      { ...base, message: { ...base.message, id: '' } },
      { ...base, message: { ...base.message, id: 7 } },
      { ...base, message: 'text' },
      { ...base, message: { ...base.message, usage: [1, 2] } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, input_tokens: null } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, output_tokens: '33' } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, cache_read_input_tokens: true } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, cache_creation: 'x' } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, cache_creation: 7 } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, cache_creation: 0 } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, cache_creation: { ephemeral_1h_input_tokens: -3 } } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, cache_write_input_tokens: 12 } } },
      { ...base, message: { ...base.message, usage: { ...base.message.usage, cache_write_input_tokens: 0 } } },
      { ...base, isSidechain: true },
      { ...base, isSidechain: 'true' },
      { ...base, cwd: '' },
      { ...base, cwd: 'C:\\Users\\dev\\shop' },
      { ...base, sessionId: 12 },
      { ...base, requestId: '' },
      { ...base, cwd: undefined, sessionId: undefined, requestId: undefined },
      { ...base, type: 'assist\u0061nt' },
      ...['2026-12-04T18:00:31Z', '2026-02-30T10:00:00.000Z', '2026-12-04T24:00:00.000Z', '2026-12-04T18:00:31.7Z', '2026-12-04T18:00:31.755+01:00', '2026-13-04T18:00:31.755Z', '2026-12-00T18:00:31.755Z', '2026-12-31T18:00:31.755Z', '2026-12-32T18:00:31.755Z', '2026-12-04T23:60:00.000Z', '2026-12-04T23:00:60.000Z', '2026-12-04T18:00:31,755Z', '2026-12-04 18:00:31.755Z', '0000-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', 'Dec 4 2026', 'soon', '', 17].map((timestamp) => ({ ...base, timestamp })),
    ];
    const lines = variants.map((v) => JSON.stringify(v));
    // Valid JSON the writer would not produce: numbers in other forms, escaped keys, repeated keys, spacing.
    const usage = (text: string) => baseLine.replace('"output_tokens":33', text);
    lines.push(
      ...['"output_tokens":33.0', '"output_tokens":3.3e1', '"output_tokens":-0', '"output_tokens":0.5', '"output_tokens":1e400', '"output_tokens":123456789012345678', '"output_tokens":123456789012345', '"output_tokens":9007199254740993', '"output_tokens":33,"output_tokens":44', '"\\u006futput_tokens":44', '"output_tokens":33,"extra":-1', '"output_tokens":33,"extra":0.0'].map(usage),
      baseLine.replace('"type":"assistant"', '"type":"assistant","type":"user"'),
      baseLine.replace('"type":"assistant"', '"t\\u0079pe":"assistant"'),
      baseLine.replace('"model":"claude-sonnet-4-5"', '"model":"claude-sonnet-4-5","model":"claude-opus-4-5"'),
      // A repeated object: JSON.parse keeps only the last, with none of the first one's fields.
      baseLine.replace('"requestId"', '"message":{"id":"msg_02","usage":{"output_tokens":5}},"requestId"'),
      baseLine.replace('"service_tier"', '"cache_creation":{"ephemeral_5m_input_tokens":1},"service_tier"'),
      baseLine.replace('"stop_reason"', '"usage":{"input_tokens":1,"output_tokens":1},"stop_reason"'),
      baseLine.replace('"requestId"', '"message":7,"requestId"'),
      baseLine.replace('"model":"claude-sonnet-4-5"', '"model":"claude-\\u0073onnet-4-5"'),
      baseLine.replace('"id":"msg_01"', '"id":"msg_\\"01\\""'),
      baseLine.replace(/,/g, ' ,\t').replace(/:/g, '\r: '),
      ` \t${baseLine} \r`,
      '\ufeff' + baseLine,
      `[${baseLine}]`,
      '"usage"',
      '{}',
      `${'['.repeat(600)}${']'.repeat(600)}`,
      baseLine.replace('"content":[', `"content":[${'['.repeat(700)}${']'.repeat(700)},`),
      baseLine.replace('hello', 'x'.repeat(1 << 20)), // longer than the module's line buffer
    );
    expectSame(lines);
  });

  it('answers as JSON.parse for every prefix of a line and for damaged bytes', () => {
    const lines: string[] = [];
    for (let i = 0; i < baseLine.length; i++) lines.push(baseLine.slice(0, i));
    for (const bad of ['\u0001', '\\x', '\\u12G4', '\\', '"', ',', '}', ']', '{', 'tru', 'nul', '01', '1.', '1e', '-', '+1', '.5', 'NaN']) {
      for (let i = 0; i < baseLine.length; i += 7) lines.push(baseLine.slice(0, i) + bad + baseLine.slice(i));
    }
    expectSame(lines);
  });

  it('answers as JSON.parse for generated lines and random damage (property)', () => {
    const count = fc.oneof({ arbitrary: fc.nat({ max: 10_000_000 }), weight: 8 }, fc.constantFrom(-1, 1.5, 0, null, '7', 1e21));
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('"usage"', '\\', '\n', '\u0000', 'é😀'));
    const entry = fc.record(
      {
        type: fc.constantFrom('assistant', 'assistant', 'user', 'progress', 7),
        cwd: fc.oneof(text, fc.constantFrom('/home/dev/a', '/home/dev/b')),
        sessionId: text,
        requestId: text,
        isSidechain: fc.constantFrom(true, false, 'yes', null),
        timestamp: fc.oneof(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), text),
        message: fc.record(
          {
            id: fc.oneof(fc.constantFrom('msg_a', 'msg_b'), text),
            model: fc.constantFrom('claude-sonnet-4-5', 'claude-opus-4-5', '<synthetic>', ''),
            content: fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 3 }),
            usage: fc.record(
              {
                input_tokens: count,
                output_tokens: count,
                cache_creation_input_tokens: count,
                cache_read_input_tokens: count,
                cache_creation: fc.oneof(fc.record({ ephemeral_1h_input_tokens: count }, { requiredKeys: [] }), fc.constant(null)),
                service_tier: fc.constant('standard'),
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: ['usage'] },
        ),
      },
      { requiredKeys: ['type', 'message'] },
    );
    const damage = fc.tuple(fc.nat(), fc.constantFrom('', '"', '\\', '{', '}', ',', ':', '0', 'e', '\u0001', ' '), fc.nat({ max: 3 }));
    fc.assert(
      fc.property(entry, fc.option(damage, { nil: undefined }), (value, hurt) => {
        let line = JSON.stringify(value);
        if (hurt) {
          const [at, insert, remove] = hurt;
          const i = at % (line.length + 1);
          line = line.slice(0, i) + insert + line.slice(i + remove);
        }
        expectSame([line]);
      }),
      { numRuns: 3000, seed: 20261203 },
    );
  });

  it('finds the "usage" mark in its read block exactly where Buffer.indexOf does (property)', () => {
    const block = scanner.readBuffer();
    const pieces = fc.constantFrom('"usage"', 'usage"', '"usag', '"usage', 'u', '"', 'x', '\n', '""usage"', '"uusage"', '"usage""usage"');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), fc.nat({ max: 40 }), fc.nat({ max: 40 }), (parts, lead, cut) => {
        const bytes = Buffer.from('a'.repeat(lead) + parts.join(''));
        bytes.copy(block, 0);
        const view = block.subarray(0, Math.max(0, bytes.length - (cut % (bytes.length + 1))));
        for (let from = 0; from <= view.length; from++) expect(scanner.findUsage(view, from)).toBe(view.indexOf('"usage"', from));
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  it('reads a file in place (lines scanned where they were read, the mark found by the module) as JSON.parse does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-inplace-'));
    try {
      const file = path.join(dir, 'session.jsonl');
      // Lines of every kind, one longer than a read chunk (read across chunks, then copied), and
      // text that carries "usage" in every way a string can.
      const long = JSON.stringify({ ...base, message: { ...base.message, id: 'msg_long', content: [{ type: 'text', text: '"usage" '.repeat(200_000) }] } });
      const lines = [baseLine, '{"type":"user","message":{"content":"say \\"usage\\" twice: \\"usage\\""}}', 'not json "usage"', JSON.stringify({ ...base, message: { ...base.message, id: 'msg_02' } }), JSON.stringify({ ...base, type: 'progress', data: { message: { ...base, message: { ...base.message, id: 'msg_03' } } } })];
      const all = Array.from({ length: 3000 }, (_, i) => lines[i % lines.length]!.replace(/msg_0(\d)/g, `msg_${i}_$1`));
      all.splice(1234, 0, long);
      const text = all.join('\n') + '\n';
      fs.writeFileSync(file, text);
      const size = fs.statSync(file).size;
      const inPlace = [...parseLogFile({ agent: 'claude-code', file, size, mtime: 0, state: undefined }, {})];
      const viaJson = read(all, false).filter((t) => t !== '|');
      const told = inPlace.flatMap((c) => c.events.map(({ event, merge }) => ({ event: { ...event, occurredAt: event.occurredAt.toISOString() }, merge })));
      expect(told.length).toBeGreaterThan(1500);
      expect(told).toEqual(viaJson.filter((t) => t !== 'skipped').map((t) => ({ ...(t as object), event: { ...(t as { event: object }).event, project: 'shop' } })));
      expect(inPlace.reduce((n, c) => n + c.skipped, 0)).toBe(viaJson.filter((t) => t === 'skipped').length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
