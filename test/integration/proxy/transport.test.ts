import http, { type IncomingHttpHeaders } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

// The proxy's own transport, against real sockets: what a request and its answer go through on
// their way between the client and the upstream, whatever the upstream does.

const KEY = 'sk-test-transport';

/** A local upstream whose answers the test writes: it keeps what each request carried. */
async function scriptedUpstream(answer: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void) {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A local upstream that answers each request with the bytes `answer` gives, as written: any status line, any headers. */
async function rawUpstream(answer: () => string[]) {
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      // Each part in a write of its own, 20 ms apart (as a server that sends 103 Early Hints first
      // would); then the connection closes, so each request gets a connection, and an answer, of its own.
      answer().forEach((part, i, parts) => setTimeout(() => (i === parts.length - 1 ? socket.end(part) : socket.write(part)), 20 * i));
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** One raw request to the proxy, with its status, headers and whole body. */
function send(url: string, options: http.RequestOptions, body?: Buffer | ((req: http.ClientRequest) => void)) {
  return new Promise<{ status: number; reason: string; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}

let home: string;
let core: Core;
let proxies: RunningProxy[];
let fake: FakeUpstream;

async function proxyTo(upstream: string, options: Parameters<typeof startProxy>[2] = {}): Promise<RunningProxy> {
  const proxy = await startProxy(core, core.prices, { port: 0, env: { BURNRATE_OPENAI_BASE_URL: upstream }, ...options });
  proxies.push(proxy);
  return proxy;
}

const rows = () => core.db.prepare(`SELECT model, input_tokens, output_tokens, metadata FROM usage_events WHERE source = 'proxy'`).all() as { model: string; input_tokens: number; output_tokens: number; metadata: string }[];

beforeEach(async () => {
  home = tempHome('burnrate-transport-');
  core = openCore({ home, env: {}, timeZone: 'UTC' });
  proxies = [];
  fake = await startFakeUpstream();
});
afterEach(async () => {
  for (const p of proxies) await p.close();
  core.close();
  await fake.close();
});

describe('the proxy between client and upstream', () => {
  it('an upstream that never answers gets a 504 in the provider shape, naming it; nothing is charged or held', async () => {
    const silent = await scriptedUpstream(() => {}); // reads the request, never answers
    try {
      const proxy = await proxyTo(silent.url, { upstreamTimeoutMs: 300 });
      const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }));
      const answer = await send(`${proxy.url}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } }, body);
      expect(answer.status).toBe(504);
      const error = JSON.parse(answer.body.toString()) as { error: { message: string; code: string } };
      expect(error.error.message).toContain(`Burnrate could not get an answer from openai at ${silent.url} (no answer within 300 ms); nothing was charged.`);
      expect(error.error.code).toBe('gateway_timeout');
      expect(silent.seen).toHaveLength(1); // it was forwarded, whole
      expect(silent.seen[0]!.body.equals(body)).toBe(true);
      await proxy.settled();
      expect(rows()).toEqual([]);
      expect(proxy.inFlight()).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it('a call it does not meter passes both ways unread: a streamed upload byte for byte, a GET without a body, the status, every header, repeated ones included', async () => {
    const echo = await scriptedUpstream((req, body, res) => {
      res.writeHead(201, 'Made', [['content-type', 'application/octet-stream'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-upstream', 'yes']]);
      res.end(body);
    });
    try {
      const proxy = await proxyTo(echo.url);
      const upload = Buffer.alloc(300_000, 7);
      upload.write('first bytes');
      // Chunked, in pieces, as a file upload goes: the proxy streams it on without knowing its length.
      const answer = await send(`${proxy.url}/openai/v1/files?purpose=batch`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'x-burnrate-project': 'web', 'content-type': 'application/octet-stream' } }, (req) => {
        for (let at = 0; at < upload.length; at += 65_536) req.write(upload.subarray(at, at + 65_536));
        req.end();
      });
      expect([answer.status, answer.reason]).toEqual([201, 'Made']);
      expect(answer.body.equals(upload)).toBe(true);
      expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
      expect(answer.headers['x-upstream']).toBe('yes');
      const got = echo.seen[0]!;
      expect([got.method, got.url]).toEqual(['POST', '/v1/files?purpose=batch']);
      expect(got.body.equals(upload)).toBe(true);
      expect(got.headers.authorization).toBe(`Bearer ${KEY}`); // the client's key passes untouched
      expect(got.headers['x-burnrate-project']).toBeUndefined(); // Burnrate's own headers stay here
      expect(got.headers.host).toBe(new URL(echo.url).host);
      // A GET carries no body: none goes on (not even an empty chunked one).
      const list = await send(`${proxy.url}/openai/v1/models`, { method: 'GET', headers: { authorization: `Bearer ${KEY}` } });
      expect([list.status, list.body.length]).toEqual([201, 0]);
      expect(echo.seen[1]).toMatchObject({ method: 'GET', url: '/v1/models' });
      expect(echo.seen[1]!.headers['transfer-encoding']).toBeUndefined();
      expect(echo.seen[1]!.headers['content-length']).toBeUndefined();
      await proxy.settled();
      expect(rows()).toEqual([]);
    } finally {
      await echo.close();
    }
  });

  it('a client that sends Expect: 100-continue is answered by the proxy and metered as usual', async () => {
    const proxy = await proxyTo(fake.url);
    const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }));
    const answer = await send(`${proxy.url}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': body.length, expect: '100-continue' } }, (req) => {
      req.on('continue', () => req.end(body)); // the body goes only once the proxy said to
    });
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body.toString()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(20);
    expect(fake.served.lastHeaders.expect).toBeUndefined();
    await proxy.settled();
    expect(rows()).toMatchObject([{ model: 'gpt-4o-mini', output_tokens: 20 }]);
  });

  it('an upstream that answers unusually is still passed on and metered: Early Hints first, a reason phrase node cannot send, a repeated Content-Type', async () => {
    const usage = { prompt_tokens: 5, completion_tokens: 7 };
    const json = (id: string) => JSON.stringify({ id, model: 'gpt-4o-mini', choices: [], usage });
    const chunk = (o: object) => `data: ${JSON.stringify({ id: 'chatcmpl-odd-stream', object: 'chat.completion.chunk', model: 'gpt-4o-mini', ...o })}\n\n`;
    const stream = chunk({ choices: [{ index: 0, delta: { content: 'hi' } }], usage: null }) + chunk({ choices: [], usage }) + 'data: [DONE]\n\n';
    const answers = [
      // 103 Early Hints, then the answer in a later write.
      () => ['HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n', `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${json('chatcmpl-hinted').length}\r\n\r\n${json('chatcmpl-hinted')}`],
      // A reason phrase in UTF-8, which node:http's writeHead refuses: the status goes on without it.
      () => [`HTTP/1.1 200 OK \u2713\r\ncontent-type: application/json\r\ncontent-length: ${json('chatcmpl-reason').length}\r\n\r\n${json('chatcmpl-reason')}`],
      // The stream's Content-Type twice: still a stream, so the usage chunk the client did not ask for stays out.
      () => [`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${Buffer.byteLength(stream).toString(16)}\r\n${stream}\r\n0\r\n\r\n`],
    ];
    let next = 0;
    const odd = await rawUpstream(() => answers[next++]!());
    try {
      const proxy = await proxyTo(odd.url);
      const ask = (stream: boolean) => send(`${proxy.url}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } }, Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'x' }] })));
      const hinted = await ask(false);
      expect([hinted.status, hinted.body.toString()]).toEqual([200, json('chatcmpl-hinted')]);
      const unusual = await ask(false);
      expect([unusual.status, unusual.reason, unusual.body.toString()]).toEqual([200, 'OK', json('chatcmpl-reason')]);
      const doubled = await ask(true);
      expect(doubled.status).toBe(200);
      expect(doubled.body.toString()).toBe(chunk({ choices: [{ index: 0, delta: { content: 'hi' } }], usage: null }) + 'data: [DONE]\n\n');
      await proxy.settled();
      expect(rows().map((r) => [r.input_tokens, r.output_tokens, JSON.parse(r.metadata).estimated ?? false])).toEqual([
        [5, 7, false],
        [5, 7, false],
        [5, 7, false],
      ]);
      expect(proxy.inFlight()).toBe(0);
    } finally {
      await odd.close();
    }
  });

  it('a client that reads slowly holds the upstream back, loses nothing, and the row has the exact usage', async () => {
    const deltas = 10_000; // 3,000 characters each, 30 MB: more than every socket buffer between the three can hold
    let upstreamAnswer: http.ServerResponse | undefined;
    const streaming = await scriptedUpstream((_req, body, res) => {
      upstreamAnswer = res;
      const chunk = (o: object) => `data: ${JSON.stringify({ id: 'chatcmpl-slow', object: 'chat.completion.chunk', model: 'gpt-4o-mini', ...o })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }], usage: null }));
      const delta = chunk({ choices: [{ index: 0, delta: { content: 'token '.repeat(500) } }], usage: null });
      for (let i = 0; i < deltas; i += 100) res.write(delta.repeat(100)); // written at once: the socket queues what it cannot send
      res.write(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }));
      if ((JSON.parse(body.toString()) as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage) res.write(chunk({ choices: [], usage: { prompt_tokens: 9, completion_tokens: deltas } }));
      res.end('data: [DONE]\n\n');
    });
    try {
      const proxy = await proxyTo(streaming.url);
      const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }] }));
      let queuedUpstream = 0;
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${proxy.url}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } }, (res) => {
          const parts: string[] = [];
          res.setEncoding('utf8');
          res.once('data', (first: string) => {
            parts.push(first);
            res.pause(); // this client's socket fills; the proxy must then stop reading the upstream
            setTimeout(() => {
              queuedUpstream = upstreamAnswer!.writableLength; // what the upstream could not hand to the proxy
              res.on('data', (more: string) => parts.push(more));
              res.resume();
            }, 500);
          });
          res.on('end', () => resolve(parts.join('')));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(queuedUpstream).toBeGreaterThan(10_000_000);
      const events = text.split('\n\n').filter(Boolean);
      // The role chunk, every text delta, the stop chunk and [DONE]; the usage chunk the proxy asked for stays out.
      expect(events).toHaveLength(deltas + 3);
      expect(events.at(-1)).toBe('data: [DONE]');
      expect(text.includes('"usage":{')).toBe(false);
      await proxy.settled();
      expect(rows()).toMatchObject([{ model: 'gpt-4o-mini', input_tokens: 9, output_tokens: deltas }]);
      expect(JSON.parse(rows()[0]!.metadata)).not.toHaveProperty('estimated');
    } finally {
      await streaming.close();
    }
  });
});
