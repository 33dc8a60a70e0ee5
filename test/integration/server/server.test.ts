import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contract } from '../../../src/api/contract';
import { openCore, type Core } from '../../../src/app/open';
import { startServer, type RunningServer } from '../../../src/server';
import { fixedClock } from '../../../src/time';
import { openEvents, request } from './http';

const SECRET = 'not-for-the-browser-4b1d';

/** A stand-in for dist/renderer: index.html and hashed assets, with a secret file beside it. */
function makeSite(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-site-'));
  const site = path.join(root, 'site');
  fs.mkdirSync(path.join(site, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Burnrate</title><script type="module" src="/assets/app-1a2b.js"></script>');
  fs.writeFileSync(path.join(site, 'assets', 'app-1a2b.js'), 'console.log("app")');
  fs.writeFileSync(path.join(site, 'assets', 'app-1a2b.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(site, 'assets', 'link.txt'));
  return site;
}

let core: Core;
let server: RunningServer;
let site: string;
let bearer: Record<string, string>;
let host: Record<string, string>;

beforeAll(async () => {
  core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone: 'UTC' });
  site = makeSite();
  server = await startServer(core, { port: 0, staticDir: site });
  host = { Host: `127.0.0.1:${server.port}` };
  bearer = { ...host, Authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server?.close();
  core?.close();
});

const recordBody = (id: string) => JSON.stringify({ provider: 'openai', model: 'gpt-4o-mini', cost: '1.06', id });

describe('burnrate serve: binding and token', () => {
  it('listens on 127.0.0.1 only, with a fresh 32-byte token in the URL', async () => {
    expect(server.address).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const other = await startServer(core, { port: 0, staticDir: site });
    try {
      expect(other.token).not.toBe(server.token);
    } finally {
      await other.close();
    }
  });

  it('cannot be reached on another interface of this machine', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // a machine with loopback only: the bound address above is the proof
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: external.address, port: server.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('refuses a second server on a port in use with a sentence', async () => {
    await expect(startServer(core, { port: server.port, staticDir: site })).rejects.toThrow(/already in use/);
  });

  it('refuses a configured token that is short or unsafe', async () => {
    await expect(startServer(core, { port: 0, token: 'short' })).rejects.toThrow(/16 to 256 characters/);
    await expect(startServer(core, { port: 0, token: 'has space and ; semicolon!!' })).rejects.toThrow(/16 to 256 characters/);
  });
});

describe('burnrate serve: /api', () => {
  it('GET /api/status with the bearer token answers the status, never cached', async () => {
    const r = await request(server.port, { path: '/api/status', headers: bearer });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json()).toMatchObject({ timezone: 'UTC', day: { date: '2026-03-10' }, month: { month: '2026-03' } });
  });

  it('401 without a token, with a wrong one, or with a wrong bearer beside a good cookie', async () => {
    const none = await request(server.port, { path: '/api/status', headers: host });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.json().error.message).toMatch(/token/);
    const wrong = await request(server.port, { path: '/api/status', headers: { ...host, Authorization: `Bearer ${server.token}x` } });
    expect(wrong.status).toBe(401);
    const cookie = `burnrate_session_${server.port}=${server.token}`;
    const mixed = await request(server.port, { path: '/api/status', headers: { ...host, Cookie: cookie, Authorization: 'Bearer nope' } });
    expect(mixed.status).toBe(401);
    const unknown = await request(server.port, { path: '/api/nosuchmethod', headers: host });
    expect(unknown.status).toBe(401); // auth comes before the method lookup
  });

  it('refuses a foreign Host header before anything else (DNS rebinding)', async () => {
    for (const h of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `0.0.0.0:${server.port}`]) {
      const r = await request(server.port, { path: '/api/status', headers: { Host: h, Authorization: `Bearer ${server.token}` } });
      expect(r.status, h).toBe(421);
      expect(r.json().error.message).toMatch(/answers only to 127\.0\.0\.1/);
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    }
    const page = await request(server.port, { path: `/?token=${server.token}`, headers: { Host: 'evil.example' } });
    expect(page.status).toBe(421);
    expect(page.headers['set-cookie']).toBeUndefined();
    const local = await request(server.port, { path: '/api/status', headers: { ...bearer, Host: `localhost:${server.port}` } });
    expect(local.status).toBe(200);
  });

  it('serves every method of the contract with the verb of its kind (GET reads, POST writes)', async () => {
    for (const [name, spec] of Object.entries(contract)) {
      const wrongVerb = spec.kind === 'read' ? 'POST' : 'GET';
      const r = await request(server.port, { method: wrongVerb, path: `/api/${name}`, headers: { ...bearer, 'Content-Type': 'application/json' }, body: wrongVerb === 'POST' ? '{}' : undefined });
      expect(r.status, name).toBe(405);
      expect(r.headers.allow, name).toBe(spec.kind === 'read' ? 'GET' : 'POST');
    }
    const missing = await request(server.port, { path: '/api/nosuchmethod', headers: bearer });
    expect(missing.status).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const proto = await request(server.port, { path: '/api/__proto__', headers: bearer });
    expect(proto.status).toBe(404);
  });

  it('GET /api lists every contract method with its verb, and the events', async () => {
    const r = await request(server.port, { path: '/api', headers: bearer });
    expect(r.status).toBe(200);
    const listed = r.json();
    expect(listed.methods.map((m: { method: string }) => m.method).sort()).toEqual(Object.keys(contract).sort());
    expect(listed.methods).toContainEqual(expect.objectContaining({ method: 'record', verb: 'POST', path: '/api/record' }));
    expect(listed.methods).toContainEqual(expect.objectContaining({ method: 'status', verb: 'GET', path: '/api/status' }));
    expect(listed.events).toEqual(['statusChanged', 'alertFired', 'reminderDue', 'syncFinished']);
    expect((await request(server.port, { path: '/api', headers: host })).status).toBe(401);
  });

  it('POST /api/record with a JSON body records, and shows in status', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/record', headers: { ...bearer, 'Content-Type': 'application/json; charset=utf-8' }, body: recordBody('http-1') });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ id: 'http-1', outcome: 'inserted', costUsd: '1.06', localDay: '2026-03-10' });
    const s = await request(server.port, { path: '/api/status', headers: bearer });
    expect(s.json().providers).toEqual([expect.objectContaining({ provider: 'openai', todaySpentUsd: '1.06' })]);
  });

  it('a bad body is a 400 with a sentence: invalid fields, malformed JSON, wrong type, too large', async () => {
    const json = { ...bearer, 'Content-Type': 'application/json' };
    const invalid = await request(server.port, { method: 'POST', path: '/api/record', headers: json, body: JSON.stringify({ provider: 'open ai!', model: 'm', cost: 'lots' }) });
    expect(invalid.status).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'invalid_input' });
    expect(invalid.json().error.message).toMatch(/^Invalid input: provider must be a provider name.*cost must be an amount in US dollars/);

    const malformed = await request(server.port, { method: 'POST', path: '/api/record', headers: json, body: '{"provider": "openai",' });
    expect(malformed.status).toBe(400);
    expect(malformed.json().error.message).toMatch(/^The request body is not valid JSON/);

    const text = await request(server.port, { method: 'POST', path: '/api/record', headers: { ...bearer, 'Content-Type': 'text/plain' }, body: recordBody('x') });
    expect(text.status).toBe(415);
    expect(text.json().error.message).toMatch(/Content-Type: application\/json/);

    const huge = await request(server.port, { method: 'POST', path: '/api/record', headers: json, body: JSON.stringify({ model: 'x'.repeat(1024 * 1024 + 10) }) });
    expect(huge.status).toBe(413);

    const inQuery = await request(server.port, { method: 'POST', path: '/api/record?provider=openai', headers: json, body: recordBody('q') });
    expect(inQuery.status).toBe(400);
  });

  it('reads no folder an HTTP caller names: agentsImport with a path is refused before the core looks at it', async () => {
    const json = { ...bearer, 'Content-Type': 'application/json' };
    for (const folder of ['/', '/no/such/folder']) {
      const named = await request(server.port, { method: 'POST', path: '/api/agentsImport', headers: json, body: JSON.stringify({ agent: 'claude-code', path: folder }) });
      expect(named.status).toBe(400);
      // The same sentence whether the folder exists or not: nothing is learnt about this machine.
      expect(named.json().error.message).toBe('agentsImport over HTTP reads the usual folders only: a folder of this machine (path) is named in the desktop app or on its command line.');
    }
  });

  it('GET inputs come from the query string, typed by the schema (numbers coerced, text kept)', async () => {
    for (let i = 0; i < 3; i++) {
      await request(server.port, { method: 'POST', path: '/api/record', headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify({ provider: 'groq', model: '4', cost: '0.10', id: `g-${i}` }) });
    }
    const page = await request(server.port, { path: '/api/history?provider=groq&model=4&limit=2', headers: bearer });
    expect(page.status).toBe(200);
    const body = page.json();
    expect(body.rows).toHaveLength(2);
    expect(body.total).toBe(3);
    expect(body.rows.every((r: { model: string }) => r.model === '4')).toBe(true);

    const bad = await request(server.port, { path: '/api/history?limit=many', headers: bearer });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toMatch(/^Invalid input: limit/);
    const twice = await request(server.port, { path: '/api/history?limit=1&limit=2', headers: bearer });
    expect(twice.status).toBe(400);
    expect(twice.json().error.message).toMatch(/"limit" was given 2 times/);
    const unknown = await request(server.port, { path: '/api/status?verbose=1', headers: bearer });
    expect(unknown.status).toBe(400);
    expect(unknown.json().error.message).toMatch(/unknown field verbose/);
  });
});

