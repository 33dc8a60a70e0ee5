import { afterEach, describe, expect, it } from 'vitest';
import { catchUp } from '../../../src/app/catch-up';
import { dispatch } from '../../../src/api/dispatch';
import { forecastMonth, projectMonth, readingsStream } from '../../../src/budget/forecast';
import { balanceRunways } from '../../../src/odometer/runway';
import { formatUsd, parseUsd, type Nano } from '../../../src/money';
import { addDays, eachDay, weekday } from '../../../src/time';
import { spend, testCore, type TestCore } from './helpers';

const usd = (s: string) => parseUsd(s);

function series(from: string, to: string, amount: (day: string) => Nano): Map<string, Nano> {
  return new Map(eachDay(from, to).map((d) => [d, amount(d)]));
}

describe('projectMonth: trend and unknown days', () => {
  it('follows a significant trend: spend rising $0.10 a day every day', () => {
    // $1.00 on Feb 1, +$0.10 a day: Mar 10 is $4.80 and the March days 10..31 add up to $153.10.
    const rising = series('2026-02-01', '2026-03-09', (d) => usd('1') + (Date.parse(d) - Date.parse('2026-02-01')) / 86_400_000 * usd('0.1'));
    const mtd = [...rising].filter(([d]) => d >= '2026-03-01').reduce((a, [, n]) => a + n, 0);
    const truth = mtd + eachDay('2026-03-10', '2026-03-31').reduce((a, d) => a + usd('1') + (Date.parse(d) - Date.parse('2026-02-01')) / 86_400_000 * usd('0.1'), 0);
    const input = { today: '2026-03-10', variable: rising, historyStart: '2026-02-01', monthToDate: mtd, monthly: null };
    const withTrend = Number(projectMonth(input).forecast);
    const without = Number(projectMonth(input, { trend: false, blend: false }).forecast);
    // The damped trend and the blend are cautious: they close more than half of the lag, not all.
    expect(withTrend).toBeLessThan(truth);
    expect(Math.abs(withTrend - truth)).toBeLessThan(Math.abs(without - truth) / 2);
  });

  it('leaves a readings stream\'s days after its latest figure out of the rate instead of counting $0', () => {
    // $2.00 a day read on Mar 3 and Mar 6 at 18:00 (UTC): Mar 1..2 and 4..5 are known, Mar 3 and 6 partly.
    const at = (iso: string) => Date.parse(iso);
    const segments = [
      { startMs: at('2026-03-01T00:00:00Z'), endMs: at('2026-03-03T18:00:00Z'), amount: usd('5.5') },
      { startMs: at('2026-03-03T18:00:00Z'), endMs: at('2026-03-06T18:00:00Z'), amount: usd('6') },
    ];
    const daily = new Map([['2026-03-01', usd('2')], ['2026-03-02', usd('2')], ['2026-03-03', usd('2')], ['2026-03-04', usd('2')], ['2026-03-05', usd('2')], ['2026-03-06', usd('1.5')]]);
    const stream = readingsStream(segments, daily, 'UTC', '2026-03-08')!;
    expect(stream).toMatchObject({ historyStart: '2026-03-01', lastComplete: '2026-03-05' });
    const p = projectMonth({ today: '2026-03-08', variable: new Map(), historyStart: '2026-03-01', streams: [stream], monthToDate: usd('11.5'), monthly: null });
    expect(p.forecast).toBe(BigInt(usd('62')));
    expect(p.dailyRate).toBe(BigInt(usd('2')));
  });
});

