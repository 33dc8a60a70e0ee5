import { spawn } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { openCore, type Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { setPolicies } from '../../../src/budget/policies';
import { Journal } from '../../../src/proxy/journal';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

/**
 * Faults a read-only review found by driving the proxy with misbehaving upstreams and ledgers
 * (twelfth stop): each test failed before its fix.
 */
let home: string;
let core: Core;
let proxy: RunningProxy;
let said: string[];
let upstream: http.Server | null = null;
let fake: FakeUpstream | null = null;

async function listen(handler: http.RequestListener): Promise<string> {
  upstream = http.createServer(handler);
  await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}

async function start(base: string): Promise<void> {
  home = tempHome('burnrate-proxy-faults-');
  core = openCore({ home, env: { BURNRATE_OPENAI_BASE_URL: base }, timeZone: 'UTC' });
  said = [];
  proxy = await startProxy(core, core.prices, { port: 0, log: (l) => said.push(l) });
}

afterEach(async () => {
  vi.restoreAllMocks();
  await proxy.close();
  core.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  upstream = null;
  await fake?.close();
  fake = null;
});

const chat = (base: string, extra: Record<string, unknown> = {}) =>
  fetch(`${base}/openai/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], ...extra }) });

const enforceDaily = (usd: number) => {
  applyBudgetChange(core.db, { daily: Math.round(usd * 1e9), reserveBp: 0 }, new Date());
  setPolicies(core.db, [{ kind: 'daily' }], 'enforce', new Date());
};

describe('upstream faults', () => {
  it('an answer whose usage no price can hold reaches the client whole, is not recorded, says so, and sets no later reservation', async () => {
    const answerOf = (id: string, output: number) => JSON.stringify({ id, object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: output, total_tokens: output + 5 } });
    const huge = answerOf('chatcmpl-huge', 1e15);
    let served = 0;
    await start(await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(served++ === 0 ? huge : answerOf(`chatcmpl-${served}`, 7))));
    const res = await chat(proxy.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(huge);
    await proxy.settled();
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get()).toEqual({ n: 0 });
    expect(proxy.inFlight()).toBe(0);
    expect(said.some((l) => l.includes('gave usage that cannot be priced'))).toBe(true);
    // The garbage count taught the proxy nothing: the next request (no max_tokens) is reserved and answered as usual.
    enforceDaily(1);
    const next = await chat(proxy.url);
    expect(next.status).toBe(200);
    await proxy.settled();
    expect(core.db.prepare('SELECT output_tokens FROM usage_events').all()).toEqual([{ output_tokens: 7 }]);
  });

  it('a stream\'s head reaches the client before its first event, however long the model thinks', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    await start(
      await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        void released.then(() => res.end('data: {"id":"c1","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}\n\ndata: [DONE]\n\n'));
      }),
    );
    // The upstream sends its first event only once the client has the head.
    const head = await Promise.race([chat(proxy.url, { stream: true, stream_options: { include_usage: true } }), new Promise<'no head'>((r) => setTimeout(() => r('no head'), 5_000))]);
    release();
    expect(head).not.toBe('no head');
    expect((head as Response).status).toBe(200);
    expect(await (head as Response).text()).toContain('[DONE]');
  });

  it('an answer with a Content-Length that breaks off gives the client every byte sent before the break', async () => {
    const sent = 'x'.repeat(60);
    await start(
      await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '90' });
        res.write(sent, () => setTimeout(() => res.destroy(), 50));
      }),
    );
    const got = await new Promise<string>((resolve) => {
      const req = http.request(`${proxy.url}/openai/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (s: string) => (body += s));
        res.on('error', () => resolve(body)).on('aborted', () => resolve(body)).on('end', () => resolve(body)).on('close', () => resolve(body));
      });
      req.on('error', () => resolve(''));
      req.end(JSON.stringify({ model: 'gpt-4o', messages: [] }));
    });
    expect(got).toBe(sent);
  });

  it('an answer that breaks off before its first byte is a 502 naming the upstream, sized or chunked, and the cut is recorded as one', async () => {
    let sized = true;
    const base = await listen((_req, res) => {
      res.writeHead(200, sized ? { 'content-type': 'application/json', 'content-length': '90' } : { 'content-type': 'application/json' });
      res.flushHeaders();
      setTimeout(() => res.destroy(), 50);
    });
    await start(base);
    // The 502 stands for the answer: like any answer the client has whole, it leaves after its row's journal write.
    const order: string[] = [];
    const journalWrite = Journal.prototype.write;
    vi.spyOn(Journal.prototype, 'write').mockImplementation(function (this: Journal) {
      if (this.pending) order.push('journal');
      journalWrite.call(this);
    });
    const end = http.ServerResponse.prototype.end;
    vi.spyOn(http.ServerResponse.prototype, 'end').mockImplementation(function (this: http.ServerResponse, ...args: unknown[]) {
      if (this.statusCode === 502) order.push('502');
      return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
    } as typeof end);
    for (const kind of ['sized', 'chunked']) {
      sized = kind === 'sized';
      const res = await chat(proxy.url);
      expect(res.status, kind).toBe(502);
      const body = (await res.json()) as { error: { message: string; code: string } };
      expect(body.error.code).toBe('bad_gateway');
      expect(body.error.message).toBe(`openai at ${base} broke off its answer (status 200) before sending any of it. Try again.`);
    }
    expect(order).toEqual(['journal', '502', 'journal', '502']);
    await proxy.settled();
    expect(core.db.prepare("SELECT COUNT(*) AS n FROM usage_events WHERE json_extract(metadata, '$.estimated') = 1 AND json_extract(metadata, '$.cut') = 'upstream'").get()).toEqual({ n: 2 });
  });

  it('a stream that comes with a Content-Length reaches the client event by event, not a read late', async () => {
    const events = ['data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n', 'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}\n\ndata: [DONE]\n\n'];
    let clientHasFirst: () => void = () => {};
    const firstArrived = new Promise<void>((r) => (clientHasFirst = r));
    await start(
      await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': String(Buffer.byteLength(events.join(''))) });
        res.write(events[0]);
        // The rest only once the client has the first event (a model that waits between tokens).
        void firstArrived.then(() => res.end(events[1]));
      }),
    );
    const res = await chat(proxy.url, { stream: true, stream_options: { include_usage: true } });
    const reader = res.body!.getReader();
    let text = '';
    const first = await Promise.race([reader.read(), new Promise<'late'>((r) => setTimeout(() => r('late'), 5_000))]);
    expect(first).not.toBe('late');
    text += Buffer.from((first as { value: Uint8Array }).value).toString();
    expect(text).toBe(events[0]);
    clientHasFirst();
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += Buffer.from(r.value).toString();
    expect(text).toBe(events.join(''));
    await proxy.settled();
    const rows = core.db.prepare('SELECT input_tokens, output_tokens, metadata FROM usage_events').all() as { input_tokens: number; output_tokens: number; metadata: string }[];
    expect(rows.map((r) => [r.input_tokens, r.output_tokens])).toEqual([[3, 1]]);
    expect(JSON.parse(rows[0]!.metadata)).not.toHaveProperty('estimated');
  });

  it('a client that gives up while the proxy still waits for a connection to the upstream is charged nothing', async () => {
    // An upstream whose accept queue is full: the connection never completes (python: Node always accepts).
    const py = spawn('python3', ['-c', 'import socket,time,sys\ns=socket.socket();s.bind(("127.0.0.1",0));s.listen(0);print(s.getsockname()[1]);sys.stdout.flush();time.sleep(30)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const fillers: net.Socket[] = [];
    try {
      const port = Number(
        await new Promise<string>((resolve, reject) => {
          py.once('error', (error) => reject(new Error(`python3 is needed for this test (.ci/run installs it): ${error.message}`)));
          py.stdout!.once('data', (d: Buffer) => resolve(String(d).trim()));
        }),
      );
      for (let i = 0; i < 4; i++) fillers.push(net.connect(port, '127.0.0.1').on('error', () => {}));
      await new Promise((r) => setTimeout(r, 300));
      await start(`http://127.0.0.1:${port}`);
      const gaveUp = new AbortController();
      setTimeout(() => gaveUp.abort(), 500);
      await expect(fetch(`${proxy.url}/openai/v1/chat/completions`, { method: 'POST', signal: gaveUp.signal, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(4000) }] }) })).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 200)); // the proxy sees the client's connection close
      await proxy.settled();
      expect(core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get()).toEqual({ n: 0 });
      expect(proxy.inFlight()).toBe(0);
    } finally {
      for (const f of fillers) f.destroy();
      py.kill();
    }
  });

  it('a body the proxy does not read (a file upload) streams through whatever its size; the limit is for bodies it reads whole', async () => {
    let got = 0;
    const base = await listen((req, res) => {
      req.on('data', (c: Buffer) => (got += c.length)).on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"bytes":${got}}`));
    });
    home = tempHome('burnrate-proxy-faults-');
    core = openCore({ home, env: { BURNRATE_OPENAI_BASE_URL: base }, timeZone: 'UTC' });
    proxy = await startProxy(core, core.prices, { port: 0, maxBodyBytes: 2000 });
    const upload = await fetch(`${proxy.url}/openai/v1/files`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(5000, 1) });
    expect([upload.status, await upload.text()]).toEqual([200, '{"bytes":5000}']);
    const metered = await chat(proxy.url, { messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    expect(metered.status).toBe(413);
  });

  it('a malformed project in the path is a 400 in the provider\'s shape, not a failure of the proxy', async () => {
    fake = await startFakeUpstream();
    await start(fake.url);
    const res = await fetch(`${proxy.url}/p/%ZZ/openai/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4o","messages":[]}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^The project in the path \/p\/%ZZ\/ is not valid percent-encoding/);
    expect(fake.served.requests).toBe(0);
  });
});

