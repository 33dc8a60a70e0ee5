import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatUsd, sumNano } from '../../../src/money';
import { anthropic } from '../../../src/providers/anthropic';
import { fail } from '../../fixtures/servers/common';
import {
  ANTHROPIC_ADMIN_KEY,
  ANTHROPIC_API_KEY,
  ANTHROPIC_DOCUMENTED,
  startAnthropicServer,
  type AnthropicServer,
} from '../../fixtures/servers/anthropic';
import { billedTotal, drain, expectNoKey, expectSyncError, testContext } from './harness';

const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-11T00:00:00Z') };

let server: AnthropicServer;
beforeEach(async () => {
  server = await startAnthropicServer({ pageSize: 4 });
});
afterEach(async () => {
  await server.close();
});

describe('Anthropic client against a local Admin API', () => {
  it('fetches every page of both reports with the documented headers and bracket parameters', async () => {
    const { ctx } = testContext('anthropic', server, ANTHROPIC_ADMIN_KEY);
    const { pages, error } = await drain(anthropic.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    const cost = server.requests.filter((r) => r.path === '/v1/organizations/cost_report');
    const usage = server.requests.filter((r) => r.path === '/v1/organizations/usage_report/messages');
    expect(cost).toHaveLength(3);
    expect(usage).toHaveLength(3);
    expect(pages).toHaveLength(6);
    for (const r of [...cost, ...usage]) {
      expect(r.headers['x-api-key']).toBe(ANTHROPIC_ADMIN_KEY);
      expect(r.headers['anthropic-version']).toBe('2023-06-01');
      expect(r.headers['user-agent']).toMatch(/^Burnrate\//);
      expect(r.headers.authorization).toBeUndefined();
      expect(r.query.get('starting_at')).toBe('2026-11-01T00:00:00Z');
      expect(r.query.get('ending_at')).toBe('2026-11-11T00:00:00Z');
      expect(r.query.get('bucket_width')).toBe('1d');
      expect(r.query.get('limit')).toBe('10');
    }
    expect(cost[0]!.query.getAll('group_by[]')).toEqual(['description']);
    expect(usage[0]!.query.getAll('group_by[]')).toEqual(['model']);
    expect(cost[1]!.query.get('page')).toBeTruthy();
  });

  it('turns cents-as-strings into exact dollars: the documented totals to the nano', async () => {
    const { ctx } = testContext('anthropic', server, ANTHROPIC_ADMIN_KEY);
    const { pages } = await drain(anthropic.sync(ctx, WINDOW));
    const billed = pages.flatMap((p) => p.billed ?? []);
    expect(billed).toHaveLength(10 * ANTHROPIC_DOCUMENTED.costRowsPerDay);
    expect(formatUsd(billedTotal(pages))).toBe(ANTHROPIC_DOCUMENTED.costTotalUsd);
    const first = billed.find((r) => r.lineItem === 'Claude Sonnet 4.6 Usage - Input Tokens' && r.bucketStart.toISOString().startsWith('2026-11-01'));
    expect(first?.amountNano).toBe(12_875_040_000); // "1287.504" cents = $12.87504
    const sonnet = billed.filter((r) => r.model === 'claude-sonnet-4-6');
    expect(formatUsd(sumNano(sonnet.map((r) => r.amountNano)))).toBe(ANTHROPIC_DOCUMENTED.sonnetCostUsd);
    for (const [day, usd] of Object.entries(ANTHROPIC_DOCUMENTED.costByDayUsd)) {
      const ofDay = billed.filter((r) => r.bucketStart.toISOString().startsWith(day));
      expect(formatUsd(sumNano(ofDay.map((r) => r.amountNano)))).toBe(usd);
    }
    expect(new Set(billed.map((r) => r.externalId)).size).toBe(billed.length);

    const events = pages.flatMap((p) => p.usage ?? []);
    expect(events).toHaveLength(ANTHROPIC_DOCUMENTED.usage.events);
    const sum = (f: (e: (typeof events)[number]) => number | undefined) => events.reduce((a, e) => a + (f(e) ?? 0), 0);
    expect(sum((e) => e.inputTokens)).toBe(ANTHROPIC_DOCUMENTED.usage.inputTokens);
    expect(sum((e) => e.cachedInputTokens)).toBe(ANTHROPIC_DOCUMENTED.usage.cachedInputTokens);
    expect(sum((e) => e.cacheWriteTokens)).toBe(ANTHROPIC_DOCUMENTED.usage.cacheWriteTokens);
    expect(sum((e) => e.outputTokens)).toBe(ANTHROPIC_DOCUMENTED.usage.outputTokens);
    expect(events.every((e) => e.source === 'billing_api' && e.costNano === undefined)).toBe(true);
  });

  it('waits out a 429 for exactly its Retry-After and retries a 529 overload', async () => {
    server.setScenario([fail.rateLimited({ seconds: 2 }), fail.serverError(529)]);
    const { ctx, waits } = testContext('anthropic', server, ANTHROPIC_ADMIN_KEY);
    const { pages, error } = await drain(anthropic.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(waits[0]).toBe(2_000);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThanOrEqual(0);
    expect(waits[1]).toBeLessThan(2_000); // jitter ceiling of the 2nd retry: base 1 s × 2
    expect(formatUsd(billedTotal(pages))).toBe(ANTHROPIC_DOCUMENTED.costTotalUsd);
  });

  it('refuses a wrong admin key as auth, without echoing it', async () => {
    const key = 'sk-ant-admin01-WRONGwrong0123456789abcdef';
    const { ctx } = testContext('anthropic', server, key);
    const { error } = await expectSyncError(anthropic.sync(ctx, WINDOW));
    expect(error.kind).toBe('auth');
    expectNoKey(error.message, key);
    expectNoKey(JSON.stringify(error), key);
  });

  it('explains that an ordinary key cannot use the Admin API and individual accounts have none', async () => {
    const { ctx } = testContext('anthropic', server, ANTHROPIC_API_KEY);
    const { error } = await expectSyncError(anthropic.sync(ctx, WINDOW));
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/admin key \(sk-ant-admin…\)/);
    expect(error.message).toMatch(/Individual accounts have no Admin API/);
    expectNoKey(error.message, ANTHROPIC_API_KEY);
  });

  it('explains a 403 permission_error as "not an organisation"', async () => {
    server.setScenario([fail.forbidden('The Admin API is not available for individual accounts.')]);
    const { ctx } = testContext('anthropic', server, ANTHROPIC_ADMIN_KEY);
    const { error } = await expectSyncError(anthropic.sync(ctx, WINDOW));
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/works only for organisations/);
    expect(error.message).toMatch(/Individual accounts have no Admin API/);
  });

  it('times out a hung answer', async () => {
    server.setScenario([fail.hang(true)]);
    const { ctx } = testContext('anthropic', server, ANTHROPIC_ADMIN_KEY, { timeoutMs: 120, retry: { maxAttempts: 1 } });
    const { error } = await expectSyncError(anthropic.sync(ctx, WINDOW));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/within 120 ms/);
  });

  it('yields nothing from a garbage usage page', async () => {
    server.setScenario({ path: '/usage_report', steps: [fail.garbage('wrong-shape')] });
    const { ctx } = testContext('anthropic', server, ANTHROPIC_ADMIN_KEY);
    const { error, pages } = await expectSyncError(anthropic.sync(ctx, WINDOW));
    expect(error.kind).toBe('malformed');
    expect(pages.flatMap((p) => p.usage ?? [])).toEqual([]);
    expect(pages).toHaveLength(3); // the three cost pages came before
  });

  it('keeps aside an amount that is not a decimal number; the rest of its page lands', async () => {
    server.data.costs.get('2026-11-03')![0]!.amount = '12,50';
    const { ctx } = testContext('anthropic', server, ANTHROPIC_ADMIN_KEY);
    const { error, pages } = await drain(anthropic.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    const aside = pages.flatMap((p) => p.unreadable?.rows ?? []);
    expect(aside).toEqual([
      expect.objectContaining({ scope: 'cost|2026-11-03T00:00:00.000Z', position: 0, reason: 'amount "12,50" is not an amount Burnrate can read exactly.' }),
    ]);
    expect((aside[0]!.raw as { amount: string }).amount).toBe('12,50');
    // Every other row of the ten days landed.
    expect(pages.flatMap((p) => p.billed ?? [])).toHaveLength(10 * ANTHROPIC_DOCUMENTED.costRowsPerDay - 1);
  });

  it('testKey: admin works; an ordinary key is told it needs an admin key of an organisation', async () => {
    const ok = await anthropic.testKey(testContext('anthropic', server, ANTHROPIC_ADMIN_KEY).ctx);
    expect(ok).toMatchObject({ ok: true, kind: 'admin' });
    const normal = await anthropic.testKey(testContext('anthropic', server, ANTHROPIC_API_KEY).ctx);
    expect(normal).toMatchObject({ ok: false, kind: 'normal', errorKind: 'permission' });
    expect(normal.message).toMatch(/Individual accounts have no Admin API/);
  });
});
