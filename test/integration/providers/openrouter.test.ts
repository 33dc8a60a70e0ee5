import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatUsd, sumNano } from '../../../src/money';
import { openrouter } from '../../../src/providers/openrouter';
import { fail } from '../../fixtures/servers/common';
import {
  OPENROUTER_DOCUMENTED,
  OPENROUTER_KEY,
  OPENROUTER_MANAGEMENT_KEY,
  startOpenRouterServer,
  type OpenRouterServer,
} from '../../fixtures/servers/openrouter';
import { billedTotal, drain, expectNoKey, expectSyncError, testContext } from './harness';

const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-10T12:00:00Z') };

let server: OpenRouterServer;
beforeEach(async () => {
  server = await startOpenRouterServer();
});
afterEach(async () => {
  await server.close();
});

describe('OpenRouter client against a local API', () => {
  it("reads an ordinary key's usage_monthly as a month-to-date odometer (BYOK apart), and asks nothing it may not", async () => {
    server.keyUsage.byok_usage_monthly = 4.2;
    const { ctx } = testContext('openrouter', server, OPENROUTER_KEY);
    const { pages, error } = await drain(openrouter.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(server.requests.map((r) => r.path)).toEqual(['/api/v1/key']);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${OPENROUTER_KEY}`);
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    // No billed day row: the month-to-date figure is an odometer reading taken now.
    expect(page.billed ?? []).toEqual([]);
    expect(page.odometer?.at).toEqual(new Date('2026-11-10T12:00:00Z'));
    expect(formatUsd(page.odometer!.amountNano)).toBe(OPENROUTER_DOCUMENTED.keyMonthlyUsd);
    expect(page.figures).toEqual([{ name: 'byok_month', period: '2026-11', amountNano: 4_200_000_000, at: new Date('2026-11-10T12:00:00Z') }]);
    // The per-day rows earlier versions stored for this month are retired (the odometer covers it).
    expect(page.retireBilled).toHaveLength(30);
    expect(page.retireBilled).toContain('key-day|2026-11-10');
    expect(JSON.stringify(pages)).not.toContain('sk-or-v1');
  });

  it('refuses a /key answer without usage_monthly, naming the field', async () => {
    (server.keyUsage as unknown as Record<string, unknown>).usage_monthly = undefined;
    const { error } = await expectSyncError(openrouter.sync(testContext('openrouter', server, OPENROUTER_KEY).ctx, WINDOW));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/usage_monthly/);
  });

  it('with a management key: exact balance from credits and billed rows per day × model from activity', async () => {
    const { ctx } = testContext('openrouter', server, OPENROUTER_MANAGEMENT_KEY);
    const { pages, error } = await drain(openrouter.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(server.requests.map((r) => r.path)).toEqual(['/api/v1/key', '/api/v1/credits', '/api/v1/activity']);
    const balance = pages.find((p) => p.balance)?.balance;
    expect(balance && formatUsd(balance.amountNano)).toBe(OPENROUTER_DOCUMENTED.balanceUsd);
    expect(balance?.currency).toBe('USD');
    expect(balance?.at.toISOString()).toBe('2026-11-10T12:00:00.000Z');

    const billed = pages.flatMap((p) => p.billed ?? []);
    expect(billed).toHaveLength(OPENROUTER_DOCUMENTED.activityWindowRows);
    expect(formatUsd(billedTotal(pages))).toBe(OPENROUTER_DOCUMENTED.activityWindowUsd);
    const sonnet = billed.filter((r) => r.model === 'anthropic/claude-sonnet-4.6' && r.bucketStart.toISOString().startsWith('2026-11-05'));
    expect(sonnet).toHaveLength(1);
    expect(formatUsd(sumNano(sonnet.map((r) => r.amountNano)))).toBe(OPENROUTER_DOCUMENTED.sonnetNov5Usd);
    expect(sonnet[0]!.metadata).toMatchObject({ promptTokens: 616_033, completionTokens: 40_421, requests: 6 });
    expect(billed.some((r) => r.bucketStart < WINDOW.start)).toBe(false);
  });

  it('waits out a 429 on credits for its Retry-After', async () => {
    server.setScenario({ path: '/credits', steps: [fail.rateLimited({ seconds: 4 })] });
    const { ctx, waits } = testContext('openrouter', server, OPENROUTER_MANAGEMENT_KEY);
    const { error } = await drain(openrouter.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(waits).toEqual([4_000]);
  });

  it('a wrong key is auth, never echoed', async () => {
    const key = 'sk-or-v1-WRONGwrong0123456789abcdef0123456789';
    const { ctx } = testContext('openrouter', server, key);
    const { error } = await expectSyncError(openrouter.sync(ctx, WINDOW));
    expect(error.kind).toBe('auth');
    expectNoKey(error.message, key);
  });

  it('a 403 on credits says a management key is needed', async () => {
    server.setScenario({ path: '/credits', steps: [fail.forbidden()] });
    const { ctx } = testContext('openrouter', server, OPENROUTER_MANAGEMENT_KEY);
    const { error } = await expectSyncError(openrouter.sync(ctx, WINDOW));
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/management key/);
  });

  it('a garbage activity answer yields no billed rows', async () => {
    server.setScenario({ path: '/activity', steps: [fail.garbage('html')] });
    const { ctx } = testContext('openrouter', server, OPENROUTER_MANAGEMENT_KEY);
    const { error, pages } = await expectSyncError(openrouter.sync(ctx, WINDOW));
    expect(error.kind).toBe('malformed');
    expect(pages.flatMap((p) => p.billed ?? [])).toEqual([]);
    expect(pages.filter((p) => p.balance)).toHaveLength(1);
  });

  it('testKey tells ordinary and management keys apart through /key', async () => {
    const normal = await openrouter.testKey(testContext('openrouter', server, OPENROUTER_KEY).ctx);
    expect(normal).toMatchObject({ ok: true, kind: 'normal' });
    expect(normal.cannot.join(' ')).toMatch(/management key/);
    const management = await openrouter.testKey(testContext('openrouter', server, OPENROUTER_MANAGEMENT_KEY).ctx);
    expect(management).toMatchObject({ ok: true, kind: 'management' });
    const wrong = await openrouter.testKey(testContext('openrouter', server, 'sk-or-v1-nopeNOPE0123456789').ctx);
    expect(wrong).toMatchObject({ ok: false, errorKind: 'auth' });
    expect(openrouter.classifyKey(OPENROUTER_KEY)).toBe('unknown');
  });
});
