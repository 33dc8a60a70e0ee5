import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { addOverride } from '../../../src/budget/overrides';
import { dispatch } from '../../../src/api/dispatch';
import { setPolicies } from '../../../src/budget/policies';
import { AnsweredModels } from '../../../src/proxy/estimate';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

// Catalogue prices of the models used, in nano-USD per token (USD per million tokens × 1000):
// gpt-4o-mini $0.15 in, $0.60 out, $0.075 cached; claude-haiku-4-5 $1 in, $5 out, $0.10 cache
// read, $1.25 5-minute cache write, $2 1-hour cache write.
const MINI = { input: 150, output: 600, cached: 75 };
const HAIKU = { input: 1000, output: 5000, cached: 100, write5m: 1250, write1h: 2000 };
const KEY = 'sk-test-secret-key-1234567890';

interface Row {
  external_id: string;
  provider: string;
  model: string;
  project: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cost_total_nano: number | null;
  cost_origin: string;
  metadata: string;
}

let fake: FakeUpstream;
let core: Core;
let proxy: RunningProxy;
let home: string;
let calls: number;

/** A fetch that counts what the SDK sends: a retried request shows up as a second call. */
const countingFetch: typeof fetch = (input, init) => {
  calls++;
  return fetch(input, init);
};

/** The proxy's rows now (for polls that wait on something else than the recorder). */
function stored(): Row[] {
  return core.db.prepare(`SELECT * FROM usage_events WHERE source = 'proxy' ORDER BY id`).all() as Row[];
}

/** The proxy's rows once every row it recorded is committed (they go in batches: recorder.ts). */
async function rows(): Promise<Row[]> {
  await proxy.settled();
  return stored();
}

function openai(extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
  return new OpenAI({ apiKey: KEY, baseURL: `${proxy.url}/openai/v1`, fetch: countingFetch, ...extra });
}

function anthropic(extra: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey: KEY, baseURL: `${proxy.url}/anthropic`, fetch: countingFetch, ...extra });
}

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  home = tempHome('burnrate-proxy-');
  const env = { BURNRATE_OPENAI_BASE_URL: fake.url, BURNRATE_ANTHROPIC_BASE_URL: fake.url, BURNRATE_GROQ_BASE_URL: fake.url };
  core = openCore({ home, env, timeZone: 'UTC' });
  proxy = await startProxy(core, core.prices, { port: 0 });
  fake.reset();
  calls = 0;
});
afterEach(async () => {
  await proxy.close();
  core.close();
});

