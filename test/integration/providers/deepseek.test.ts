import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatUsd } from '../../../src/money';
import { deepseek } from '../../../src/providers/deepseek';
import { fail } from '../../fixtures/servers/common';
import { CNY_ONLY, DEEPSEEK_DOCUMENTED, DEEPSEEK_KEY, startDeepSeekServer, type DeepSeekServer } from '../../fixtures/servers/deepseek';
import { drain, expectNoKey, expectSyncError, testContext } from './harness';

const WINDOW = { start: new Date('2026-11-08T00:00:00Z'), end: new Date('2026-11-10T12:00:00Z') };

let server: DeepSeekServer;
beforeEach(async () => {
  server = await startDeepSeekServer();
});
afterEach(async () => {
  await server.close();
});

describe('DeepSeek client against a local /user/balance', () => {
  it('reads the USD balance exactly as a balance reading, with no billed rows', async () => {
    const { ctx } = testContext('deepseek', server, DEEPSEEK_KEY);
    const { pages, error } = await drain(deepseek.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    expect(pages[0]!.billed).toBeUndefined();
    expect(pages[0]!.balance).toEqual({ amountNano: 41_270_000_000, currency: 'USD', at: new Date('2026-11-10T12:00:00Z') });
    expect(formatUsd(pages[0]!.balance!.amountNano)).toBe(DEEPSEEK_DOCUMENTED.balanceUsd);
    expect(server.requests[0]!.path).toBe('/user/balance');
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${DEEPSEEK_KEY}`);
  });

  it('says plainly that CNY-only accounts are not supported yet', async () => {
    server.state.balances = CNY_ONLY;
    const { ctx } = testContext('deepseek', server, DEEPSEEK_KEY);
    const { error, pages } = await expectSyncError(deepseek.sync(ctx, WINDOW));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(/CNY only.*not support CNY-only accounts yet/);
    expect(pages).toEqual([]);
    const test = await deepseek.testKey(testContext('deepseek', server, DEEPSEEK_KEY).ctx);
    expect(test).toMatchObject({ ok: false, kind: 'normal', errorKind: 'config' });
  });

  it('retries a 503 with Retry-After and a 500, then reads the balance', async () => {
    server.setScenario([fail.status(503, 'Service Unavailable', { 'retry-after': '3' }), fail.serverError()]);
    const { ctx, waits } = testContext('deepseek', server, DEEPSEEK_KEY);
    const { pages, error } = await drain(deepseek.sync(ctx, WINDOW));
    expect(error).toBeUndefined();
    expect(waits).toEqual([3_000, 1_000]); // Retry-After, then 0.5 × (1 s × 2^1)
    expect(formatUsd(pages[0]!.balance!.amountNano)).toBe('41.27');
  });

  it('a wrong key is auth and never echoed; a 402 (insufficient balance) is not retried', async () => {
    const key = 'sk-WRONGdsk0123456789abcdefXYZ';
    const { error } = await expectSyncError(deepseek.sync(testContext('deepseek', server, key).ctx, WINDOW));
    expect(error.kind).toBe('auth');
    expectNoKey(error.message, key);

    server.setScenario([fail.status(402)]);
    const { ctx, waits } = testContext('deepseek', server, DEEPSEEK_KEY);
    const quota = await expectSyncError(deepseek.sync(ctx, WINDOW));
    expect(quota.error.quota).toBe(true);
    expect(waits).toEqual([]);
  });

  it('garbage and timeouts', async () => {
    server.setScenario([fail.garbage('wrong-shape')]);
    const garbage = await expectSyncError(deepseek.sync(testContext('deepseek', server, DEEPSEEK_KEY).ctx, WINDOW));
    expect(garbage.error.kind).toBe('malformed');
    expect(garbage.pages).toEqual([]);

    server.setScenario([fail.hang()]);
    const hung = await expectSyncError(
      deepseek.sync(testContext('deepseek', server, DEEPSEEK_KEY, { timeoutMs: 100, retry: { maxAttempts: 1 } }).ctx, WINDOW),
    );
    expect(hung.error.kind).toBe('transient');
  });

  it('testKey reads the balance', async () => {
    const ok = await deepseek.testKey(testContext('deepseek', server, DEEPSEEK_KEY).ctx);
    expect(ok).toMatchObject({ ok: true, kind: 'normal' });
  });
});
