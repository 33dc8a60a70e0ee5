import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatUsd, parseUsd, sumNano } from '../../../src/money';
import { openai } from '../../../src/providers/openai';
import { fail } from '../../fixtures/servers/common';
import {
  OPENAI_ADMIN_KEY,
  OPENAI_DOCUMENTED,
  OPENAI_PROJECT_KEY,
  startOpenAIServer,
  type OpenAIServer,
} from '../../fixtures/servers/openai';
import { billedTotal, drain, expectNoKey, expectSyncError, testContext } from './harness';

const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-11T00:00:00Z') };

let server: OpenAIServer;
beforeEach(async () => {
  server = await startOpenAIServer({ pageSize: 4 });
});
afterEach(async () => {
  await server.close();
});

describe('OpenAI client against a local Costs/Usage API', () => {
  it('fetches every page of costs and usage with the documented parameters and the admin key', async () => {
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const { pages, error } = await drain(openai.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(waits).toEqual([]);

    const costs = server.requests.filter((r) => r.path === '/v1/organization/costs');
    const usage = server.requests.filter((r) => r.path === '/v1/organization/usage/completions');
    expect(costs).toHaveLength(3); // 10 days, 4 buckets per page
    expect(usage).toHaveLength(3);
    expect(pages).toHaveLength(6);
    for (const r of [...costs, ...usage]) {
      expect(r.headers.authorization).toBe(`Bearer ${OPENAI_ADMIN_KEY}`);
      expect(r.query.get('start_time')).toBe(String(Date.parse('2026-11-01T00:00:00Z') / 1000));
      expect(r.query.get('end_time')).toBe(String(Date.parse('2026-11-11T00:00:00Z') / 1000));
      expect(r.query.get('bucket_width')).toBe('1d');
      expect(r.query.get('limit')).toBe('10');
    }
    expect(costs[0]!.query.getAll('group_by')).toEqual(['line_item', 'project_id']);
    expect(usage[0]!.query.getAll('group_by')).toEqual(['model']);
    expect(costs[0]!.query.get('page')).toBeNull();
    expect(costs[1]!.query.get('page')).toMatch(/^page_/);
    expect(costs[2]!.query.get('page')).not.toBe(costs[1]!.query.get('page'));
  });

  it('reproduces the documented totals exactly, to the nano', async () => {
    const { ctx } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const { pages } = await drain(openai.sync(ctx, WINDOW));
    const billed = pages.flatMap((p) => p.billed ?? []);
    expect(billed).toHaveLength(10 * OPENAI_DOCUMENTED.costRowsPerDay);
    expect(formatUsd(billedTotal(pages))).toBe(OPENAI_DOCUMENTED.costTotalUsd);
    expect(billedTotal(pages)).toBe(parseUsd(OPENAI_DOCUMENTED.costTotalUsd));
    expect(new Set(billed.map((r) => r.externalId)).size).toBe(billed.length);

    const gpt = billed.filter((r) => r.model === 'gpt-5.4');
    expect(gpt).toHaveLength(20);
    expect(formatUsd(sumNano(gpt.map((r) => r.amountNano)))).toBe(OPENAI_DOCUMENTED.gpt54CostUsd);
    const search = billed.filter((r) => r.lineItem === 'web search tool calls');
    // A line item without a model keeps its own name as the model key (no nameless bucket).
    expect(search.every((r) => r.model === 'web search tool calls' && r.project === 'proj_xyz')).toBe(true);
    for (const [day, usd] of Object.entries(OPENAI_DOCUMENTED.costByDayUsd)) {
      const ofDay = billed.filter((r) => r.bucketStart.toISOString().startsWith(day));
      expect(formatUsd(sumNano(ofDay.map((r) => r.amountNano)))).toBe(usd);
    }

    const events = pages.flatMap((p) => p.usage ?? []);
    expect(events).toHaveLength(OPENAI_DOCUMENTED.usage.events);
    expect(events.every((e) => e.source === 'billing_api' && e.costNano === undefined)).toBe(true);
    const sum = (f: (e: (typeof events)[number]) => number | undefined) => events.reduce((a, e) => a + (f(e) ?? 0), 0);
    expect(sum((e) => e.inputTokens)).toBe(OPENAI_DOCUMENTED.usage.inputTokens);
    expect(sum((e) => e.cachedInputTokens)).toBe(OPENAI_DOCUMENTED.usage.cachedInputTokens);
    expect(sum((e) => e.cacheWriteTokens)).toBe(OPENAI_DOCUMENTED.usage.cacheWriteTokens);
    expect(sum((e) => e.outputTokens)).toBe(OPENAI_DOCUMENTED.usage.outputTokens);
  });

  it('gives the same external ids and amounts on a second sync (idempotent upserts downstream)', async () => {
    const { ctx } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const first = (await drain(openai.sync(ctx, WINDOW))).pages;
    const second = (await drain(openai.sync(ctx, WINDOW))).pages;
    const ids = (ps: typeof first) => ps.flatMap((p) => [...(p.billed ?? []), ...(p.usage ?? [])]).map((r) => `${r.externalId}=${'amountNano' in r ? r.amountNano : ''}`);
    expect(ids(second)).toEqual(ids(first));
  });

  it('snaps a mid-day window start to UTC midnight and caps limit at 180 (costs) and 31 (usage)', async () => {
    const { ctx } = testContext('openai', server, OPENAI_ADMIN_KEY);
    await drain(openai.sync(ctx, { start: new Date('2026-04-01T15:30:00Z'), end: new Date('2026-11-11T00:00:00Z') }));
    const costs = server.requests.filter((r) => r.path.endsWith('/costs'));
    const usage = server.requests.filter((r) => r.path.endsWith('/completions'));
    expect(costs[0]!.query.get('start_time')).toBe(String(Date.parse('2026-04-01T00:00:00Z') / 1000));
    expect(costs[0]!.query.get('limit')).toBe('180');
    expect(usage[0]!.query.get('limit')).toBe('31');
    expect(server.requests.every((r) => r.answer === 200)).toBe(true);
  });

  it('waits exactly what Retry-After says on a 429, then carries on', async () => {
    server.setScenario({ path: '/costs', steps: [fail.rateLimited({ seconds: 7 })] });
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const { pages, error } = await drain(openai.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(waits).toEqual([7_000]);
    expect(formatUsd(billedTotal(pages))).toBe(OPENAI_DOCUMENTED.costTotalUsd);
  });

  it('honours retry-after-ms and an HTTP-date Retry-After', async () => {
    const now = new Date('2026-11-10T12:00:00Z');
    server.setScenario([fail.rateLimited({ ms: 1_250 }), fail.rateLimited({ date: new Date(now.getTime() + 3_000) })]);
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY, { now: now.toISOString() });
    const { error } = await drain(openai.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(waits).toEqual([1_250, 3_000]);
  });

  it('retries a 500 with jittered backoff and then succeeds', async () => {
    server.setScenario([fail.serverError(500), fail.serverError(502)]);
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY, { retry: { baseDelayMs: 1_000, random: () => 0.5 } });
    const { pages, error } = await drain(openai.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    // Full jitter: random × min(max, base × 2^(retry−1)) = 0.5 × 1000, then 0.5 × 2000.
    expect(waits).toEqual([500, 1_000]);
    expect(formatUsd(billedTotal(pages))).toBe(OPENAI_DOCUMENTED.costTotalUsd);
  });

  it('gives up with a transient error after the last attempt', async () => {
    server.setScenario([fail.serverError(), fail.serverError(), fail.serverError()]);
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY, { retry: { maxAttempts: 3 } });
    const { error, pages } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('transient');
    expect(error.status).toBe(500);
    expect(pages).toEqual([]);
    expect(waits).toHaveLength(2);
  });

  it('does not retry a quota refusal, even as a 429', async () => {
    server.setScenario([fail.quota()]);
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const { error } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('rate_limited');
    expect(error.quota).toBe(true);
    expect(error.retryable).toBe(false);
    expect(waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('ends rate_limited rather than sitting out a very long Retry-After', async () => {
    server.setScenario([fail.rateLimited({ seconds: 3_600 })]);
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const { error } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toMatch(/60 min/);
    expect(waits).toEqual([]);
  });

  it('says a wrong key is wrong (auth) without repeating the key the server echoed', async () => {
    const key = 'sk-admin-WRONGwrongWRONG0123456789zz';
    const { ctx, waits } = testContext('openai', server, key);
    const { error } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(waits).toEqual([]);
    expectNoKey(error.message, key);
    expectNoKey(JSON.stringify(error), key);
    expectNoKey(String(error.detail ?? ''), key);
    // Stored and shown everywhere, so neutral; the reason lets the CLI name its command.
    expect(error.message).toMatch(/refused the key.*store a new one\.$/);
    expect(error.reason).toBe('key_refused');
  });

  it('tells a project key that the Costs API needs an admin key', async () => {
    const { ctx } = testContext('openai', server, OPENAI_PROJECT_KEY);
    const { error } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('permission');
    expect(error.message).toContain('this is a project key; the Costs API needs an admin key (sk-admin-…) created by an org owner'.replace(/^t/, 'T'));
    expectNoKey(error.message, OPENAI_PROJECT_KEY);
  });

  it('reports a 403 for an admin key as a permission error', async () => {
    server.setScenario([fail.forbidden()]);
    const { ctx } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const { error } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('permission');
    expect(error.retryable).toBe(false);
  });

  it('times out a request that never gets an answer', async () => {
    server.setScenario([fail.hang(), fail.hang(true)]);
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY, { timeoutMs: 150, retry: { maxAttempts: 2 } });
    const { error, pages } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/did not send the costs page within 150 ms/);
    expect(pages).toEqual([]);
    expect(waits).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it.each(['html', 'truncated', 'wrong-shape', 'empty'] as const)('treats a %s body as malformed and yields nothing from it', async (kind) => {
    // The first costs page is fine, the second is garbage: only the first page's rows come out.
    server.setScenario({ path: '/costs', after: 1, steps: [fail.garbage(kind)] });
    const { ctx, waits } = testContext('openai', server, OPENAI_ADMIN_KEY);
    const { error, pages } = await expectSyncError(openai.sync(ctx, WINDOW));
    expect(error.kind).toBe('malformed');
    expect(error.retryable).toBe(false);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.billed).toHaveLength(4 * OPENAI_DOCUMENTED.costRowsPerDay);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('testKey: an admin key works, a project key is told what it lacks, a wrong key is refused', async () => {
    const ok = await openai.testKey(testContext('openai', server, OPENAI_ADMIN_KEY).ctx);
    expect(ok).toMatchObject({ ok: true, kind: 'admin' });
    const req = server.requests.at(-1)!;
    expect(req.query.get('limit')).toBe('1');

    const project = await openai.testKey(testContext('openai', server, OPENAI_PROJECT_KEY).ctx);
    expect(project.ok).toBe(false);
    expect(project.kind).toBe('normal');
    expect(project.message).toMatch(/^This is a project key; the Costs API needs an admin key \(sk-admin-…\) created by an org owner/);
    expect(project.errorKind).toBe('permission');

    const wrong = await openai.testKey(testContext('openai', server, 'sk-admin-nopeNOPEnope0123456789').ctx);
    expect(wrong).toMatchObject({ ok: false, kind: 'admin', errorKind: 'auth' });
    expectNoKey(wrong.message, 'sk-admin-nopeNOPEnope0123456789');
  });
});