describe('metering with the official SDKs', () => {
  it('OpenAI chat completions, JSON: one row with the provider id, exact tokens and catalogue price; the key only as its hash', async () => {
    const answer = await openai().chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] },
      { headers: { 'x-fake-output': '33', 'x-fake-cached': '8', 'X-Burnrate-Project': 'alpha' } },
    );
    expect(answer.usage?.completion_tokens).toBe(33);
    const [row] = await rows();
    expect(row).toMatchObject({ external_id: answer.id, provider: 'openai', model: 'gpt-4o-mini', project: 'alpha', output_tokens: 33, cached_input_tokens: 8, cost_origin: 'catalogue' });
    expect(row!.input_tokens).toBe(fake.served.input);
    expect(row!.cost_total_nano).toBe(fake.served.input * MINI.input + 33 * MINI.output + 8 * MINI.cached);
    expect(JSON.parse(row!.metadata).keySha256).toBe(createHash('sha256').update(KEY).digest('hex'));
    // The key reached the upstream untouched, and no byte of the ledger holds it.
    expect(fake.served.lastHeaders.authorization).toBe(`Bearer ${KEY}`);
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of fs.readdirSync(home)) {
      const file = path.join(home, f);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes(KEY)).toBe(false);
    }
  });

  it('OpenAI chat completions, streamed without include_usage: the proxy asks for usage and strips the extra chunk', async () => {
    const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }, { headers: { 'x-fake-output': '12' } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    // The client sees what it asked for: content chunks, no usage-only chunk.
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(chunks.every((c) => !c.usage)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('tok '.repeat(12));
    expect((fake.served.bodies[0] as { stream_options: unknown }).stream_options).toEqual({ include_usage: true });
    const [row] = await rows();
    expect(row).toMatchObject({ external_id: chunks[0]!.id, output_tokens: 12, input_tokens: fake.served.input });
    expect(JSON.parse(row!.metadata).estimated).toBeUndefined();
  });

  it('OpenAI chat completions, streamed with include_usage: the client gets its usage chunk, counted once', async () => {
    const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }, { headers: { 'x-fake-output': '7' } });
    let usage = null;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ completion_tokens: 7 });
    expect(await rows()).toHaveLength(1);
    expect((await rows())[0]!.output_tokens).toBe(7);
  });

  it('Responses API, JSON and streamed (response.completed usage), and embeddings', async () => {
    const client = openai();
    const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'one' }, { headers: { 'x-fake-output': '5', 'x-fake-cached': '3' } });
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'two', stream: true }, { headers: { 'x-fake-output': '9' } });
    let completedId = '';
    for await (const e of stream) if (e.type === 'response.completed') completedId = e.response.id;
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'three' });
    expect(emb.data).toHaveLength(1);
    const all = await rows();
    expect(all.map((x) => x.external_id).slice(0, 2)).toEqual([r.id, completedId]);
    expect(all.map((x) => [x.output_tokens, x.cached_input_tokens])).toEqual([[5, 3], [9, 0], [0, 0]]);
    expect(all.reduce((s, x) => s + x.input_tokens, 0)).toBe(fake.served.input);
  });

  it('Anthropic messages, JSON and streamed: message_delta usage overwrites, cache writes priced by TTL', async () => {
    const client = anthropic();
    const headers = { 'x-fake-output': '40', 'x-fake-cached': '100', 'x-fake-cache-write-5m': '200', 'x-fake-cache-write-1h': '300' };
    const m = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] }, { headers });
    const stream = client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'again' }] }, { headers });
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(40);
    const all = await rows();
    expect(all.map((x) => x.external_id)).toEqual([m.id, final.id]);
    for (const row of all) {
      // 40 output tokens, not 1 + 40: the delta's cumulative figure overwrote message_start's.
      expect(row).toMatchObject({ output_tokens: 40, cached_input_tokens: 100, cache_write_tokens: 500 });
      expect(row.cost_total_nano).toBe(row.input_tokens * HAIKU.input + 40 * HAIKU.output + 100 * HAIKU.cached + 200 * HAIKU.write5m + 300 * HAIKU.write1h);
    }
    expect(all[0]!.input_tokens + all[1]!.input_tokens).toBe(fake.served.input);
  });

  it('an unknown model is stored unpriced, never $0; an upstream error passes through and costs nothing', async () => {
    await openai().chat.completions.create({ model: 'nobody-knows-this-model', messages: [{ role: 'user', content: 'x' }] });
    expect((await rows())[0]).toMatchObject({ model: 'nobody-knows-this-model', cost_total_nano: null, cost_origin: 'unpriced' });
    const err = await openai({ maxRetries: 0 })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-fake-status': '500' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as Error).message).toContain('fake upstream error');
    expect(await rows()).toHaveLength(1);
  });
});

