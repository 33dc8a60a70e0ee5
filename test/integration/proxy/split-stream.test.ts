import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';

/**
 * A streamed chat answer whose bytes reach the proxy cut anywhere (mid-event, mid-character), the
 * client not asking for usage: the proxy asks the upstream for it, reads it, and hides that chunk.
 * The client must get every other byte exactly, in order, and the row the exact usage. The proxy
 * passes a chunk on as it came only when its events are exactly its bytes (server.ts), so cuts
 * inside events are what this checks.
 */
const WORDS = ['Hé', ' "quoted"', ' ☃', ' 😀', ' \\ back', '\nline'];
const chunk = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
const base = { id: 'chatcmpl-split1', object: 'chat.completion.chunk', created: 1_764_000_000, model: 'gpt-4o-mini' };
const visible =
  chunk({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null }) +
  WORDS.map((w) => chunk({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }], usage: null })).join('') +
  chunk({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null });
const usageChunk = chunk({ ...base, choices: [], usage: { prompt_tokens: 40, completion_tokens: 6, total_tokens: 46, prompt_tokens_details: { cached_tokens: 10 } } });
const done = 'data: [DONE]\n\n';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An upstream that writes the stream (then `tail`) in pieces of `size` bytes, each after the previous was flushed. */
async function splittingUpstream(size: number, tail = ''): Promise<{ url: string; asked: () => unknown }> {
  let asked: unknown = null;
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      asked = (JSON.parse(Buffer.concat(parts).toString('utf8')) as { stream_options?: unknown }).stream_options;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const bytes = Buffer.from(visible + usageChunk + done + tail, 'utf8');
      let at = 0;
      const next = () => {
        if (at >= bytes.length) return res.end();
        const piece = bytes.subarray(at, at + size);
        at += size;
        res.write(piece, () => setImmediate(next)); // one piece per write, so the proxy reads them apart
      };
      next();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked: () => asked };
}

async function proxyTo(upstream: string): Promise<{ core: Core; proxy: RunningProxy }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-split-'));
  const core = openCore({ home, env: { BURNRATE_OPENAI_BASE_URL: `${upstream}/v1` }, timeZone: 'UTC' });
  const proxy = await startProxy(core, core.prices, { port: 0 });
  closers.push(() => fs.rmSync(home, { recursive: true, force: true }));
  closers.push(() => core.close());
  closers.push(() => proxy.close());
  return { core, proxy };
}

describe('a stream cut anywhere on its way in', () => {
  for (const size of [1, 7, 64, 1 << 16]) {
    it(`in pieces of ${size} bytes: the client gets every byte but the usage chunk, and the row the exact usage`, async () => {
      const upstream = await splittingUpstream(size);
      const { core, proxy } = await proxyTo(upstream.url);
      const res = await fetch(`${proxy.url}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-split' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const received = Buffer.from(await res.arrayBuffer()).toString('utf8');
      expect(upstream.asked()).toEqual({ include_usage: true }); // asked for by the proxy...
      expect(received).toBe(visible + done); // ...and taken out again: nothing else changed
      await proxy.settled();
      const row = core.db.prepare(`SELECT external_id, input_tokens, cached_input_tokens, output_tokens, metadata FROM usage_events WHERE source = 'proxy'`).get() as Record<string, unknown>;
      expect(row).toMatchObject({ external_id: 'chatcmpl-split1', input_tokens: 30, cached_input_tokens: 10, output_tokens: 6 });
      expect(JSON.parse(row.metadata as string)).not.toHaveProperty('estimated');
    });
  }

  // The client asks for usage itself: nothing is hidden, so whole chunks go out as they came and a
  // chunk is split only at the end marker (server.ts). Bytes after the marker (a comment here) must
  // follow it in order, after the row's journal write.
  const tail = ': upstream keep-alive after the end\n\n';
  for (const size of [1, 7, 64, 1 << 16]) {
    it(`in pieces of ${size} bytes, usage asked by the client: every byte passes, in order, and the row has the exact usage`, async () => {
      const upstream = await splittingUpstream(size, tail);
      const { core, proxy } = await proxyTo(upstream.url);
      const res = await fetch(`${proxy.url}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-split' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const received = Buffer.from(await res.arrayBuffer()).toString('utf8');
      expect(upstream.asked()).toEqual({ include_usage: true });
      expect(received).toBe(visible + usageChunk + done + tail);
      await proxy.settled();
      const row = core.db.prepare(`SELECT external_id, input_tokens, cached_input_tokens, output_tokens FROM usage_events WHERE source = 'proxy'`).get();
      expect(row).toMatchObject({ external_id: 'chatcmpl-split1', input_tokens: 30, cached_input_tokens: 10, output_tokens: 6 });
    });
  }
});
