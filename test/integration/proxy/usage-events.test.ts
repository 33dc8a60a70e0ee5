import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { startServer, type RunningServer } from '../../../src/server';
import { request } from '../server/http';

let core: Core;
let server: RunningServer;

beforeEach(async () => {
  core = openCore({ memory: true, clock: { now: () => new Date('2026-03-10T12:00:00Z') }, timeZone: 'UTC' });
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

function post(body: unknown, token = server.token) {
  return request(server.port, { method: 'POST', path: '/api/events', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function rows() {
  return core.db.prepare(`SELECT external_id, project, input_tokens, output_tokens, cost_total_nano, cost_origin FROM usage_events ORDER BY id`).all() as Record<string, unknown>[];
}

describe('POST /api/events', () => {
  it('takes one event or a batch, prices them, and counts an event sent twice once', async () => {
    const one = await post(event('a1'));
    expect(one.status).toBe(200);
    expect(one.json()).toEqual({ accepted: 1, inserted: 1, duplicates: 0, updated: 0, unpriced: 0 });
    const batch = await post([event('a1'), event('a2', { cost: '0.25' }), event('a3', { model: 'made-up-model' })]);
    expect(batch.json()).toEqual({ accepted: 3, inserted: 2, duplicates: 1, updated: 0, unpriced: 1 });
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
});