describe('enforcement', () => {
  const enforceDaily = (daily: string, reservePct = 20) => {
    applyBudgetChange(core.db, { daily: Math.round(Number(daily) * 1e9), reserveBp: reservePct * 100 }, new Date());
    setPolicies(core.db, [{ kind: 'daily' }], 'enforce', new Date());
  };
  const spend = (usd: string) => core.usage.write([{ source: 'manual', provider: 'openai', model: 'gpt-4o-mini', costNano: Math.round(Number(usd) * 1e9), occurredAt: new Date() }]);

  it('a refused request reaches neither SDK twice nor the upstream, and each SDK shows the sentence', async () => {
    enforceDaily('1.00');
    spend('0.80'); // the whole spendable part
    const o = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(o).toBeInstanceOf(OpenAI.APIError);
    expect((o as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((o as Error).message).toMatch(/daily budget of \$1\.00.*nothing is left.*burnrate override --usd/);
    expect(calls).toBe(1);
    calls = 0;
    const a = await anthropic().messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Anthropic.APIError);
    expect((a as InstanceType<typeof Anthropic.APIError>).status).toBe(402);
    expect((a as Error).message).toContain('Burnrate refused this request: the daily budget');
    expect(calls).toBe(1);
    expect(fake.served.requests).toBe(0);
    expect(await rows()).toHaveLength(0);
  });

  it('429 with x-should-retry: false is not retried either (the alternative the choice of 402 was weighed against)', async () => {
    // Straight at the fake: the SDKs' behaviour for a 429 that says "do not retry".
    const o = new OpenAI({ apiKey: KEY, baseURL: `${fake.url}/v1`, fetch: countingFetch });
    await o.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }, { headers: { 'x-fake-status': '429' } }).catch(() => undefined);
    const a = new Anthropic({ apiKey: KEY, baseURL: fake.url, fetch: countingFetch });
    await a.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1, messages: [] }, { headers: { 'x-fake-status': '429' } }).catch(() => undefined);
    expect(calls).toBe(2);
  });

  it('the reserve is for critical requests; nothing passes the budget; an override lifts the line', async () => {
    enforceDaily('1.00');
    spend('0.7995');
    const ask = (critical: boolean) =>
      openai()
        .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'x' }] }, { headers: critical ? { 'X-Burnrate-Priority': 'critical' } : {} })
        .then(() => 'ok', (e: { status?: number }) => e.status);
    expect(await ask(false)).toBe(402); // $0.0005 left of the spendable $0.80; the request may cost more
    expect(await ask(true)).toBe('ok'); // the $0.20 reserve is open to critical work
    spend('0.2');
    expect(await ask(true)).toBe(402); // the whole budget is spent: not even critical work passes
    addOverride(core.db, 5_000_000_000, 3_600_000, 'test', new Date());
    expect(await ask(false)).toBe('ok');
  });

  it('a model answered under another name (dated, or a router\'s choice) reserves by the answers\' name: their recent sizes and their price', async () => {
    // Five answers of 20,000 tokens to gpt-4o-mini, answered as its dated name, as OpenAI answers.
    const dated = { 'x-fake-answer-model': 'gpt-4o-mini-2024-07-18', 'x-fake-output': '20000' };
    for (let i = 0; i < 5; i++) await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: dated });
    expect(new Set((await rows()).map((r) => r.model))).toEqual(new Set(['gpt-4o-mini-2024-07-18']));
    enforceDaily('1.00', 0);
    const answers = (core.db.prepare('SELECT SUM(cost_total_nano) AS n FROM usage_events').get() as { n: number }).n;
    spend(((995_000_000 - answers) / 1e9).toFixed(9)); // $0.005 left: enough for the 4,096-token floor ($0.0025), not for 20,000 tokens ($0.012)
    const refused = await openai({ maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: dated }).catch((e: unknown) => e);
    expect((refused as { status?: number }).status).toBe(402);
    expect((refused as Error).message).toMatch(/\$0\.005 is left; this request may cost up to \$0\.01\)/);
    // A router's name has no price; the model it answers as has one, and the next request reserves at it.
    const routed = { 'x-fake-answer-model': 'llama-3.1-8b-instant', 'x-fake-output': '20000' };
    const groq = new OpenAI({ apiKey: KEY, baseURL: `${proxy.url}/groq/v1`, maxRetries: 0 });
    const ask = () => groq.chat.completions.create({ model: 'my-router/auto', max_tokens: 100_000, messages: [{ role: 'user', content: 'x' }] }, { headers: routed }).then(() => 'ok', (e: { status?: number }) => e.status);
    expect(await ask()).toBe('ok'); // nothing known of it yet: an unpriced model reserves nothing
    spend('0.0049'); // $0.0001 left; 20,000 tokens of llama-3.1-8b-instant cost $0.0016
    expect(await ask()).toBe(402);
  });

  it('a restarted proxy still reserves by the names models were answered as, kept apart from the rows', async () => {
    const dated = { 'x-fake-answer-model': 'gpt-4o-mini-2024-07-18', 'x-fake-output': '20000' };
    for (let i = 0; i < 5; i++) await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: dated });
    const routed = { 'x-fake-answer-model': 'llama-3.1-8b-instant', 'x-fake-output': '20000' };
    const groq = () => new OpenAI({ apiKey: KEY, baseURL: `${proxy.url}/groq/v1`, maxRetries: 0 });
    await groq().chat.completions.create({ model: 'my-router/auto', max_tokens: 100_000, messages: [{ role: 'user', content: 'x' }] }, { headers: routed });
    await rows();
    await proxy.close();
    proxy = await startProxy(core, core.prices, { port: 0 });
    enforceDaily('1.00', 0);
    const answers = (core.db.prepare('SELECT SUM(cost_total_nano) AS n FROM usage_events').get() as { n: number }).n;
    spend(((999_900_000 - answers) / 1e9).toFixed(9)); // $0.0001 left: less than 20,000 tokens of gpt-4o-mini, or 4,096 (the floor) of llama-3.1-8b-instant
    const refused = await openai({ maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: dated }).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/this request may cost up to \$0\.01\)/); // 20,000 tokens, not the 4,096-token floor
    const routedAgain = await groq().chat.completions.create({ model: 'my-router/auto', max_tokens: 100_000, messages: [{ role: 'user', content: 'x' }] }, { headers: routed }).catch((e: unknown) => e);
    expect((routedAgain as { status?: number }).status).toBe(402); // priced as the model it was answered as, not let through unpriced
    // Kept apart from the rows (the agent-log import may have written a response first, and the proxy's row then never is).
    core.db.prepare('DELETE FROM usage_events').run();
    expect(AnsweredModels.recall(core.db).of('groq', 'my-router/auto')).toBe('llama-3.1-8b-instant');
    // Answered under its own name again: the alias is stale, and is forgotten by the next start too.
    setPolicies(core.db, [{ kind: 'daily' }], 'off', new Date());
    await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-fake-output': '5' } });
    expect(core.db.prepare(`SELECT provider, asked, answered FROM proxy_answered_models ORDER BY provider`).all()).toEqual([
      { provider: 'groq', asked: 'my-router/auto', answered: 'llama-3.1-8b-instant' },
      { provider: 'openai', asked: 'gpt-4o-mini', answered: 'gpt-4o-mini' },
    ]);
  });

  it('overrides that together pass the largest amount lift every line instead of failing each request', async () => {
    enforceDaily('5.00');
    addOverride(core.db, 5_000_000_000_000_000, 3_600_000, 'a', new Date());
    addOverride(core.db, 5_000_000_000_000_000, 3_600_000, 'b', new Date()); // $10,000,000 in all: past 2^53 nano-dollars
    spend('6.00');
    const answer = await anthropic({ maxRetries: 0 }).messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] });
    expect(answer.type).toBe('message');
    expect((await dispatch(core, 'overrides', {})).liftUsd).toBe('10000000.00');
  });

  it('concurrent requests cannot together pass a line that each alone would not', async () => {
    enforceDaily('1.00', 0);
    spend('0.9975'); // $0.0025 left; each request reserves at least 1000 output tokens × $0.60/M = $0.0006
    const client = openai({ maxRetries: 0 });
    let refused = 0;
    const pending = Array.from({ length: 10 }, () =>
      client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-fake-hold': '1' } })
        .then(
          () => 'ok',
          (e: { status?: number }) => {
            refused++;
            return e.status;
          },
        ),
    );
    // Every request is decided (admitted ones wait inside the upstream) before any of them ends.
    await until(() => fake.held() + refused === 10);
    fake.release();
    const results = await Promise.all(pending);
    const admitted = results.filter((r) => r === 'ok').length;
    expect(admitted).toBeGreaterThanOrEqual(1);
    expect(admitted).toBeLessThanOrEqual(4);
    expect(results.filter((r) => r === 402)).toHaveLength(10 - admitted);
    expect(fake.served.requests).toBe(admitted);
    // One after the other, the same ten pass: each costs far less than it reserves.
    for (let i = 0; i < 10 - admitted; i++) await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'x' }] });
  });
});