describe('burnrate serve: the dashboard session', () => {
  it('exchanges ?token= for an HttpOnly SameSite=Strict cookie and a 303 without the token; /api then works with the cookie', async () => {
    const r = await request(server.port, { path: `/?token=${server.token}`, headers: host });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const setCookie = r.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^burnrate_session_${server.port}=`));
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    expect(r.headers['referrer-policy']).toBe('no-referrer');

    const cookie = setCookie.split(';')[0]!;
    const s = await request(server.port, { path: '/api/status', headers: { ...host, Cookie: `other=1; ${cookie}` } });
    expect(s.status).toBe(200);

    const deep = await request(server.port, { path: `/history?token=${server.token}&tab=usage`, headers: host });
    expect(deep.status).toBe(303);
    expect(deep.headers.location).toBe('/history?tab=usage');
  });

  it("logs an override as the script's with the bearer token and as a page's with the cookie, whatever the caller claims", async () => {
    const cookie = `burnrate_session_${server.port}=${server.token}`;
    const post = (headers: Record<string, string>, method: string, body: unknown) =>
      request(server.port, { method: 'POST', path: `/api/${method}`, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const byOf = (r: Awaited<ReturnType<typeof post>>, id?: number) =>
      (r.json() as { overrides: { id: number; by: string; endedBy?: string }[] }).overrides.find((o) => (id === undefined ? true : o.id === id));
    const script = await post(bearer, 'override', { usd: '1', by: 'window', note: 'from a script' });
    expect(script.status, script.body).toBe(200);
    const scripted = (script.json() as { overrides: { id: number; by: string; note: string }[] }).overrides.find((o) => o.note === 'from a script')!;
    expect(scripted.by).toBe('api');
    const page = await post({ ...host, Cookie: cookie }, 'override', { usd: '1', by: 'tray', note: 'from the popover' });
    expect((page.json() as { overrides: { by: string; note: string }[] }).overrides.find((o) => o.note === 'from the popover')!.by).toBe('tray');
    const claim = await post({ ...host, Cookie: cookie }, 'override', { usd: '1', by: 'cli', note: 'a page claiming the CLI' });
    expect((claim.json() as { overrides: { by: string; note: string }[] }).overrides.find((o) => o.note === 'a page claiming the CLI')!.by).toBe('window');
    const ended = await post(bearer, 'overrideEnd', { id: scripted.id, by: 'tray' });
    expect(byOf(ended, scripted.id)!.endedBy).toBe('api');
  });

  it('a wrong token on the page sets no cookie', async () => {
    const r = await request(server.port, { path: '/?token=guess', headers: host });
    expect(r.status).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('a redirect cannot be turned into an open redirect', async () => {
    const r = await request(server.port, { path: `//evil.example/?token=${server.token}`, headers: host });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/evil.example');
  });

  it('with the cookie, a write from another origin is refused (CSRF), from ours accepted', async () => {
    const cookie = { ...host, Cookie: `burnrate_session_${server.port}=${server.token}`, 'Content-Type': 'application/json' };
    const foreign = await request(server.port, { method: 'POST', path: '/api/record', headers: { ...cookie, Origin: 'http://127.0.0.1:9999' }, body: recordBody('csrf') });
    expect(foreign.status).toBe(403);
    const nullOrigin = await request(server.port, { method: 'POST', path: '/api/record', headers: { ...cookie, Origin: 'null' }, body: recordBody('csrf') });
    expect(nullOrigin.status).toBe(403);
    const sameSite = await request(server.port, { path: '/api/status', headers: { ...cookie, 'Sec-Fetch-Site': 'same-site' } });
    expect(sameSite.status).toBe(403);
    const ours = await request(server.port, {
      method: 'POST',
      path: '/api/record',
      headers: { ...cookie, Origin: `http://127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin' },
      body: recordBody('csrf-ok'),
    });
    expect(ours.status).toBe(200);
    const history = await request(server.port, { path: '/api/history?provider=openai', headers: bearer });
    expect(history.json().rows.map((r: { externalId: string }) => r.externalId)).not.toContain('csrf');
  });
});

describe('burnrate serve: static files', () => {
  it('serves index.html without a token, assets with their types, and security headers', async () => {
    const index = await request(server.port, { path: '/', headers: host });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Burnrate</title>');
    const csp = index.headers['content-security-policy'] ?? '';
    for (const d of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toContain('unsafe');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');

    const js = await request(server.port, { path: '/assets/app-1a2b.js', headers: host });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    const css = await request(server.port, { path: '/assets/app-1a2b.css', headers: host });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('falls back to index.html for app routes, but a missing file is a 404', async () => {
    const route = await request(server.port, { path: '/window/history', headers: host });
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Burnrate</title>');
    const missing = await request(server.port, { path: '/assets/app-old.js', headers: host });
    expect(missing.status).toBe(404);
    const post = await request(server.port, { method: 'POST', path: '/', headers: host });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('refuses path traversal in every spelling, and links out of the folder', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e/secret.txt',
      '/assets/link.txt',
      '/%00index.html',
      '/%zz',
    ];
    for (const attempt of attempts) {
      const r = await request(server.port, { path: attempt, headers: host });
      expect([400, 404], attempt).toContain(r.status);
      expect(r.body, attempt).not.toContain(SECRET);
      expect(r.body, attempt).not.toContain('"devDependencies"');
    }
  });
});

describe('burnrate serve: /api/events', () => {
  it('needs the token too', async () => {
    const r = await request(server.port, { path: '/api/events', headers: host });
    expect(r.status).toBe(401);
  });

  it('streams statusChanged after a POST /api/record, and forgets a client that leaves', async () => {
    const stream = await openEvents(server.port, bearer);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-store');
    await stream.waitFor(/: connected\n/);
    expect(server.eventClients()).toBe(1);

    const r = await request(server.port, { method: 'POST', path: '/api/record', headers: { ...bearer, 'Content-Type': 'application/json' }, body: recordBody('sse-1') });
    expect(r.status).toBe(200);
    const m = await stream.waitFor(/event: statusChanged\ndata: (.*)\n\n/);
    expect(JSON.parse(m[1]!)).toEqual({ reason: 'record' });

    // Every contract event is forwarded, not only statusChanged.
    core.events.emit('syncFinished', { provider: 'openai', outcome: 'ok', rows: 2, message: 'Synced.' });
    const s = await stream.waitFor(/event: syncFinished\ndata: (.*)\n\n/);
    expect(JSON.parse(s[1]!)).toMatchObject({ provider: 'openai', rows: 2 });

    stream.close();
    await vi.waitFor(() => expect(server.eventClients()).toBe(0), { timeout: 5000, interval: 10 });
  });

  it('works with the session cookie (what EventSource sends) and sends heartbeats', async () => {
    const quick = await startServer(core, { port: 0, staticDir: site, heartbeatMs: 20 });
    try {
      const stream = await openEvents(quick.port, { Host: `127.0.0.1:${quick.port}`, Cookie: `burnrate_session_${quick.port}=${quick.token}` });
      expect(stream.status).toBe(200);
      await stream.waitFor(/: heartbeat\n\n/);
      stream.close();
    } finally {
      await quick.close();
    }
  });

  it('close() ends open streams, so shutting down never hangs on a client', async () => {
    const other = await startServer(core, { port: 0, staticDir: site });
    const stream = await openEvents(other.port, { Host: `127.0.0.1:${other.port}`, Authorization: `Bearer ${other.token}` });
    await stream.waitFor(/: connected/);
    await other.close();
    expect(other.eventClients()).toBe(0);
  });
});

describe('burnrate serve: without a built dashboard', () => {
  it('says how to build it, and the API still works', async () => {
    const empty = await startServer(core, { port: 0, staticDir: path.join(os.tmpdir(), 'burnrate-no-such-dir') });
    try {
      const h = { Host: `127.0.0.1:${empty.port}` };
      const page = await request(empty.port, { path: '/', headers: h });
      expect(page.status).toBe(503);
      expect(page.json().error.message).toMatch(/npm run build/);
      const api = await request(empty.port, { path: '/api/status', headers: { ...h, Authorization: `Bearer ${empty.token}` } });
      expect(api.status).toBe(200);
    } finally {
      await empty.close();
    }
  });
});