describe('projectMonth (pure)', () => {
  it('projects a steady burn to month end and finds the day the budget runs out', () => {
    // $2/day since Feb 1; today is Mar 10 at 00:00 (nothing yet today). MTD = 9 × $2 = $18.
    const variable = series('2026-02-01', '2026-03-09', () => usd('2'));
    const p = projectMonth({ today: '2026-03-10', variable, historyStart: '2026-02-01', monthToDate: usd('18'), monthly: usd('50') });
    expect(p.dailyRate).toBe(BigInt(usd('2')));
    expect(p.basisDays).toBe(28); // the longest of the 7-, 14- and 28-day windows
    expect(p.forecast).toBe(BigInt(usd('62'))); // 18 + 22 days × 2
    // 18 + 2×16 = 50 on Mar 25; passed on Mar 26.
    expect(p.runsOutOn).toBe('2026-03-26');
    expect(p.weekdayAware).toBe(true);
    expect(p.factorsBp).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  it('counts what today already spent and never forecasts below month-to-date', () => {
    const variable = series('2026-02-20', '2026-03-10', (d) => (d === '2026-03-10' ? usd('9') : usd('1')));
    const p = projectMonth({ today: '2026-03-10', variable, historyStart: '2026-02-20', monthToDate: usd('18'), monthly: null });
    // Today is already past its expected $1: nothing more today; 21 later days at $1.
    expect(p.forecast).toBe(BigInt(usd('39')));
    expect(p.runsOutOn).toBeNull();
  });

  it('is weekday-aware: workdays cost more than weekends', () => {
    const variable = series('2026-01-01', '2026-03-09', (d) => ([0, 6].includes(weekday(d)) ? usd('1') : usd('6')));
    const p = projectMonth({ today: '2026-03-10', variable, historyStart: '2026-01-01', monthToDate: usd('0'), monthly: null });
    // Mar 10–31 2026: 16 workdays, 6 weekend days. Shrinkage pulls shares a little towards the mean.
    const exact = 16 * 6 + 6 * 1;
    const flat = projectMonth({ today: '2026-03-10', variable, historyStart: '2026-01-01', monthToDate: 0, monthly: null }, { weekdayAware: false });
    expect(Math.abs(Number(p.forecast) - usd(String(exact)))).toBeLessThan(Math.abs(Number(flat.forecast) - usd(String(exact))));
    expect(p.factorsBp![1]!).toBeGreaterThan(10_000);
    expect(p.factorsBp![0]!).toBeLessThan(10_000);
  });

  it('does not count days before the first data as zero', () => {
    const variable = series('2026-03-07', '2026-03-09', () => usd('3'));
    const p = projectMonth({ today: '2026-03-10', variable, historyStart: '2026-03-07', monthToDate: usd('9'), monthly: null });
    expect(p.basisDays).toBe(3);
    expect(p.dailyRate).toBe(BigInt(usd('3')));
    expect(p.weekdayAware).toBe(false);
    expect(p.forecast).toBe(BigInt(usd('9') + 22 * usd('3')));
  });

  it('uses today alone when there is no complete day yet', () => {
    const p = projectMonth({ today: '2026-03-10', variable: new Map([['2026-03-10', usd('2')]]), historyStart: '2026-03-10', monthToDate: usd('2'), monthly: null });
    expect(p.basisDays).toBe(0);
    expect(p.forecast).toBe(BigInt(usd('2') * 22));
  });

  it('adds fixed fees still due on their day', () => {
    const variable = series('2026-02-01', '2026-03-09', () => usd('1'));
    const p = projectMonth({
      today: '2026-03-10',
      variable,
      historyStart: '2026-02-01',
      monthToDate: usd('9'),
      fixedAhead: [{ day: '2026-03-15', amount: usd('20') }],
      monthly: usd('35'),
    });
    expect(p.forecast).toBe(BigInt(usd('9') + 22 * usd('1') + usd('20')));
    // 9 + 6 (10th–15th) + 20 = 35 on the 15th (not past); passed on the 16th.
    expect(p.runsOutOn).toBe('2026-03-16');
  });

  it('says nothing about running out once the budget is already past', () => {
    const variable = series('2026-02-01', '2026-03-09', () => usd('10'));
    const p = projectMonth({ today: '2026-03-10', variable, historyStart: '2026-02-01', monthToDate: usd('90'), monthly: usd('50') });
    expect(p.alreadyExceeded).toBe(true);
    expect(p.runsOutOn).toBeNull();
  });

  it('reaches exactly the month end on its last day', () => {
    const variable = series('2026-02-01', '2026-02-27', () => usd('1'));
    const p = projectMonth({ today: '2026-02-28', variable, historyStart: '2026-02-01', monthToDate: usd('27'), monthly: null });
    expect(p.forecast).toBe(BigInt(usd('28')));
  });
});

describe('forecast from the ledger', () => {
  let t: TestCore;
  afterEach(() => t?.core.close());

  it('reads counted spend per local day, keeps subscriptions out of the burn rate and adds the fees still due', async () => {
    t = testCore({ now: '2026-03-10T00:30:00Z' });
    for (const day of eachDay('2026-02-20', '2026-03-09')) await spend(t.core, '1.50', { at: `${day}T12:00:00Z` });
    // A $20 subscription on the 1st is in the ledger; one of $10 due on the 20th is not yet.
    t.core.usage.write([{ source: 'subscription', provider: 'chatgpt-plus', model: '', costNano: usd('20'), occurredAt: new Date('2026-03-01T08:00:00Z'), externalId: 'sub-2026-03' }]);
    const insertSub = t.core.db.prepare(
      "INSERT INTO subscriptions (name, provider, monthly_nano, day_of_month, started_on, created_at) VALUES (?, ?, ?, ?, '2026-01-01', '2026-01-01T00:00:00Z')",
    );
    insertSub.run('ChatGPT Plus', 'chatgpt-plus', usd('20'), 1);
    insertSub.run('Cursor', 'cursor', usd('10'), 20);
    const f = forecastMonth(t.core.db, '2026-03-10', usd('80'));
    expect(f.monthToDate).toBe(BigInt(usd('20') + 9 * usd('1.5')));
    expect(f.dailyRate).toBe(BigInt(usd('1.5')));
    expect(f.fixedAhead).toBe(BigInt(usd('10')));
    expect(f.forecast).toBe(BigInt(usd('20') + 31 * usd('1.5') + usd('10')));
    expect(f.runsOutOn).toBeNull();
    // A read shows the truth as of now: the days of March the catch-up would store for these two
    // subscriptions (none is stored by it yet) count as they will once stored.
    const view = await dispatch(t.core, 'budgetShow', {});
    catchUp(t.core);
    const stored = forecastMonth(t.core.db, '2026-03-10', usd('80'));
    expect(stored.monthToDate).toBeGreaterThan(f.monthToDate);
    expect(view.month.forecast).toMatchObject({ forecastUsd: formatUsd(stored.forecast), dailyRateUsd: '1.50', fixedAheadUsd: formatUsd(stored.fixedAhead), basisDays: 18 });
    expect(await dispatch(t.core, 'budgetShow', {})).toEqual(view);
  });

  it('counts a subscription added through the odometer area once, whole, in the month', async () => {
    t = testCore({ now: '2026-03-10T12:00:00Z' });
    for (const day of eachDay('2026-02-20', '2026-03-09')) await spend(t.core, '1.00', { at: `${day}T12:00:00Z` });
    await dispatch(t.core, 'subscriptionAdd', { name: 'Claude Pro', monthly: '31', day: 1, provider: 'claude-pro', since: '2026-02-01' });
    const f = forecastMonth(t.core.db, '2026-03-10', null);
    expect(f.dailyRate).toBe(BigInt(usd('1'))); // the fee is not a burn rate
    // Month to date: 9 days of $1 + 10 days of the $31 fee ($1/day); still due: $21 of the fee.
    expect(f.monthToDate).toBe(BigInt(usd('19')));
    expect(f.fixedAhead).toBe(BigInt(usd('21')));
    expect(f.forecast).toBe(BigInt(usd('19') + 22 * usd('1') + usd('21')));
  });

  it('fires "the month will exceed its budget on DATE" once, as soon as the forecast says so', async () => {
    t = testCore({ now: '2026-03-05T08:00:00Z' });
    await dispatch(t.core, 'budgetSet', { monthly: '100' });
    for (const day of eachDay('2026-02-26', '2026-03-04')) await spend(t.core, '2', { at: `${day}T12:00:00Z` });
    // At $2/day: 8 + 2 × 27 = $62 by month end, fine.
    expect((await dispatch(t.core, 'alerts', {})).alerts).toEqual([]);
    await spend(t.core, '30'); // a burst today raises today's figure, not the daily rate yet: $90 forecast
    expect((await dispatch(t.core, 'alerts', { all: true })).alerts).toEqual([]);
    t.clock.set('2026-03-06T08:00:00Z');
    await spend(t.core, '10'); // now the burst is a complete day in the rate: far past $100
    const alerts = (await dispatch(t.core, 'alerts', { all: true })).alerts;
    const forecast = alerts.filter((a) => a.rule === 'forecast_over');
    expect(forecast).toHaveLength(1);
    expect(forecast[0]!.message).toMatch(/^At this pace the month will exceed its budget of \$100\.00 on 2026-03-\d\d \(forecast \$\d+\.\d\d by month end\)\.$/);
    const status = await dispatch(t.core, 'status', {});
    expect(status.month.runsOutOn).toBe(forecast[0]!.data.runsOutOn);
    expect(status.attention.some((a) => a.kind === 'forecast')).toBe(true);
    t.clock.set('2026-03-08T08:00:00Z');
    await spend(t.core, '10');
    expect((await dispatch(t.core, 'alerts', { all: true })).alerts.filter((a) => a.rule === 'forecast_over')).toHaveLength(1);
  });

  it('gives a prepaid balance its days of runway', async () => {
    t = testCore({ now: '2026-03-10T12:00:00Z' });
    for (const day of eachDay(addDays('2026-03-10', -14), '2026-03-09')) await spend(t.core, '0.50', { provider: 'deepseek', at: `${day}T12:00:00Z` });
    t.core.db
      .prepare("INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, created_at) VALUES ('deepseek', 'balance', ?, '2026-03-09T10:00:00Z', '2026-03', '2026-03-09T10:00:00Z')")
      .run(usd('2.20'));
    t.core.db
      .prepare("INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, created_at) VALUES ('deepseek', 'topup', ?, '2026-03-09T11:00:00Z', '2026-03', '2026-03-09T11:00:00Z')")
      .run(usd('1.00'));
    // One balance reading measures no burn yet: the counted spend of 14 complete days ($0.50/day)
    // stands in. $3.20 lasts 6.4 days from the figure (Mar 9 11:00), 5 of them still ahead.
    const [r] = balanceRunways(t.core.db, Date.parse('2026-03-10T12:00:00Z'), 'UTC');
    expect(r).toMatchObject({ provider: 'deepseek', balance: usd('3.20'), runway: { perDay: BigInt(usd('0.5')), runwayDays: 5 } });
    expect(r!.view).toMatchObject({ balanceUsd: '3.20', burnPerDayUsd: '0.50', runwayDays: 5, runsOutOn: '2026-03-15' });
    const status = await dispatch(t.core, 'status', {});
    expect(status.attention.find((a) => a.kind === 'runway')).toMatchObject({ severity: 'warning', provider: 'deepseek' });
  });
});
