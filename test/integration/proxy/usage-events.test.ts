import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { startServer, type RunningServer } from '../../../src/server';
import { request } from '../server/http';
import { setSetting } from '../../../src/ledger/settings';
import { PRUNED_BEFORE_KEY } from '../../../src/ledger/pruned';

let core: Core;
let server: RunningServer;
let now: Date;

beforeEach(async () => {
  now = new Date('2026-03-10T12:00:00Z');
  core = openCore({ memory: true, clock: { now: () => now }, timeZone: 'UTC' });
  server = await startServer(core, { port: 0 });
});
afterEach(async () => {
  await server.close();
  core.close();
});

const event = (id: string, data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id,
  source: 'billing-service',
  type: 'com.burnrate.usage',
  subject: 'checkout',
  time: '2026-03-10T11:59:00Z',
  data: { provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 500, ...data },
});

function post(body: unknown, token = server.token, contentType = 'application/json') {
  return request(server.port, { method: 'POST', path: '/api/events', headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType }, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
}

/** What the ledger's rollups (every total Burnrate shows is read from them) hold, per provider. */
function rolledUp() {
  return core.db.prepare(`SELECT provider, SUM(events) AS events, SUM(cost_nano) AS cost FROM daily_rollups GROUP BY provider ORDER BY provider`).all();
}

function rows() {
  return core.db.prepare(`SELECT external_id, project, input_tokens, output_tokens, cost_total_nano, cost_origin FROM usage_events ORDER BY id`).all() as Record<string, unknown>[];
}

describe('POST /api/events', () => {
  it('takes one event or a batch, prices them, and counts an event sent twice once', async () => {
    const one = await post(event('a1'));
    expect(one.status).toBe(200);
    expect(one.json()).toEqual({ accepted: 1, inserted: 1, duplicates: 0, updated: 0, unpriced: 0, pruned: 0 });
    const batch = await post([event('a1'), event('a2', { cost: '0.25' }), event('a3', { model: 'made-up-model' })]);
    expect(batch.json()).toEqual({ accepted: 3, inserted: 2, duplicates: 1, updated: 0, unpriced: 1, pruned: 0 });
    // gpt-4o-mini: $0.15 and $0.60 per million tokens → 150 and 600 nano-USD per token.
    expect(rows()).toEqual([
      { external_id: 'event:billing-service#a1', project: 'checkout', input_tokens: 1000, output_tokens: 500, cost_total_nano: 1000 * 150 + 500 * 600, cost_origin: 'catalogue' },
      { external_id: 'event:billing-service#a2', project: 'checkout', input_tokens: 1000, output_tokens: 500, cost_total_nano: 250_000_000, cost_origin: 'given' },
      { external_id: 'event:billing-service#a3', project: 'checkout', input_tokens: 1000, output_tokens: 500, cost_total_nano: null, cost_origin: 'unpriced' },
    ]);
  });

  it('needs the token, and refuses a bad event with one sentence, writing nothing of the batch', async () => {
    expect((await post(event('x'), 'wrong-token-wrong-token-wrong')).status).toBe(401);
    const bad = await post([event('b1'), { ...event('b2'), specversion: '0.3' }]);
    expect(bad.status).toBe(400);
    const message = bad.json().error.message as string;
    expect(message).toMatch(/specversion/);
    expect(message).toMatch(/1\.0/);
    expect(message.split(/\.\s/).length).toBeLessThanOrEqual(2);
    const negative = await post(event('b3', { output_tokens: -5 }));
    expect(negative.status).toBe(400);
    expect(negative.json().error.message).toMatch(/output_tokens.*zero or more/);
    expect(rows()).toEqual([]);
    // GET /api/events is still the live-update stream's verb; other verbs are told both.
    const put = await request(server.port, { method: 'PUT', path: '/api/events', headers: { Authorization: `Bearer ${server.token}` } });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST');
  });

  it('keeps events apart whose source or id holds "#", and counts each sent twice once', async () => {
    const a = { ...event('c'), source: 'a#b' };
    const b = { ...event('b#c'), source: 'a' };
    expect((await post([a, b])).json()).toMatchObject({ inserted: 2, duplicates: 0, updated: 0 });
    expect((await post([a, b])).json()).toMatchObject({ inserted: 0, duplicates: 2, updated: 0 });
    expect(rows().map((r) => r.external_id)).toEqual(['event~:a%23b#c', 'event:a#b#c']);
  });

  it('is idempotent on (source, id) whatever the provider: an event sent again under another provider moves its row', async () => {
    expect((await post(event('p1', { cost: '1.00' }))).json()).toMatchObject({ inserted: 1 });
    const again = await post(event('p1', { provider: 'anthropic', model: 'claude-sonnet-4-5', cost: '1.00' }));
    expect(again.json()).toEqual({ accepted: 1, inserted: 0, duplicates: 0, updated: 1, unpriced: 0, pruned: 0 });
    expect(core.db.prepare(`SELECT provider, cost_total_nano FROM usage_events`).all()).toEqual([{ provider: 'anthropic', cost_total_nano: 1_000_000_000 }]);
    expect(rolledUp()).toEqual([{ provider: 'anthropic', events: 1, cost: 1_000_000_000 }]);
    // Within one batch the last of an event's copies stands for them.
    const batch = await post([event('p2', { cost: '2.00' }), event('p2', { provider: 'groq', model: 'llama-3.1-8b-instant', cost: '3.00' })]);
    expect(batch.json()).toEqual({ accepted: 2, inserted: 1, duplicates: 1, updated: 0, unpriced: 0, pruned: 0 });
    expect(core.db.prepare(`SELECT provider, cost_total_nano FROM usage_events WHERE external_id LIKE '%p2'`).all()).toEqual([{ provider: 'groq', cost_total_nano: 3_000_000_000 }]);
  });

  it('reads an event\'s time as the CLI reads --at, and keeps the first time of an event retried without one', async () => {
    const future = await post({ ...event('t1'), time: '2026-03-10T13:00:00Z' });
    expect(future.status).toBe(400);
    expect(future.json().error.message).toMatch(/in the future.*event t1/);
    const { time: _dropped, ...timeless } = event('t2');
    await post(timeless);
    now = new Date('2026-03-11T00:30:00Z'); // the retry comes after midnight
    expect((await post(timeless)).json()).toMatchObject({ inserted: 0, duplicates: 1, updated: 0 });
    expect(core.db.prepare(`SELECT occurred_at, local_day FROM usage_events`).all()).toEqual([{ occurred_at: '2026-03-10T12:00:00.000Z', local_day: '2026-03-10' }]);
  });

  it('reads a bare date in the user\'s time zone', async () => {
    const zoned = openCore({ memory: true, clock: { now: () => new Date('2026-03-10T12:00:00Z') }, timeZone: 'America/New_York' });
    const own = await startServer(zoned, { port: 0 });
    try {
      const sent = await request(own.port, { method: 'POST', path: '/api/events', headers: { Authorization: `Bearer ${own.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...event('d1'), time: '2026-03-09' }) });
      expect(sent.status).toBe(200);
      expect(zoned.db.prepare(`SELECT local_day FROM usage_events`).all()).toEqual([{ local_day: '2026-03-09' }]);
    } finally {
      await own.close();
      zoned.close();
    }
  });

  it('takes counts of tokens as numbers or digits only', async () => {
    for (const bad of [true, [7], '0x10', '', ' ', null, false, 1.5, 1_000_000_001]) {
      const refused = await post(event('n1', { input_tokens: bad }));
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.json().error.message).toMatch(/input_tokens/);
    }
    expect(rows()).toEqual([]);
    expect((await post(event('n2', { input_tokens: '1200' }))).status).toBe(200);
    expect(rows()[0]!.input_tokens).toBe(1200);
  });

  it('refuses bytes that are not UTF-8 and text with control characters, and stores nothing', async () => {
    const latin1 = Buffer.from(JSON.stringify(event('u1', { model: 'gpt-4o-mini-X' })).replace('-X', '-\u00e9'), 'latin1');
    const notUtf8 = await post(latin1);
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.json().error.message).toBe('The request body is not valid UTF-8; send the JSON encoded as UTF-8.');
    const escape = await post({ ...event('u2'), subject: 'x\u001b[2Jy' });
    expect(escape.status).toBe(400);
    expect(escape.json().error.message).toMatch(/subject must not hold control characters/);
    expect(rows()).toEqual([]);
  });

  it('takes CloudEvents\' own media types, names the event of an unknown field, and takes a full batch of 1000 long events', async () => {
    expect((await post(event('m1'), server.token, 'application/cloudevents+json')).status).toBe(200);
    expect((await post([event('m2')], server.token, 'application/cloudevents-batch+json; charset=utf-8')).status).toBe(200);
    const unknown = await post([event('m3'), event('m4', { total_tokens: 9 })]);
    expect(unknown.json().error.message).toBe('Invalid input: unknown field total_tokens in 1.data.');
    const long = (i: number) => ({ ...event(`${i}`.padEnd(200, 'i')), source: 's'.repeat(200), type: 't'.repeat(200), subject: 'p'.repeat(100), data: { provider: 'openai', model: 'm'.repeat(200), input_tokens: 1, output_tokens: 1 } });
    const body = JSON.stringify(Array.from({ length: 1000 }, (_, i) => long(i)));
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const full = await post(body);
    expect(full.status, full.body.slice(0, 200)).toBe(200);
    expect(full.json()).toMatchObject({ accepted: 1000, inserted: 1000 });
  });

  it('a re-send under another provider that falls on a pruned day leaves the row as it was; a double count from before the fix is mended', async () => {
    expect((await post({ ...event('mv'), time: '2026-03-01T10:00:00Z' })).json()).toMatchObject({ inserted: 1 });
    setSetting(core.db, PRUNED_BEFORE_KEY, '2026-03-05', now);
    const moved = await post({ ...event('mv', { provider: 'anthropic', model: 'claude-sonnet-4-5' }), time: '2026-03-01T10:00:00Z' });
    expect(moved.json()).toEqual({ accepted: 1, inserted: 0, duplicates: 0, updated: 0, unpriced: 0, pruned: 1 });
    expect(core.db.prepare(`SELECT provider FROM usage_events`).all()).toEqual([{ provider: 'openai' }]);
    // Two rows of one event under two providers (what the key without the provider allowed before):
    // the next re-send leaves one.
    core.usage.write([{ source: 'proxy', provider: 'openai', externalId: 'event:billing-service#dbl', model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 500, occurredAt: now }]);
    core.usage.write([{ source: 'proxy', provider: 'groq', externalId: 'event:billing-service#dbl', model: 'llama-3.1-8b-instant', inputTokens: 1, outputTokens: 1, occurredAt: now }]);
    const mended = await post({ ...event('dbl'), time: now.toISOString() });
    expect(mended.json()).toEqual({ accepted: 1, inserted: 0, duplicates: 0, updated: 1, unpriced: 0, pruned: 0 });
    expect(core.db.prepare(`SELECT provider FROM usage_events WHERE external_id LIKE '%#dbl'`).all()).toEqual([{ provider: 'openai' }]);
  });

  it('refuses a source or id holding half of a character, with a 400', async () => {
    const half = await post({ ...event('h1'), source: 'a#\ud800' });
    expect(half.status).toBe(400);
    expect(half.json().error.message).toMatch(/source must be whole characters/);
  });

  it('says which events fall in a closed month whose details were pruned, instead of counting them as duplicates', async () => {
    setSetting(core.db, PRUNED_BEFORE_KEY, '2026-02-01', now);
    const answer = await post([{ ...event('old'), time: '2026-01-15T10:00:00Z' }, event('new')]);
    expect(answer.json()).toEqual({ accepted: 2, inserted: 1, duplicates: 0, updated: 0, unpriced: 0, pruned: 1 });
    expect(rows().map((r) => r.external_id)).toEqual(['event:billing-service#new']);
  });
});
