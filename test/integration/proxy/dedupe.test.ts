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

const CODEX_MODEL = 'gpt-5';
/** OpenAI Responses usage: input_tokens includes the cached part, output includes reasoning. */
const RESPONSES_USAGE = { input_tokens: 9000, input_tokens_details: { cached_tokens: 6000 }, output_tokens: 450, output_tokens_details: { reasoning_tokens: 120 }, total_tokens: 9450 };

/**
 * Anthropic's Messages API and OpenAI's Responses API (JSON), answering with the id the test chose.
 */
async function anthropicFake(messageId: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      if (req.url?.endsWith('/messages') && (JSON.parse(body) as { stream?: boolean }).stream) {
        // A stream the upstream breaks off after its first text: message_start (the id and the
        // input side of the usage), one delta, then the connection drops without message_stop.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const sse = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        const { output_tokens: _output, ...inputSide } = USAGE;
        sse('message_start', { type: 'message_start', message: { id: messageId(), type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, usage: { ...inputSide, output_tokens: 1 } } });
        sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
        sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello, this is the start of a longer answer' } });
        setImmediate(() => res.socket?.destroy());
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/responses')) {
        const item = { type: 'message', id: 'msg_item_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'hi', annotations: [] }] };
        res.end(JSON.stringify({ id: messageId(), object: 'response', created_at: 1_764_000_000, status: 'completed', model: CODEX_MODEL, output: [item], usage: RESPONSES_USAGE }));
        return;
      }
      res.end(JSON.stringify({ id: messageId(), type: 'message', role: 'assistant', model: MODEL, content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', stop_sequence: null, usage: USAGE }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** What Claude Code writes for one response: lines with growing output (by default two, the last one final). */
function writeClaudeLog(dir: string, messageId: string, at: Date, outputs = [1, USAGE.output_tokens]): void {
  const folder = path.join(dir, '-work-demo');
  fs.mkdirSync(folder, { recursive: true });
  const line = (output: number) =>
    JSON.stringify({ type: 'assistant', timestamp: at.toISOString(), cwd: '/work/demo', sessionId: 's-1', requestId: 'req_1', message: { id: messageId, type: 'message', role: 'assistant', model: MODEL, usage: { ...USAGE, output_tokens: output } } });
  fs.appendFileSync(path.join(folder, 's-1.jsonl'), outputs.map((o) => `${line(o)}\n`).join(''));
}

/**
 * What Codex 0.171 writes for one response (seen in a rollout of the real CLI): a
 * token_usage_record naming the API's response_id, then the token_count with the session totals.
 */
function writeCodexLog(dir: string, responseId: string, at: Date, recordTotals = true): void {
  const day = path.join(dir, 'sessions', '2026', '12', '02');
  fs.mkdirSync(day, { recursive: true });
  const total = { input_tokens: 9000, cached_input_tokens: 6000, cache_write_input_tokens: 0, output_tokens: 450, reasoning_output_tokens: 120, total_tokens: 9450 };
  const lines = [
    { timestamp: at.toISOString(), type: 'session_meta', payload: { id: 'thread-1', cwd: '/work/demo' } },
    { timestamp: at.toISOString(), type: 'turn_context', payload: { model: CODEX_MODEL, cwd: '/work/demo' } },
    { timestamp: at.toISOString(), type: 'token_usage_record', payload: { thread_id: 'thread-1', response_id: responseId, usage: total, thread_token_usage: recordTotals ? total : { ...total, output_tokens: 1 } } },
    { timestamp: at.toISOString(), type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: total, last_token_usage: total } } },
  ];
  fs.writeFileSync(path.join(day, 'rollout-2026-12-02T10-00-00-thread-1.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

interface Setup {
  home: string;
  core: Core;
  proxy: RunningProxy;
  logs: string;
  ask(): Promise<string>;
  askOpenAi(route?: string, headers?: Record<string, string>): Promise<string>;
  askCut(): Promise<void>;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(messageId: string): Promise<Setup> {
  const fake = await anthropicFake(() => messageId);
  const home = tempHome('burnrate-dedupe-');
  const core = openCore({ home, env: { BURNRATE_ANTHROPIC_BASE_URL: fake.url, BURNRATE_OPENAI_BASE_URL: `${fake.url}/v1`, BURNRATE_OPENROUTER_BASE_URL: `${fake.url}/v1` }, timeZone: 'UTC' });
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
    await proxy.settled(); // its row is committed with the next batch: the test reads the ledger after
    return body.id;
  };
  const askOpenAi = async (route = 'openai', headers: Record<string, string> = {}) => {
    const res = await fetch(`${proxy.url}/${route}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', ...headers },
      body: JSON.stringify({ model: CODEX_MODEL, input: 'hi' }),
    });
    const body = (await res.json()) as { id: string };
    expect(res.status).toBe(200);
    await proxy.settled(); // its row is committed with the next batch: the test reads the ledger after
    return body.id;
  };
  /** A streamed request the upstream cuts: the proxy records an estimate (metadata.estimated). */
  const askCut = async () => {
    const recorded = new Promise<void>((resolve) => core.spendListeners.push((reason) => reason === 'proxy' && resolve()));
    const res = await fetch(`${proxy.url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: 1024, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.text().catch(() => ''); // the stream breaks off: its end is an error
    // The recorder announces each write it made (or skipped as counted already) to the spend listeners.
    await recorded;
    expect(proxy.backlog()).toBe(0);
  };
  return { home, core, proxy, logs: path.join(home, 'claude-projects'), ask, askOpenAi, askCut };
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

  it('the proxy after the import: its own figure takes the log\'s place, once', async () => {
    const s = await setup('msg_01DedupeAfterImport');
    const at = new Date();
    writeClaudeLog(s.logs, 'msg_01DedupeAfterImport', at);
    const report = importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs });
    expect(report.agents[0]).toMatchObject({ added: 1 });
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);

    await s.ask();
    expect(rows(s.core)).toEqual([{ source: 'proxy', n: 1 }]);
    await expectCountedOnce(s, at);
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 0, updated: 0 });
  }, 120_000);

  it('a reading Claude Code logged mid-stream (message_start\'s output of 1, no final line) gives way to the proxy\'s figure', async () => {
    const s = await setup('msg_01MidStreamLog');
    const at = new Date();
    writeClaudeLog(s.logs, 'msg_01MidStreamLog', at, [1]); // imported while the stream still runs
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 1 });
    expect(rollups(s.core).output).toBe(1);
    await s.ask();
    expect(rows(s.core)).toEqual([{ source: 'proxy', n: 1 }]);
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

function openAiRows(core: Core): { source: string; external_id: string; input_tokens: number; cached_input_tokens: number; output_tokens: number; cost_total_nano: number }[] {
  return core.db
    .prepare("SELECT source, external_id, input_tokens, cached_input_tokens, output_tokens, cost_total_nano FROM usage_events WHERE provider = 'openai' ORDER BY source")
    .all() as { source: string; external_id: string; input_tokens: number; cached_input_tokens: number; output_tokens: number; cost_total_nano: number }[];
}

describe('a Codex response seen by the proxy and by its rollout counts once (Codex 0.171+ logs the response id)', () => {
  const counted = { input_tokens: 3000, cached_input_tokens: 6000, output_tokens: 450 };

  it('import after the proxy adds nothing', async () => {
    const s = await setup('resp_01CodexAfterProxy');
    expect(await s.askOpenAi()).toBe('resp_01CodexAfterProxy');
    writeCodexLog(s.logs, 'resp_01CodexAfterProxy', new Date());
    const report = importAgentLogs(s.core, { agents: ['codex'], path: s.logs });
    expect(report.agents[0]).toMatchObject({ filesRead: 1, added: 0, skipped: 0 });
    expect(openAiRows(s.core)).toMatchObject([{ source: 'proxy', external_id: 'resp_01CodexAfterProxy', ...counted }]);
    expect(rollups(s.core)).toMatchObject({ events: 1, input: 3000, cached: 6000, output: 450, cost: openAiRows(s.core)[0]!.cost_total_nano });
  }, 120_000);

  it('the proxy after the import takes the log\'s place, and both figure the response alike', async () => {
    const s = await setup('resp_01CodexAfterImport');
    writeCodexLog(s.logs, 'resp_01CodexAfterImport', new Date());
    expect(importAgentLogs(s.core, { agents: ['codex'], path: s.logs }).agents[0]).toMatchObject({ added: 1 });
    const logged = openAiRows(s.core);
    expect(logged).toMatchObject([{ source: 'agent_log', external_id: 'resp_01CodexAfterImport', ...counted }]);
    await s.askOpenAi();
    expect(openAiRows(s.core)).toMatchObject([{ source: 'proxy', external_id: 'resp_01CodexAfterImport', ...counted, cost_total_nano: logged[0]!.cost_total_nano }]);
    expect(rollups(s.core)).toMatchObject({ events: 1, input: 3000, cached: 6000, output: 450, cost: logged[0]!.cost_total_nano });
    const status = await burnrateAsync(['status', '--json'], { BURNRATE_HOME: s.home });
    expect(status.json<{ day: { spentUsd: string } }>().day.spentUsd).toBe(formatUsd(logged[0]!.cost_total_nano));
  }, 120_000);

  // Codex files every response under openai in its log; the proxy files it under the route it took.
  const viaOpenRouter = (s: Setup) => s.askOpenAi('openrouter', { originator: 'codex_cli_rs' });
  const allRows = (core: Core) => core.db.prepare('SELECT source, provider, external_id FROM usage_events').all();

  it('sent through another route (openrouter): import after the proxy adds nothing', async () => {
    const s = await setup('gen-01CodexViaRouter');
    expect(await viaOpenRouter(s)).toBe('gen-01CodexViaRouter');
    writeCodexLog(s.logs, 'gen-01CodexViaRouter', new Date());
    expect(importAgentLogs(s.core, { agents: ['codex'], path: s.logs }).agents[0]).toMatchObject({ filesRead: 1, added: 0 });
    expect(allRows(s.core)).toEqual([{ source: 'proxy', provider: 'openrouter', external_id: 'gen-01CodexViaRouter' }]);
    expect(rollups(s.core)).toMatchObject({ events: 1, output: 450 });
  }, 120_000);

  it('sent through another route (openrouter): the proxy after the import takes the log\'s place, under the route\'s provider', async () => {
    const s = await setup('gen-01CodexViaRouterLater');
    writeCodexLog(s.logs, 'gen-01CodexViaRouterLater', new Date());
    expect(importAgentLogs(s.core, { agents: ['codex'], path: s.logs }).agents[0]).toMatchObject({ added: 1 });
    await viaOpenRouter(s);
    expect(allRows(s.core)).toEqual([{ source: 'proxy', provider: 'openrouter', external_id: 'gen-01CodexViaRouterLater' }]);
    expect(rollups(s.core)).toMatchObject({ events: 1, output: 450 });
  }, 120_000);

  it('a response id whose record does not match the totals is not trusted: the row keeps its time-and-totals key', async () => {
    const s = await setup('resp_01CodexMismatch');
    await s.askOpenAi();
    writeCodexLog(s.logs, 'resp_01CodexMismatch', new Date(), false);
    expect(importAgentLogs(s.core, { agents: ['codex'], path: s.logs }).agents[0]).toMatchObject({ added: 1 });
    expect(openAiRows(s.core).map((r) => r.external_id)).toEqual([expect.stringMatching(/^codex:/), 'resp_01CodexMismatch']);
  }, 120_000);
});

/** The proxy's estimate of the cut stream: the input side from message_start, output from the text seen. */
function proxyEstimate(core: Core): { input_tokens: number; output_tokens: number; metadata: string } | undefined {
  return core.db.prepare("SELECT input_tokens, output_tokens, metadata FROM usage_events WHERE source = 'proxy'").get() as
    | { input_tokens: number; output_tokens: number; metadata: string }
    | undefined;
}

describe('a stream the proxy saw cut counts once, at the log’s exact figure', () => {
  it('proxy first: the import replaces the estimate by the log’s exact tokens and cost, once', async () => {
    const s = await setup('msg_01CutThenLog');
    await s.askCut();
    const estimate = proxyEstimate(s.core)!;
    expect(JSON.parse(estimate.metadata)).toMatchObject({ estimated: true, cut: 'upstream' });
    expect(estimate.input_tokens).toBe(USAGE.input_tokens);
    expect(estimate.output_tokens).toBeLessThan(USAGE.output_tokens); // a guess from the text that passed
    const estimatedCost = rollups(s.core).cost;
    expect(estimatedCost).toBeLessThan(expectedCost(s.core, new Date()));

    const at = new Date();
    writeClaudeLog(s.logs, 'msg_01CutThenLog', at);
    const first = importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs });
    expect(first.agents[0]).toMatchObject({ filesRead: 1, added: 0, updated: 1, skipped: 0 });
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);
    await expectCountedOnce(s, at);

    // Once: a later import (the log grew by another response's line) leaves the replaced response alone.
    writeClaudeLog(s.logs, 'msg_01CutThenLog', at);
    const again = importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs });
    expect(again.agents[0]).toMatchObject({ filesRead: 1, added: 0, updated: 0 });
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);
    await expectCountedOnce(s, at);
  }, 120_000);

  it('log first: the proxy’s later estimate of the same response is not written, the log’s figure stays', async () => {
    const s = await setup('msg_01LogThenCut');
    const at = new Date();
    writeClaudeLog(s.logs, 'msg_01LogThenCut', at);
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 1 });
    await s.askCut();
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 0, updated: 0 });
    await expectCountedOnce(s, at);
  }, 120_000);

  it('proxy first, then a reading logged mid-stream: the estimate stays until the log\'s reading is as large', async () => {
    const s = await setup('msg_01CutThenPartialLog');
    await s.askCut();
    const estimate = proxyEstimate(s.core)!;
    expect(estimate.output_tokens).toBeGreaterThan(1);
    const at = new Date();
    writeClaudeLog(s.logs, 'msg_01CutThenPartialLog', at, [1]);
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 0, updated: 0 });
    expect(proxyEstimate(s.core)).toEqual(estimate);
    writeClaudeLog(s.logs, 'msg_01CutThenPartialLog', at, [USAGE.output_tokens]);
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ updated: 1 });
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);
    await expectCountedOnce(s, at);
  }, 120_000);

  it('a reading logged mid-stream, then the proxy\'s larger estimate: the estimate takes its place, and the final reading the estimate\'s', async () => {
    const s = await setup('msg_01PartialLogThenCut');
    const at = new Date();
    writeClaudeLog(s.logs, 'msg_01PartialLogThenCut', at, [1]);
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 1 });
    await s.askCut();
    expect(rows(s.core)).toEqual([{ source: 'proxy', n: 1 }]);
    const estimate = proxyEstimate(s.core)!;
    expect(rollups(s.core)).toMatchObject({ events: 1, output: estimate.output_tokens });
    writeClaudeLog(s.logs, 'msg_01PartialLogThenCut', at, [USAGE.output_tokens]);
    importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs });
    expect(rows(s.core)).toEqual([{ source: 'agent_log', n: 1 }]);
    await expectCountedOnce(s, at);
  }, 120_000);

  it('an exact proxy row is not replaced: only an estimate is', async () => {
    const s = await setup('msg_01ExactStays');
    await s.ask();
    const before = s.core.db.prepare("SELECT id, output_tokens, metadata FROM usage_events WHERE source = 'proxy'").get() as { id: number; metadata: string };
    expect(JSON.parse(before.metadata).estimated).toBeUndefined();
    writeClaudeLog(s.logs, 'msg_01ExactStays', new Date());
    expect(importAgentLogs(s.core, { agents: ['claude-code'], path: s.logs }).agents[0]).toMatchObject({ added: 0, updated: 0 });
    expect(s.core.db.prepare("SELECT id, output_tokens, metadata FROM usage_events WHERE source = 'proxy'").get()).toEqual(before);
  }, 120_000);
});