describe('faults', () => {
  it('a stream cut by the client or by the upstream is recorded as an estimate, marked so', async () => {
    const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true }, { headers: { 'x-fake-output': '200', 'x-fake-event-gap-ms': '5' } });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break; // the client stops reading and aborts
    }
    const cut = await anthropic({ maxRetries: 0 })
      .messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-fake-cut': '6', 'x-fake-output': '50' } })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(Error);
    await until(() => stored().length === 2, () => JSON.stringify(stored()));
    const byKind = Object.fromEntries(stored().map((r) => [r.provider, { ...r, meta: JSON.parse(r.metadata) }]));
    expect(byKind.openai!.meta).toMatchObject({ estimated: true, cut: 'client' });
    expect(byKind.anthropic!.meta).toMatchObject({ estimated: true, cut: 'upstream' });
    // Anthropic's message_start had the input; three text deltas passed ("tok " each: about one token apiece).
    expect(byKind.anthropic!.input_tokens).toBeGreaterThan(0);
    expect(byKind.anthropic!.output_tokens).toBe(3);
  });

  it('an unreachable upstream gets a 502 in the provider shape naming it; a body over the limit 413; an unparseable body is forwarded', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = await startProxy(core, core.prices, { port: 0, env: { BURNRATE_OPENAI_BASE_URL: `http://127.0.0.1:${deadPort}` }, maxBodyBytes: 2000 });
    try {
      const e = await new OpenAI({ apiKey: KEY, baseURL: `${dead.url}/openai/v1`, maxRetries: 0 })
        .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
        .catch((err: unknown) => err);
      expect((e as { status: number }).status).toBe(502);
      expect((e as Error).message).toContain(`could not get an answer from openai at http://127.0.0.1:${deadPort}`);
      const big = await new OpenAI({ apiKey: KEY, baseURL: `${dead.url}/openai/v1`, maxRetries: 0 })
        .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(5000) }] })
        .catch((err: unknown) => err);
      expect((big as { status: number }).status).toBe(413);
      expect((big as Error).message).toContain("over the proxy's limit of 2000 bytes");
    } finally {
      await dead.close();
    }
    const res = await fetch(`${proxy.url}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(200);
    expect(fake.served.bodies).toEqual(['{not json']);
    expect((await rows())[0]).toMatchObject({ model: 'unknown', cost_origin: 'unpriced', output_tokens: 20 });
  });

  it('a locked ledger neither blocks nor fails the request: the row waits in memory and is written once the lock goes', async () => {
    const said: string[] = [];
    let refused: () => void = () => {};
    const tried = new Promise<void>((r) => (refused = r));
    const log = (l: string) => {
      said.push(l);
      if (l.includes('the ledger did not take a write')) refused();
    };
    const own = await startProxy(core, core.prices, { port: 0, log });
    const other = new Database(path.join(home, 'ledger.sqlite'));
    other.prepare('BEGIN IMMEDIATE').run(); // another process holds the write lock
    try {
      const answer = await new OpenAI({ apiKey: KEY, baseURL: `${own.url}/openai/v1` }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-fake-output': '4' } });
      expect(answer.choices[0]!.message.content).toBe('tok '.repeat(4));
      await tried; // the batch's commit was tried, and did not wait for the lock
      expect(own.backlog()).toBe(1);
      expect(stored()).toHaveLength(0);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    await own.settled(); // the retry writes it
    expect(own.backlog()).toBe(0);
    expect(stored()).toHaveLength(1);
    expect(stored()[0]!.output_tokens).toBe(4);
    expect(said.filter((l) => l.includes('takes writes again'))).toHaveLength(1);
    await own.close();
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: proxy.port, path: '/openai/v1/models', headers: { host: 'evil.example' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(421);
    expect(fake.served.requests).toBe(0);
  });
});

/** Wait for a condition the proxy reaches asynchronously (a closed socket's row). */
async function until(check: () => boolean, say: () => string = () => ''): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check(), say()).toBe(true);
}
