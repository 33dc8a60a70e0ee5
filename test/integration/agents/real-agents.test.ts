import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAgentLogs } from '../../../src/agents/importer';
import { openCore, type Core } from '../../../src/app/open';

/**
 * The real coding agents write the logs: Claude Code and the Codex CLI, installed from the npm
 * registry on demand into a cache outside the repo (BURNRATE_TEST_CACHE, default
 * ~/.cache/burnrate-test; about 650 MB together, a minute or two the first time), run against a
 * local fake upstream on 127.0.0.1 that speaks the provider's streaming wire format and counts every
 * token it served. After the import, Burnrate's tokens equal the fake's count exactly.
 */

const CACHE = process.env.BURNRATE_TEST_CACHE ?? path.join(os.homedir(), '.cache', 'burnrate-test');

function installed(folder: string, spec: string, bin: string): string {
  const dir = path.join(CACHE, folder);
  const exe = path.join(dir, 'node_modules', '.bin', bin);
  if (!fs.existsSync(exe)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', spec], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15 * 60_000 });
  }
  return exe;
}

interface Served {
  port: number;
  requests: number;
  input: number;
  cached: number;
  output: number;
  close(): Promise<void>;
}

/** Answer each POST with a streamed response whose usage grows with the request count. */
function fakeUpstream(answer: (req: http.IncomingMessage, body: Record<string, unknown>, res: http.ServerResponse, served: Served) => void): Promise<Served> {
  return new Promise((resolve) => {
    const served = { port: 0, requests: 0, input: 0, cached: 0, output: 0 } as Served;
    const server = http.createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (c: string) => (text += c));
      req.on('end', () => {
        if (req.method !== 'POST') {
          res.writeHead(200).end();
          return;
        }
        answer(req, text ? (JSON.parse(text) as Record<string, unknown>) : {}, res, served);
      });
    });
    served.close = () => new Promise((done) => server.close(() => done()));
    server.listen(0, '127.0.0.1', () => {
      served.port = (server.address() as AddressInfo).port;
      resolve(served);
    });
  });
}

const sse = (res: http.ServerResponse) => (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);

/** Anthropic's Messages API, streamed (message_start … message_stop). */
function anthropicAnswer(req: http.IncomingMessage, body: Record<string, unknown>, res: http.ServerResponse, served: Served): void {
  if (req.url?.includes('count_tokens')) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 10 })); // not a billed response
    return;
  }
  const n = ++served.requests;
  const input = 1000 + 17 * n;
  const cacheRead = 300 * n;
  const cacheWrite = 50 * n;
  const output = 40 + n;
  served.input += input;
  served.cached += cacheRead;
  served.output += output;
  const usage = { input_tokens: input, cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead, output_tokens: 1 };
  const message = { id: `msg_fake_${n}`, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage };
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...message, content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', usage: { ...usage, output_tokens: output } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const ev = sse(res);
  ev('message_start', { message });
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'hi there' } });
  ev('content_block_stop', { index: 0 });
  ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: output } });
  ev('message_stop', {});
  res.end();
}

