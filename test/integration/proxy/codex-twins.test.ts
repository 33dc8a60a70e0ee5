import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAgentLogs } from '../../../src/agents/importer';
import { openCore, type Core } from '../../../src/app/open';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { tempHome } from '../../helpers/cli';

/**
 * Codex before 0.171 logs no response id: a response the proxy saw and such a log holds is matched
 * as twins (src/ledger/codex-twins.ts) — a Codex client, same model family, the same fresh input,
 * cached input and output tokens, within the window, one to one — and counted once. Everything
 * that is not such a pair keeps both rows: the false-merge cases below.
 */

/** What the Responses API answered (the dated snapshot name, as the API gives it). */
const API_MODEL = 'gpt-5-2025-08-07';
const USAGE = { input_tokens: 9000, input_tokens_details: { cached_tokens: 6000 }, output_tokens: 450, output_tokens_details: { reasoning_tokens: 120 }, total_tokens: 9450 };
type Usage = typeof USAGE;

interface Setup {
  core: Core;
  proxy: RunningProxy;
  logs: string;
  /** One Responses API call through the proxy; `codex` sends the headers the Codex CLI sends. */
  call(opts?: { codex?: boolean }): Promise<string>;
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(): Promise<Setup> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `resp_twin_${++n}`, object: 'response', status: 'completed', model: API_MODEL, output: [], usage: USAGE }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const home = tempHome('burnrate-codex-twins-');
  const core = openCore({ home, env: { BURNRATE_OPENAI_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` }, timeZone: 'UTC' });
  const proxy = await startProxy(core, core.prices, { port: 0 });
  cleanup.push(() => new Promise((done) => server.close(done)), () => core.close(), () => proxy.close(), () => fs.rmSync(home, { recursive: true, force: true }));
  const call = async (opts: { codex?: boolean } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: 'Bearer sk-test' };
    if (opts.codex !== false) Object.assign(headers, { originator: 'codex_cli_rs', 'user-agent': 'codex_cli_rs/0.46.0 (Debian 12; x86_64) xterm' });
    const res = await fetch(`${proxy.url}/openai/v1/responses`, { method: 'POST', headers, body: JSON.stringify({ model: 'gpt-5', input: 'hi' }) });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    await proxy.settled(); // its row is committed with the next batch: the test reads the ledger after
    return id;
  };
  return { core, proxy, logs: path.join(home, 'codex'), call };
}

/**
 * A rollout as Codex before 0.171 writes it: no token_usage_record, one token_count per response
 * with the session's cumulative totals (Codex's input includes the cached part).
 */
function writeOldCodexLog(dir: string, responses: { at: Date; usage?: Usage }[]): void {
  const day = path.join(dir, 'sessions', '2026', '12', '02');
  fs.mkdirSync(day, { recursive: true });
  const start = responses[0]!.at.toISOString();
  const lines: unknown[] = [
    { timestamp: start, type: 'session_meta', payload: { id: 'old-thread', cwd: '/work/demo' } },
    { timestamp: start, type: 'turn_context', payload: { model: 'gpt-5', cwd: '/work/demo' } },
  ];
  const total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  for (const r of responses) {
    const u = r.usage ?? USAGE;
    const last = { input_tokens: u.input_tokens, cached_input_tokens: u.input_tokens_details.cached_tokens, output_tokens: u.output_tokens, reasoning_output_tokens: u.output_tokens_details.reasoning_tokens, total_tokens: u.total_tokens };
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += last[k];
    lines.push({ timestamp: r.at.toISOString(), type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { ...total }, last_token_usage: last } } });
  }
  fs.writeFileSync(path.join(day, 'rollout-2026-12-02T10-00-00-old-thread.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

function rows(core: Core): { source: string; external_id: string; twinOf: string | null }[] {
  return core.db
    .prepare("SELECT source, external_id, json_extract(metadata, '$.twinOf') AS twinOf FROM usage_events ORDER BY source, occurred_at, external_id")
    .all() as { source: string; external_id: string; twinOf: string | null }[];
}

function rolledEvents(core: Core): number {
  return (core.db.prepare('SELECT COALESCE(SUM(events), 0) AS n FROM daily_rollups').get() as { n: number }).n;
}

const importCodex = (s: Setup) => importAgentLogs(s.core, { agents: ['codex'], path: s.logs }).agents[0]!;
const later = (ms: number) => new Date(Date.now() + ms);

describe('a Codex (before 0.171) response seen by the proxy and by its log counts once', () => {
  it('proxy first: the import pairs its row with the proxy’s and writes nothing, also when read again', async () => {
    const s = await setup();
    const id = await s.call();
    writeOldCodexLog(s.logs, [{ at: later(2_000) }]);
    expect(importCodex(s)).toMatchObject({ filesRead: 1, added: 0 });
    expect(rows(s.core)).toEqual([{ source: 'proxy', external_id: id, twinOf: expect.stringMatching(/^codex:/) }]);
    // A rewritten log is read again from the start: its row finds the twin it was paired with.
    s.core.db.prepare('DELETE FROM agent_log_files').run();
    expect(importCodex(s)).toMatchObject({ filesRead: 1, added: 0 });
    expect(rolledEvents(s.core)).toBe(1);
  });

  it('log first: the proxy writes nothing and marks the log’s row with its response id', async () => {
    const s = await setup();
    writeOldCodexLog(s.logs, [{ at: later(5_000) }]);
    expect(importCodex(s)).toMatchObject({ added: 1 });
    const id = await s.call(); // a JSON answer ends after its row was tried
    expect(rows(s.core)).toEqual([{ source: 'agent_log', external_id: expect.stringMatching(/^codex:/), twinOf: id }]);
    expect(rolledEvents(s.core)).toBe(1);
  });

  it('one to one: two identical responses the proxy saw, logged after, are two rows', async () => {
    const s = await setup();
    const a = await s.call();
    const b = await s.call();
    writeOldCodexLog(s.logs, [{ at: later(2_000) }, { at: later(3_000) }]);
    expect(importCodex(s)).toMatchObject({ added: 0 });
    const paired = rows(s.core);
    expect(paired.map((r) => [r.source, r.external_id])).toEqual([['proxy', a], ['proxy', b]]);
    // Each paired with its own log row, first come first paired.
    const logKeys = paired.map((r) => r.twinOf);
    expect(logKeys.every((k) => k !== null && k.startsWith('codex:'))).toBe(true);
    expect(new Set(logKeys).size).toBe(2);
    expect(rolledEvents(s.core)).toBe(2);
  });

  it('one to one, log first: two identical logged responses the proxy then sees are two rows, each marked by its own response', async () => {
    const s = await setup();
    writeOldCodexLog(s.logs, [{ at: later(5_000) }, { at: later(6_000) }]);
    expect(importCodex(s)).toMatchObject({ added: 2 });
    const a = await s.call();
    const b = await s.call();
    expect(rows(s.core).map((r) => [r.source, r.twinOf])).toEqual([
      ['agent_log', a],
      ['agent_log', b],
    ]);
    expect(rolledEvents(s.core)).toBe(2);
    // A third identical response finds no unpaired twin: it is written.
    const c = await s.call();
    expect(rows(s.core).filter((r) => r.source === 'proxy').map((r) => r.external_id)).toEqual([c]);
  });
});

describe('no false merges: what is not a twin keeps both rows', () => {
  it('a client that is not Codex', async () => {
    const s = await setup();
    await s.call({ codex: false });
    writeOldCodexLog(s.logs, [{ at: later(2_000) }]);
    expect(importCodex(s)).toMatchObject({ added: 1 });
    expect(rows(s.core).map((r) => [r.source, r.twinOf])).toEqual([['agent_log', null], ['proxy', null]]);
  });

  it('one token apart', async () => {
    const s = await setup();
    await s.call();
    writeOldCodexLog(s.logs, [{ at: later(2_000), usage: { ...USAGE, output_tokens: USAGE.output_tokens + 1, total_tokens: USAGE.total_tokens + 1 } }]);
    expect(importCodex(s)).toMatchObject({ added: 1 });
    expect(rolledEvents(s.core)).toBe(2);
  });

  it('logged after the window (the proxy would have given up on that request long before)', async () => {
    const s = await setup();
    await s.call();
    writeOldCodexLog(s.logs, [{ at: later(12 * 60_000) }]);
    expect(importCodex(s)).toMatchObject({ added: 1 });
    expect(rolledEvents(s.core)).toBe(2);
  });

  it('logged before the proxy’s request started', async () => {
    const s = await setup();
    writeOldCodexLog(s.logs, [{ at: later(-60_000) }]);
    await s.call();
    expect(importCodex(s)).toMatchObject({ added: 1 });
    expect(rolledEvents(s.core)).toBe(2);
  });

  it('the proxy saw one of two identical logged responses: the other keeps its row', async () => {
    const s = await setup();
    const id = await s.call();
    writeOldCodexLog(s.logs, [{ at: later(2_000) }, { at: later(3_000) }]);
    expect(importCodex(s)).toMatchObject({ added: 1 });
    expect(rows(s.core).map((r) => [r.source, r.source === 'proxy' ? r.external_id : 'codex']).sort()).toEqual([['agent_log', 'codex'], ['proxy', id]]);
    expect(rolledEvents(s.core)).toBe(2);
  });

  it('a model of another family', async () => {
    const s = await setup();
    await s.call();
    const day = path.join(s.logs, 'sessions', '2026', '12', '02');
    writeOldCodexLog(s.logs, [{ at: later(2_000) }]);
    const file = path.join(day, fs.readdirSync(day)[0]!);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"model":"gpt-5"', '"model":"gpt-5-codex"'));
    expect(importCodex(s)).toMatchObject({ added: 1 });
    expect(rolledEvents(s.core)).toBe(2);
  });
});
