import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

/**
 * The promise: "a kill -9 of the proxy mid-run: every request whose response completed to
 * the client is in the ledger after restart". The client keeps the id of every answer it received
 * whole; the proxy is killed with requests still in flight; after a restart every kept id is a row.
 * Half the answers complete while another process holds the ledger's write lock, so their rows can
 * only have survived through the row journal.
 */
let fake: FakeUpstream;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream({ keepBodies: false });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fake.release();
  await fake.close();
});

/** `burnrate proxy` as a user runs it; resolves once it prints its URL (it listens from then on). */
function runProxy(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0'], { env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n')) resolve({ child, url: out.split('\n')[0]!, exited });
    });
    child.once('exit', (code) => reject(new Error(`burnrate proxy exited with ${code}`)));
  });
}

/** One chat completion, JSON or streamed; resolves with the answer's id once the client has it all. */
async function complete(url: string, stream: boolean, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-kill-test', 'content-type': 'application/json', 'x-fake-output': '5', ...headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'count to five' }] }),
  });
  const text = await res.text(); // the whole body: the response completed to the client
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  if (!stream) return (JSON.parse(text) as { id: string }).id;
  expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  return (JSON.parse(/^data: (.*)$/m.exec(text)![1]!) as { id: string }).id;
}

describe('kill -9 of the proxy mid-run', () => {
  it('every answer that completed to the client is in the ledger after a restart, also those a locked ledger had not taken', async () => {
    const home = tempHome('burnrate-proxy-kill-');
    const env = { BURNRATE_HOME: home, BURNRATE_OPENAI_BASE_URL: fake.url };
    const first = await runProxy(env);
    const received: string[] = [];

    // Answers with a free ledger.
    received.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => complete(first.url, i % 2 === 0)))));
    // Requests still at the upstream when the proxy dies: never completed, so nothing is promised for them.
    const inFlight = Array.from({ length: 4 }, (_, i) => complete(first.url, i % 2 === 0, { 'x-fake-hold': '1' }).catch(() => 'cut'));

    // Another process holds the write lock: the proxy cannot commit, and still answers.
    const ledgerFile = path.join(home, 'ledger.sqlite');
    const other = new Database(ledgerFile);
    other.prepare('BEGIN IMMEDIATE').run();
    const locked = await Promise.all(Array.from({ length: 20 }, (_, i) => complete(first.url, i % 2 === 0)));
    received.push(...locked);
    while (fake.held() < 4) await new Promise((r) => setImmediate(r)); // the held ones reached the upstream

    first.child.kill('SIGKILL');
    await first.exited;
    other.prepare('ROLLBACK').run();
    other.close();
    expect(await Promise.all(inFlight)).toEqual(['cut', 'cut', 'cut', 'cut']);

    const ids = (): string[] => {
      const db = new Database(ledgerFile, { readonly: true });
      try {
        return (db.prepare(`SELECT external_id FROM usage_events WHERE source = 'proxy'`).pluck().all() as string[]).sort();
      } finally {
        db.close();
      }
    };
    // Before the restart the locked-out rows are not in the ledger: only the journal has them.
    const beforeRestart = ids();
    for (const id of locked) expect(beforeRestart).not.toContain(id);

    const second = await runProxy(env);
    expect(new Set(received).size).toBe(40);
    expect(ids()).toEqual([...received].sort()); // each once, none missing, nothing extra
    second.child.kill('SIGKILL');
    await second.exited;
  });
});

/**
 * An OpenAI-compatible upstream whose streams send every event, [DONE] included, and then stay
 * open: the client has the whole answer while the proxy never sees the upstream's end.
 */
async function lingeringUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = 'chatcmpl-lingering1';
      const chunk = (delta: object, usage: object | null = null, choices = true) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_764_000_000, model: 'gpt-4o-mini', choices: choices ? [{ index: 0, delta, finish_reason: null }] : [], usage })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: '' }));
      res.write(chunk({ content: 'one two three' }));
      res.write(chunk({}, { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 }, false));
      res.write('data: [DONE]\n\n'); // ...and no end
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('kill -9 after a stream\'s last event reached the client', () => {
  it('the answer is in the ledger after a restart, with its exact tokens, though the upstream never ended the stream', async () => {
    const upstream = await lingeringUpstream();
    try {
      const home = tempHome('burnrate-proxy-kill-stream-');
      const env = { BURNRATE_HOME: home, BURNRATE_OPENAI_BASE_URL: upstream.url };
      const first = await runProxy(env);
      const res = await fetch(`${first.url}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-kill-test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count to three' }] }),
      });
      expect(res.status).toBe(200);
      // Read until the client holds the stream's end marker: for an SDK the answer is complete then.
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('data: [DONE]\n\n')) {
        const { value, done } = await reader.read();
        expect(done, 'the stream ended before its [DONE]').toBe(false);
        text += decoder.decode(value, { stream: true });
      }
      first.child.kill('SIGKILL');
      await first.exited;
      await reader.cancel().catch(() => {});

      const second = await runProxy(env); // replays the journal before it prints its URL
      const db = new Database(path.join(home, 'ledger.sqlite'), { readonly: true });
      try {
        const rows = db.prepare(`SELECT external_id, input_tokens, output_tokens, metadata FROM usage_events WHERE source = 'proxy'`).all() as { external_id: string; input_tokens: number; output_tokens: number; metadata: string }[];
        expect(rows.map((r) => [r.external_id, r.input_tokens, r.output_tokens])).toEqual([['chatcmpl-lingering1', 11, 3]]);
        expect(JSON.parse(rows[0]!.metadata).estimated).toBeUndefined();
      } finally {
        db.close();
      }
      second.child.kill('SIGKILL');
      await second.exited;
    } finally {
      await upstream.close();
    }
  });
});
