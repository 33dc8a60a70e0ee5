import { describe, expect, it } from 'vitest';
import { type ApiError } from '../../../src/api/errors';
import { catchUp } from '../../../src/app/catch-up';
import { slugOf } from '../../../src/model/provider-slug';
import { call, derivedSum, testCore } from './helpers';

const USD = 1_000_000_000;

function monthSum(core: ReturnType<typeof testCore>, month: string, provider = 'chatgpt-plus'): number {
  return derivedSum(core, 'subscription', provider, `AND local_day LIKE '${month}-%'`);
}

describe('subscriptions', () => {
  it('counts the fee once per month, spread evenly over its days, written up to today', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    const sub = await call(core, 'subscriptionAdd', { name: 'ChatGPT Plus', monthly: '20', day: 5 });
    expect(sub).toMatchObject({ provider: 'chatgpt-plus', monthlyUsd: '20.00', dayOfMonth: 5, startedOn: '2026-03-10', active: true, nextChargeOn: '2026-04-05' });
    // 20 / 31 per day; the largest remainders go to the first days so the month adds up exactly.
    const days = core.db.prepare("SELECT local_day, cost_total_nano FROM usage_events WHERE source = 'subscription' ORDER BY local_day").all() as {
      local_day: string;
      cost_total_nano: number;
    }[];
    expect(days.map((d) => d.local_day)).toEqual(Array.from({ length: 10 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`));
    expect(days[0]!.cost_total_nano).toBe(645_161_291);
    core.setNow('2026-04-02T08:00:00Z');
    catchUp(core); // the daily catch-up (status and the scheduler run it)
    expect(monthSum(core, '2026-03')).toBe(20 * USD);
    expect(monthSum(core, '2026-04')).toBe(1_333_333_334); // 20/30 a day, the remainder going to the first days
    const status = await call(core, 'status', {});
    expect(status.providers.find((p) => p.provider === 'chatgpt-plus')).toMatchObject({ source: 'subscription', mode: 'subscription' });
    // Subscriptions always count, on top of API spend of the same provider.
    const list = await call(core, 'subscriptions', {});
    expect(list.monthlyTotalUsd).toBe('20.00');
  });

  it('a subscription on a known provider adds to its readings instead of competing with them', async () => {
    const core = testCore('2026-03-03T00:00:00Z');
    await call(core, 'subscriptionAdd', { name: 'Groq Pro', monthly: '31', day: 1, provider: 'groq' });
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.30' });
    const status = await call(core, 'status', {});
    // Two days of readings ($0.30) plus three days of the fee ($3.00).
    expect(status.providers.find((p) => p.provider === 'groq')).toMatchObject({ monthSpentUsd: '3.30', mode: 'odometer' });
  });

  it('remove ends it today (the month keeps its fee); --purge deletes it and every row', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    const a = await call(core, 'subscriptionAdd', { name: 'Claude Pro', monthly: '20', day: 1, since: '2026-02-01' });
    expect(monthSum(core, '2026-02', 'claude-pro')).toBe(20 * USD);
    const ended = await call(core, 'subscriptionRemove', { id: a.id });
    expect(ended).toMatchObject({ purged: false, subscription: { active: false, endedOn: '2026-03-10', nextChargeOn: null } });
    core.setNow('2026-05-02T00:00:00Z');
    catchUp(core);
    expect(monthSum(core, '2026-03', 'claude-pro')).toBe(20 * USD);
    expect(monthSum(core, '2026-04', 'claude-pro')).toBe(0);
    const again = await call(core, 'subscriptionRemove', { id: a.id }).catch((e: ApiError) => e);
    expect(again).toMatchObject({ code: 'conflict' });
    await call(core, 'subscriptionRemove', { id: a.id, purge: true });
    expect(derivedSum(core, 'subscription')).toBe(0);
    expect((await call(core, 'subscriptions', {})).subscriptions).toEqual([]);
  });

  it('refuses bad input', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'subscriptionAdd', { name: 'Copilot', monthly: '10', day: 31 });
    for (const [input, code] of [
      [{ name: 'Copilot', monthly: '10', day: 1 }, 'conflict'],
      [{ name: 'X', monthly: '-1', day: 1 }, 'invalid_input'],
      [{ name: 'X', monthly: '1', day: 32 }, 'invalid_input'],
      [{ name: 'X', monthly: '1', day: 1, since: '2026-04-01' }, 'invalid_input'],
      [{ name: '!!!', monthly: '1', day: 1 }, 'invalid_input'],
    ] as const) {
      expect(await call(core, 'subscriptionAdd', input).catch((e: ApiError) => e.code)).toBe(code);
    }
    expect((await call(core, 'subscriptions', {})).subscriptions.map((s) => s.nextChargeOn)).toEqual(['2026-03-31']);
    expect(slugOf('Claude Pro (Team)')).toBe('claude-pro-team');
  });
});