/** OpenAI's Responses API, streamed (response.created … response.completed). */
function openaiAnswer(req: http.IncomingMessage, body: Record<string, unknown>, res: http.ServerResponse, served: Served): void {
  if (!req.url?.includes('/responses')) {
    res.writeHead(404).end();
    return;
  }
  const n = ++served.requests;
  const input = 2000 + 31 * n;
  const cached = 400 * n;
  const output = 60 + n;
  served.input += input;
  served.cached += cached;
  served.output += output;
  const id = `resp_fake_${n}`;
  const item = { id: `msg_${n}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hi', annotations: [] }] };
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const ev = sse(res);
  ev('response.created', { response: { id, object: 'response', status: 'in_progress', model: body.model, output: [] } });
  ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
  ev('response.output_text.delta', { output_index: 0, content_index: 0, item_id: item.id, delta: 'hi' });
  ev('response.output_item.done', { output_index: 0, item });
  ev('response.completed', {
    response: { id, object: 'response', status: 'completed', model: body.model, output: [item], usage: { input_tokens: input, input_tokens_details: { cached_tokens: cached }, output_tokens: output, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: input + output } },
  });
  res.end();
}

function run(exe: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(exe, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

function tokens(core: Core, provider: string): { n: number; input: number; cached: number; output: number } {
  return core.db
    .prepare("SELECT COUNT(*) AS n, SUM(input_tokens) AS input, SUM(cached_input_tokens) AS cached, SUM(output_tokens) AS output FROM usage_events WHERE source = 'agent_log' AND provider = ?")
    .get(provider) as { n: number; input: number; cached: number; output: number };
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('logs written by the real agents', () => {
  it('Claude Code: after `claude -p` against a counting fake, the imported tokens equal what the fake served', async () => {
    const claude = installed('claude-code', '@anthropic-ai/claude-code@2.1.197', 'claude');
    const fake = await fakeUpstream(anthropicAnswer);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-claude-home-'));
    const work = path.join(home, 'work');
    fs.mkdirSync(work);
    cleanup.push(() => fake.close(), () => fs.rmSync(home, { recursive: true, force: true }));
    const env = { HOME: home, ANTHROPIC_BASE_URL: `http://127.0.0.1:${fake.port}`, ANTHROPIC_API_KEY: 'sk-ant-test', DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    const result = await run(claude, ['-p', 'say hi', '--model', 'claude-sonnet-4-5'], work, env);
    expect(result.code, result.out).toBe(0);
    expect(fake.requests).toBeGreaterThan(0);

    const core = openCore({ memory: true, env: { HOME: home }, timeZone: 'UTC' });
    cleanup.push(() => core.close());
    importAgentLogs(core, { agents: ['claude-code'] });
    const got = tokens(core, 'anthropic');
    expect(got).toEqual({ n: fake.requests, input: fake.input, cached: fake.cached, output: fake.output });
  }, 20 * 60_000);

  it('Codex CLI: after `codex exec` against a counting fake, the imported tokens equal what the fake served', async () => {
    const codex = installed('codex', '@openai/codex@0.171.0', 'codex');
    const fake = await fakeUpstream(openaiAnswer);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-codex-home-'));
    const codexHome = path.join(home, '.codex');
    const work = path.join(home, 'work');
    fs.mkdirSync(codexHome);
    fs.mkdirSync(work);
    cleanup.push(() => fake.close(), () => fs.rmSync(home, { recursive: true, force: true }));
    fs.writeFileSync(
      path.join(codexHome, 'config.toml'),
      `model = "gpt-5"\nmodel_provider = "fake"\n\n[model_providers.fake]\nname = "fake"\nbase_url = "http://127.0.0.1:${fake.port}/v1"\nenv_key = "OPENAI_API_KEY"\nwire_api = "responses"\n`,
    );
    const result = await run(codex, ['exec', '--skip-git-repo-check', 'say hi'], work, { HOME: home, CODEX_HOME: codexHome, OPENAI_API_KEY: 'sk-test' });
    expect(result.code, result.out).toBe(0);
    expect(fake.requests).toBeGreaterThan(0);

    const core = openCore({ memory: true, env: { HOME: home }, timeZone: 'UTC' });
    cleanup.push(() => core.close());
    importAgentLogs(core, { agents: ['codex'] });
    const got = tokens(core, 'openai');
    // The ledger keeps fresh input apart from cached input; Codex's (and OpenAI's) input includes it.
    expect({ input: got.input + got.cached, cached: got.cached, output: got.output }).toEqual({ input: fake.input, cached: fake.cached, output: fake.output });
    expect(got.n).toBe(fake.requests);
    // Codex 0.171 logs each response's id (token_usage_record): the row is keyed by it, as the proxy's is.
    const ids = core.db.prepare("SELECT external_id FROM usage_events WHERE source = 'agent_log' AND provider = 'openai' ORDER BY occurred_at").pluck().all();
    expect(ids).toEqual(Array.from({ length: fake.requests }, (_, i) => `resp_fake_${i + 1}`));
  }, 20 * 60_000);
});
