import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';
import { runProxy } from './run-proxy';

// The providers answer over HTTPS: `burnrate proxy`, as a user runs it, forwards to a TLS upstream
// on 127.0.0.1 whose certificate (made here with openssl) Node trusts through NODE_EXTRA_CA_CERTS,
// as a user behind a company's TLS-inspecting gateway would set it.

let fake: FakeUpstream;
let tlsFront: tls.Server;
let upstream: string;
let certFile: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-tls-'));
  certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  // TLS in front of the fake upstream: each connection's bytes, decrypted, go on to the fake's port.
  const fakePort = Number(new URL(fake.url).port);
  tlsFront = tls.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, (secure) => {
    const plain = net.connect(fakePort, '127.0.0.1');
    secure.pipe(plain).pipe(secure);
    secure.on('error', () => plain.destroy());
    plain.on('error', () => secure.destroy());
  });
  await new Promise<void>((r) => tlsFront.listen(0, '127.0.0.1', r));
  upstream = `https://127.0.0.1:${(tlsFront.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => tlsFront.close(() => r()));
  await fake.close();
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('the proxy in front of an HTTPS upstream', () => {
  it('meters JSON and streamed answers that came over TLS', async () => {
    const home = tempHome('burnrate-proxy-tls-');
    const proxy = await runProxy({ BURNRATE_HOME: home, BURNRATE_OPENAI_BASE_URL: upstream, NODE_EXTRA_CA_CERTS: certFile }, children);
    const client = new OpenAI({ apiKey: 'sk-tls-test', baseURL: `${proxy.line}/openai/v1`, maxRetries: 0 });
    const json = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    let streamedText = '';
    for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-fake-output': '7' } })) {
      streamedText += chunk.choices[0]?.delta.content ?? '';
    }
    expect(json.usage?.completion_tokens).toBe(20);
    expect(streamedText).toBe('tok '.repeat(7));
    proxy.child.kill('SIGTERM'); // writes its last rows as it stops
    expect(await proxy.exited).toBe(0);
    const core = openCore({ home, env: {}, timeZone: 'UTC' });
    try {
      const rows = core.db.prepare(`SELECT external_id, output_tokens, metadata FROM usage_events WHERE source = 'proxy' ORDER BY id`).all() as { external_id: string; output_tokens: number; metadata: string }[];
      expect(rows.map((r) => [r.external_id === json.id, r.output_tokens, JSON.parse(r.metadata).stream])).toEqual([
        [true, 20, false],
        [false, 7, true],
      ]);
    } finally {
      core.close();
    }
  });

  it('an upstream whose certificate is not trusted gets a 502 saying so and what to set, and nothing is recorded', async () => {
    const home = tempHome('burnrate-proxy-tls-');
    const proxy = await runProxy({ BURNRATE_HOME: home, BURNRATE_OPENAI_BASE_URL: upstream }, children);
    const refused = await new OpenAI({ apiKey: 'sk-tls-test', baseURL: `${proxy.line}/openai/v1`, maxRetries: 0 }).chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e as { status: number; message: string });
    expect((refused as { status: number }).status).toBe(502);
    expect((refused as { message: string }).message).toContain(`could not get an answer from openai at ${upstream} (its TLS certificate is not trusted: DEPTH_ZERO_SELF_SIGNED_CERT; behind a gateway with its own certificate authority, set NODE_EXTRA_CA_CERTS to that authority's file)`);
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    const core = openCore({ home, env: {}, timeZone: 'UTC' });
    try {
      expect(core.db.prepare(`SELECT count(*) AS n FROM usage_events`).get()).toEqual({ n: 0 });
    } finally {
      core.close();
    }
  });
});