describe('a ledger in trouble under an enforced budget', () => {
  beforeEach(async () => {
    fake = await startFakeUpstream();
    await start(fake.url);
  });

  // (A failure at the transaction's commit, after the grant, is undone too: admission.ts; a
  // trigger can only refuse the row's insert, before it.)
  it('a reservation row the ledger refuses fails no request, and leaves none held', async () => {
    enforceDaily(1);
    // The ledger refuses the reservation's row (as a full disk or a failing one would).
    core.db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.proxy_reservations BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const client = new OpenAI({ apiKey: 'sk-x', baseURL: `${proxy.url}/openai/v1`, maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] }).then(() => 'ok', (e: { status?: number }) => e.status);
    for (let i = 0; i < 3; i++) expect(await ask()).toBe('ok');
    core.db.exec('DROP TRIGGER temp.refuse');
    await proxy.settled();
    expect(proxy.inFlight()).toBe(0);
    for (let i = 0; i < 5; i++) expect(await ask()).toBe('ok');
  });

  it('budget checks after a write never wait for another process\'s lock: requests go on meanwhile', async () => {
    applyBudgetChange(core.db, { daily: 1_000_000_000, reserveBp: 0 }, new Date()); // warn: checks run, nothing refused
    core.usage.write([{ source: 'manual', provider: 'openai', model: 'gpt-4o-mini', costNano: 950_000_000, occurredAt: new Date() }]); // 95 %: an alert to store
    const client = new OpenAI({ apiKey: 'sk-x', baseURL: `${proxy.url}/openai/v1`, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await proxy.settled(); // its row is in; its announcement (the budget checks) comes within half a second
    const other = new Database(path.join(home, 'ledger.sqlite'));
    other.prepare('BEGIN IMMEDIATE').run();
    let releasedAt = 0;
    const releaser = setTimeout(() => {
      other.prepare('ROLLBACK').run();
      releasedAt = performance.now();
    }, 3_000);
    try {
      await new Promise((r) => setTimeout(r, 600)); // the announcement has run by now, against the lock
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'y' }] });
      expect(releasedAt).toBe(0); // answered while the other process still held the lock
    } finally {
      clearTimeout(releaser);
      if (other.inTransaction) other.prepare('ROLLBACK').run();
      other.close();
    }
  });
});
