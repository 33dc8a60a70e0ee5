import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../src/api/errors';
import { call, testCore } from './helpers';

function counted(core: ReturnType<typeof testCore>): number {
  return (core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n;
}

describe('subscriptionPreview', () => {
  it("says what adding one does to today and the month before saving, and the saved figures agree", async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'budgetSet', { daily: '1.00', monthly: '300.00' });
    await call(core, 'record', { provider: 'anthropic', model: 'claude-x', cost: '0.50' });
    const rowsBefore = counted(core);
    const preview = await call(core, 'subscriptionPreview', { name: 'ChatGPT Plus', monthly: '31', day: 5, since: '2026-02-15' });
    expect(counted(core)).toBe(rowsBefore); // a read never writes
    expect(preview.today).toMatchObject({ date: '2026-03-10', spentUsd: '0.50', addsUsd: '1.00', afterUsd: '1.50', budgetUsd: '1.00', healthBefore: 'good', healthAfter: 'exceeded' });
    expect(preview.month).toMatchObject({ month: '2026-03', addsUsd: '10.00', afterUsd: '10.50' });
    // February counts whole (a month it runs in): 31 USD.
    expect(preview.earlierMonths).toEqual({ count: 1, addsUsd: '31.00' });
    expect(preview.summary).toBe('Counting from 2026-02-15, ChatGPT Plus adds $1.00 to today (putting it over its budget), $10.00 to this month and $31.00 to 1 earlier month.');

    await call(core, 'subscriptionAdd', { name: 'ChatGPT Plus', monthly: '31', day: 5, since: '2026-02-15' });
    const status = await call(core, 'status', {});
    expect(status.day.spentUsd).toBe(preview.today.afterUsd);
    expect(status.month.spentUsd).toBe(preview.month.afterUsd);
  });

  it('refuses what adding would refuse, with the same sentence', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await expect(call(core, 'subscriptionPreview', { name: 'Claude Pro', monthly: '20', day: 1, since: '2026-04-01' })).rejects.toMatchObject({
      code: 'invalid_input',
    } satisfies Partial<ApiError>);
    await call(core, 'subscriptionAdd', { name: 'Claude Pro', monthly: '20', day: 1 });
    await expect(call(core, 'subscriptionPreview', { name: 'claude pro', monthly: '20', day: 1 })).rejects.toThrow(/already tracked/);
  });

  it('shows a cap the fee would pass', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'budgetSet', { provider: 'groq', monthly: '5.00' });
    const preview = await call(core, 'subscriptionPreview', { name: 'Groq Pro', monthly: '31', day: 1, provider: 'groq' });
    expect(preview.cap).toMatchObject({ capUsd: '5.00', afterUsd: '10.00', healthAfter: 'exceeded' });
    expect(preview.summary).toContain('; Groq then goes over its $5.00 monthly cap.');
  });
});

describe('unpricedModels', () => {
  it('lists the models without a price, and a price set for one removes it', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'record', { provider: 'openai', model: 'mystery-1', inputTokens: 1000, outputTokens: 10, source: 'proxy' });
    await call(core, 'record', { provider: 'openai', model: 'mystery-1', inputTokens: 500, outputTokens: 10, source: 'proxy' });
    await call(core, 'record', { provider: 'groq', model: 'odd-model', inputTokens: 10, source: 'proxy' });
    const list = await call(core, 'unpricedModels', {});
    expect(list.models.map((m) => [m.provider, m.model, m.events])).toEqual([
      ['openai', 'mystery-1', 2],
      ['groq', 'odd-model', 1],
    ]);
    expect((await call(core, 'unpricedModels', { provider: 'groq' })).models.map((m) => m.model)).toEqual(['odd-model']);
    await call(core, 'priceSet', { provider: 'openai', model: 'mystery-1', input: '1', output: '2' });
    expect((await call(core, 'unpricedModels', {})).models.map((m) => m.model)).toEqual(['odd-model']);
  });
});
