import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatUsd } from '../../../src/money';
import { xai } from '../../../src/providers/xai';
import { fail } from '../../fixtures/servers/common';
import { startXaiServer, XAI_DOCUMENTED, XAI_MANAGEMENT_KEY, XAI_TEAM_ID, type XaiServer } from '../../fixtures/servers/xai';
import { billedTotal, drain, expectNoKey, expectSyncError, testContext } from './harness';

const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-10T12:00:00Z') };

let server: XaiServer;
beforeEach(async () => {
  server = await startXaiServer();
});
afterEach(async () => {
  await server.close();
});

describe('xAI client against a local Management API', () => {
  it('discovers the team, reads the prepaid balance and the daily usage per model', async () => {
    const { ctx } = testContext('xai', server, XAI_MANAGEMENT_KEY);
    const { pages, error } = await drain(xai.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /auth/management-keys/validation',
      `GET /v1/billing/teams/${XAI_TEAM_ID}/prepaid/balance`,
      `POST /v1/billing/teams/${XAI_TEAM_ID}/usage`,
    ]);
    for (const r of server.requests) expect(r.headers.authorization).toBe(`Bearer ${XAI_MANAGEMENT_KEY}`);
    expect(server.requests[2]!.json).toEqual({
      analyticsRequest: {
        timeRange: { startTime: '2026-11-01 00:00:00', endTime: '2026-11-10 12:00:00', timezone: 'Etc/UTC' },
        timeUnit: 'TIME_UNIT_DAY',
        values: [{ name: 'usd', aggregation: 'AGGREGATION_SUM' }],
        groupBy: ['model_name'],
        filters: [],
      },
    });
    const balance = pages.find((p) => p.balance)!.balance!;
    expect(formatUsd(balance.amountNano)).toBe(XAI_DOCUMENTED.balanceUsd);
    const billed = pages.flatMap((p) => p.billed ?? []);
    expect(billed).toHaveLength(XAI_DOCUMENTED.usageRows);
    expect(formatUsd(billedTotal(pages))).toBe(XAI_DOCUMENTED.usageTotalUsd);
    expect(billed.find((r) => r.model === 'grok-4.3' && r.bucketStart.toISOString() === '2026-11-04T00:00:00.000Z')?.amountNano).toBe(12_500_000);
  });

  it('uses BURNRATE_XAI_TEAM_ID instead of discovering the team', async () => {
    const { ctx } = testContext('xai', server, XAI_MANAGEMENT_KEY, { env: { BURNRATE_XAI_TEAM_ID: XAI_TEAM_ID } });
    await drain(xai.sync(ctx, WINDOW));
    expect(server.requests.map((r) => r.path)).not.toContain('/auth/management-keys/validation');
    const wrong = testContext('xai', server, XAI_MANAGEMENT_KEY, { env: { BURNRATE_XAI_TEAM_ID: 'team-other' } });
    const { error } = await expectSyncError(xai.sync(wrong.ctx, WINDOW));
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/BURNRATE_XAI_TEAM_ID/);
  });

  it('reads both balance variants; a positive total is money owed', async () => {
    server.state.balanceShape = 'current';
    const a = await drain(xai.sync(testContext('xai', server, XAI_MANAGEMENT_KEY).ctx, WINDOW));
    expect(formatUsd(a.pages.find((p) => p.balance)!.balance!.amountNano)).toBe('31.70');
    server.state.balanceShape = 'positive-total';
    const b = await drain(xai.sync(testContext('xai', server, XAI_MANAGEMENT_KEY).ctx, WINDOW));
    expect(formatUsd(b.pages.find((p) => p.balance)!.balance!.amountNano)).toBe('-31.70');
  });

  it('asks again day by day when an answer is cut short (limitReached), lands what came and notes each day', async () => {
    server.state.limitReached = true;
    const { error, pages } = await drain(xai.sync(testContext('xai', server, XAI_MANAGEMENT_KEY).ctx, WINDOW));
    expect(error).toBeUndefined();
    const usage = server.requests.filter((r) => r.path.endsWith('/usage'));
    // The whole window, then halves down to single days: 2n - 1 requests for n days.
    const days = Math.ceil((WINDOW.end.getTime() - Date.parse('2026-11-01T00:00:00Z')) / 86_400_000);
    expect(usage).toHaveLength(2 * days - 1);
    expect(formatUsd(billedTotal(pages))).toBe(XAI_DOCUMENTED.usageTotalUsd);
    const notes = pages.flatMap((p) => p.unreadable?.rows ?? []);
    expect(notes).toHaveLength(days);
    expect(notes[0]!.reason).toMatch(/cut short \(limitReached\)/);
  });

  it('says a team id is needed when validation does not name one', async () => {
    await server.close();
    server = await startXaiServer({ validation: { scope: 'SCOPE_USER', scopeId: 'user-1' } });
    const { error } = await expectSyncError(xai.sync(testContext('xai', server, XAI_MANAGEMENT_KEY).ctx, WINDOW));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(/BURNRATE_XAI_TEAM_ID/);
  });

  it('a wrong key is auth (hinting at management keys) and never echoed; 429 waited; garbage malformed', async () => {
    const key = 'xai-WRONGwrongWRONG0123456789abcdef';
    const wrong = await expectSyncError(xai.sync(testContext('xai', server, key).ctx, WINDOW));
    expect(wrong.error.kind).toBe('auth');
    expect(wrong.error.message).toMatch(/management key/);
    expectNoKey(wrong.error.message, key);

    server.setScenario({ path: '/usage', steps: [fail.rateLimited({ seconds: 5 }), fail.garbage('truncated')] });
    const { ctx, waits } = testContext('xai', server, XAI_MANAGEMENT_KEY);
    const { error, pages } = await expectSyncError(xai.sync(ctx, WINDOW));
    expect(waits).toEqual([5_000]);
    expect(error.kind).toBe('malformed');
    expect(pages.flatMap((p) => p.billed ?? [])).toEqual([]);
  });

  it('testKey names the team', async () => {
    const ok = await xai.testKey(testContext('xai', server, XAI_MANAGEMENT_KEY).ctx);
    expect(ok).toMatchObject({ ok: true, kind: 'management' });
    expect(ok.message).toContain(XAI_TEAM_ID);
  });
});
