import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { spend, testCore, type TestCore } from './helpers';

/**
 * A budget day is the user's local calendar day (design.md). These run across the DST changes of
 * Europe/Berlin and America/New_York (days of 23 and 25 hours) and for a +05:30 zone.
 */
let t: TestCore;
afterEach(() => t?.core.close());

/** Spend as it happens: the clock stands at the moment of the spend, so the checks run then. */
async function live(cost: string, at: string) {
  t.clock.set(at);
  await spend(t.core, cost, { at });
}

async function dayAt(iso: string) {
  t.clock.set(iso);
  const s = await dispatch(t.core, 'status', {});
  return { date: s.day.date, spent: s.day.spentUsd, health: s.day.health, month: s.month.month, monthSpent: s.month.spentUsd };
}

describe('local days across DST and odd offsets', () => {
  it('Europe/Berlin, spring forward (2026-03-29 has 23 hours)', async () => {
    t = testCore({ timeZone: 'Europe/Berlin', now: '2026-03-30T10:00:00Z' });
    await dispatch(t.core, 'budgetSet', { daily: '5' });
    await live('1.00', '2026-03-28T22:59:00Z'); // 23:59 CET, Mar 28
    await live('2.00', '2026-03-28T23:00:00Z'); // 00:00 CET, Mar 29
    await live('0.50', '2026-03-29T01:30:00Z'); // 03:30 CEST (02:00–03:00 never happened)
    await live('1.50', '2026-03-29T21:59:00Z'); // 23:59 CEST, Mar 29
    await live('4.00', '2026-03-29T22:00:00Z'); // 00:00 CEST, Mar 30
    expect(await dayAt('2026-03-28T22:30:00Z')).toMatchObject({ date: '2026-03-28', spent: '1.00', health: 'good' });
    expect(await dayAt('2026-03-29T21:30:00Z')).toMatchObject({ date: '2026-03-29', spent: '4.00', health: 'warning' });
    expect(await dayAt('2026-03-29T22:30:00Z')).toMatchObject({ date: '2026-03-30', spent: '4.00', monthSpent: '9.00' });
    const periods = (await dispatch(t.core, 'alerts', { all: true })).alerts.map((a) => `${a.rule}@${a.period}`).sort();
    expect(periods).toContain('day_80@2026-03-29');
    expect(periods).toContain('day_80@2026-03-30');
    expect(periods.filter((p) => p.endsWith('2026-03-28'))).toEqual([]);
  });

  it('Europe/Berlin, fall back (2026-10-25 has 25 hours)', async () => {
    t = testCore({ timeZone: 'Europe/Berlin', now: '2026-10-26T12:00:00Z' });
    await spend(t.core, '1.00', { at: '2026-10-24T22:00:00Z' }); // 00:00 CEST, Oct 25
    await spend(t.core, '1.00', { at: '2026-10-25T00:30:00Z' }); // 02:30 CEST, the first 02:30
    await spend(t.core, '1.00', { at: '2026-10-25T01:30:00Z' }); // 02:30 CET, the second 02:30
    await spend(t.core, '1.00', { at: '2026-10-25T22:59:00Z' }); // 23:59 CET, Oct 25
    await spend(t.core, '1.00', { at: '2026-10-25T23:00:00Z' }); // 00:00 CET, Oct 26
    expect(await dayAt('2026-10-25T22:30:00Z')).toMatchObject({ date: '2026-10-25', spent: '4.00' });
    expect(await dayAt('2026-10-25T23:30:00Z')).toMatchObject({ date: '2026-10-26', spent: '1.00', monthSpent: '5.00' });
  });

  it('America/New_York, spring forward and fall back', async () => {
    t = testCore({ timeZone: 'America/New_York', now: '2026-11-03T12:00:00Z' });
    await dispatch(t.core, 'budgetSet', { daily: '2' }); // $1.60 spendable
    await spend(t.core, '1.00', { at: '2026-03-08T04:59:00Z' }); // 23:59 EST, Mar 7
    await spend(t.core, '1.00', { at: '2026-03-08T05:00:00Z' }); // 00:00 EST, Mar 8 (23-hour day)
    await spend(t.core, '1.00', { at: '2026-03-09T03:59:00Z' }); // 23:59 EDT, Mar 8
    await spend(t.core, '1.00', { at: '2026-11-01T04:00:00Z' }); // 00:00 EDT, Nov 1 (25-hour day)
    await spend(t.core, '0.70', { at: '2026-11-02T04:59:00Z' }); // 23:59 EST, Nov 1
    await spend(t.core, '0.10', { at: '2026-11-02T05:00:00Z' }); // 00:00 EST, Nov 2
    expect(await dayAt('2026-03-08T04:30:00Z')).toMatchObject({ date: '2026-03-07', spent: '1.00' });
    expect(await dayAt('2026-03-09T03:30:00Z')).toMatchObject({ date: '2026-03-08', spent: '2.00', health: 'critical' });
    expect(await dayAt('2026-11-02T04:30:00Z')).toMatchObject({ date: '2026-11-01', spent: '1.70', health: 'critical', month: '2026-11' });
    expect(await dayAt('2026-11-02T05:30:00Z')).toMatchObject({ date: '2026-11-02', spent: '0.10', health: 'good', monthSpent: '1.80' });
  });

  it('Asia/Kolkata (+05:30): the day and the month turn at local midnight', async () => {
    t = testCore({ timeZone: 'Asia/Kolkata', now: '2026-04-01T12:00:00Z' });
    await dispatch(t.core, 'budgetSet', { daily: '5', monthly: '10' });
    await live('3.00', '2026-03-31T18:29:00Z'); // 23:59 IST, Mar 31
    await live('4.50', '2026-03-31T18:30:00Z'); // 00:00 IST, Apr 1
    expect(await dayAt('2026-03-31T18:29:30Z')).toMatchObject({ date: '2026-03-31', spent: '3.00', month: '2026-03', monthSpent: '3.00' });
    const april = await dayAt('2026-03-31T18:30:30Z');
    expect(april).toMatchObject({ date: '2026-04-01', spent: '4.50', health: 'critical', month: '2026-04', monthSpent: '4.50' });
    const alerts = (await dispatch(t.core, 'alerts', { all: true })).alerts.map((a) => `${a.rule}@${a.period}`).sort();
    // Mar 31: $3.00 is 75 % of the day's $4 spendable, 37.5 % of March's $8. Apr 1: $4.50 is into
    // the day's reserve and 56 % of April's $8 spendable: April's month starts from zero.
    expect(alerts).toEqual(['day_50@2026-03-31', 'day_50@2026-04-01', 'day_80@2026-04-01', 'day_reserve@2026-04-01', 'month_50@2026-04']);
  });
});
