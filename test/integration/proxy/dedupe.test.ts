import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAgentLogs } from '../../../src/agents/importer';
import { openCore, type Core } from '../../../src/app/open';
import { costOfUsage } from '../../../src/ledger/usage';
import { formatUsd } from '../../../src/money';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { burnrateAsync, tempHome } from '../../helpers/cli';

/**
 * A response the metering proxy saw and Claude Code logged counts once, whichever is written
 * second (docs/agents.md, docs/proxy.md): the import after the proxy adds nothing, the proxy after
 * the import writes nothing, and the rollups and `status --json` hold the response's tokens and
 * cost exactly once.
 */

const MODEL = 'claude-sonnet-4-5';
const USAGE = { input_tokens: 1234, cache_creation_input_tokens: 500, cache_read_input_tokens: 7000, output_tokens: 321, cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 300 } };

/** Anthropic's Messages API (JSON), answering with the message id the test chose. */
async function anthropicFake(messageId: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: messageId(), type: 'message', role: 'assistant', model: MODEL, content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', stop_sequence: null, usage: USAGE }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** What Claude Code writes for one response: two lines with growing output, the last one final. */
function writeClaudeLog(dir: string, messageId: string, at: Date): void {
  const folder = path.join(dir, '-work-demo');
  fs.mkdirSync(folder, { recursive: true });
  const line = (output: number) =>
    JSON.stringify({ type: 'assistant', timestamp: at.toISOString(), cwd: '/work/demo', sessionId: 's-1', requestId: 'req_1', message: { id: messageId, type: 'message', role: 'assistant', model: MODEL, usage: { ...USAGE, output_tokens: output } } });
  fs.appendFileSync(path.join(folder, 's-1.jsonl'), `${line(1)}\n${line(USAGE.output_tokens)}\n`);
}

interface Setup {
  home: string;
  core: Core;
  proxy: RunningProxy;
  logs: string;
  ask(): Promise<string>;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(messageId: string): Promise<Setup> {
  const fake = await anthropicFake(() => messageId);
  const home = tempHome('burnrate-dedupe-');
  const core = openCore({ home, env: { BURNRATE_ANTHROPIC_BASE_URL: fake.url }, timeZone: 'UTC' });
  const proxy = await startProxy(core, core.prices, { port: 0 });
  cleanup.push(() => fake.close(), () => core.close(), () => proxy.close(), () => fs.rmSync(home, { recursive: true, force: true }));
  const ask = async () => {
    const res = await fetch(`${proxy.url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await res.json()) as { id: string };
    expect(res.status).toBe(200);
    return body.id;
  };
  return { home, core, proxy, logs: path.join(home, 'claude-projects'), ask };
}

function rows(core: Core): { source: string; n: number }[] {
  return core.db.prepare('SELECT source, COUNT(*) AS n FROM usage_events GROUP BY source ORDER BY source').all() as { source: string; n: number }[];
}

function rollups(core: Core): { events: number; input: number; output: number; cached: number; write: number; cost: number } {
  return core.db
    .prepare('SELECT SUM(events) AS events, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cached_input_tokens) AS cached, SUM(cache_write_tokens) AS write, SUM(cost_nano) AS cost FROM daily_rollups')
    .get() as { events: number; input: number; output: number; cached: number; write: number; cost: number };
}

/** The one response's cost at the catalogue's prices, 1-hour cache writes apart. */
function expectedCost(core: Core, at: Date): number {
  const p = core.prices.priceFor('anthropic', MODEL, at, USAGE.input_tokens + USAGE.cache_read_input_tokens + USAGE.cache_creation_input_tokens);
  expect(p, `${MODEL} is priced`).not.toBeNull();
  const { costIn, costOut } = costOfUsage(p!, { input: USAGE.input_tokens, output: USAGE.output_tokens, cached: USAGE.cache_read_input_tokens, cacheWrite: USAGE.cache_creation_input_tokens, cacheWrite1h: 300 });
  return costIn + costOut;
}

async function expectCountedOnce(s: Setup, at: Date): Promise<void> {
  const cost = expectedCost(s.core, at);
  expect(rollups(s.core)).toEqual({ events: 1, input: USAGE.input_tokens, output: USAGE.output_tokens, cached: USAGE.cache_read_input_tokens, write: USAGE.cache_creation_input_tokens, cost });
  const status = await burnrateAsync(['status', '--json'], { BURNRATE_HOME: s.home });
  expect(status.code, status.stderr).toBe(0);
  const json = status.json<{ day: { spentUsd: string } }>();
  expect(json.day.spentUsd).toBe(formatUsd(cost));
}

describe('a response seen by the proxy and by Claude Code’s log counts once', () => {
  it('import after the proxy adds nothing', async () => {
    const s = await setup('msg_01DedupeAfterProxy');
    const id = await s.ask();
    expect(id).toBe('msg_01DedupeAfterProxy');
    expect(rows(s.core)).toEqual([{ source: 'proxy', n: 1 }]);

    writeClaudeLog(s.logs, id, new Date());
    const report = importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs });
    expect(report.agents[0]).toMatchObject({ filesRead: 1, added: 0, updated: 0, skipped: 0 });
    expect(rows(s.core)).toEqual([{ source: 'proxy', n: 1 }]);
    await expectCountedOnce(s, new Date());
  }, 120_000);

  it('the proxy after the import writes nothing', async () => {
    const s = await setup('msg_01DedupeAfterImport');
    const at = new Date();
    writeClaudeLog(s.logs, 'msg_01DedupeAfterImport', at);
    const report = importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs });
    expect(report.agents[0]).toMatchObject({ added: 1 });
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);

    await s.ask();
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);
    await expectCountedOnce(s, at);
  }, 120_000);

  it('a different response is still counted by each', async () => {
    const s = await setup('msg_01SeenByProxyOnly');
    await s.ask();
    writeClaudeLog(s.logs, 'msg_01SeenByLogOnly', new Date());
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 1 });
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }, { source: 'proxy', n: 1 }]);
    expect(rollups(s.core).events).toBe(2);
  }, 120_000);
});
