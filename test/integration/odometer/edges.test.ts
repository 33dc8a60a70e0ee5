import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

/** Issue 13's ledger edges, through the real CLI. */
function cli(home: string, tz = 'UTC') {
  return (args: string[], now: string) => {
    const r = burnrate(args, { BURNRATE_HOME: home, BURNRATE_NOW: now, TZ: tz });
    return r;
  };
}
function ok(run: ReturnType<typeof cli>, args: string[], now: string) {
  const r = run(args, now);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

function novemberFigures(run: ReturnType<typeof cli>, now: string) {
  const summary = ok(run, ['summary', '--from', '2026-11-01', '--to', '2026-11-30', '--by', 'provider', '--json'], now).json<{ totalUsd: string }>();
  const csv = ok(run, ['export', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv'], now).stdout;
  return { summary: summary.totalUsd, csvRows: csv.trim().split('\n').length - 1 };
}

describe('changing a provider mode keeps its history', () => {
  it('odometer → balance: November final $3.00 stays $3.00 in summary, export and status', { timeout: 240_000 }, () => {
    const run = cli(tempHome());
    ok(run, ['provider', 'set', 'groq', '--mode', 'odometer'], '2026-11-02T09:00:00Z');
    ok(run, ['reading', 'groq', '1.00'], '2026-11-15T12:00:00Z');
    ok(run, ['reading', 'groq', '3.00', '--month', '2026-11', '--final'], '2026-12-02T09:00:00Z');
    const before = novemberFigures(run, '2026-12-02T09:00:00Z');
    expect(before.summary).toBe('3.00');

    ok(run, ['provider', 'set', 'groq', '--mode', 'balance'], '2026-12-02T10:00:00Z');
    expect(novemberFigures(run, '2026-12-02T10:00:00Z')).toEqual(before);
    ok(run, ['reading', 'groq', '50'], '2026-12-03T10:00:00Z');
    ok(run, ['reading', 'groq', '48'], '2026-12-05T10:00:00Z');
    expect(novemberFigures(run, '2026-12-05T10:00:00Z')).toEqual(before);
    const status = ok(run, ['status', '--json'], '2026-12-05T10:00:00Z').json();
    expect(status.month).toMatchObject({ month: '2026-12', spentUsd: '2.00' });
    const readings = ok(run, ['readings', 'groq', '--json'], '2026-12-05T10:00:00Z').json();
    expect(readings.months).toEqual([expect.objectContaining({ month: '2026-11', totalUsd: '3.00', status: 'final' })]);

    // A balance reading dated inside the time the odometer measured (November) would count it twice: refused.
    const early = run(['reading', 'groq', '60', '--at', '2026-11-30T12:00:00Z'], '2026-12-05T10:00:00Z');
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/counts balance figures only from 2026-12-01 00:00 \(UTC\) on.*nothing was changed/);
  });

  it('balance → odometer: the balance drops counted in November stay', { timeout: 240_000 }, () => {
    const run = cli(tempHome());
    ok(run, ['provider', 'set', 'groq', '--mode', 'balance'], '2026-11-01T09:00:00Z');
    ok(run, ['reading', 'groq', '20'], '2026-11-02T12:00:00Z');
    ok(run, ['reading', 'groq', '15.50'], '2026-11-20T12:00:00Z');
    const before = novemberFigures(run, '2026-12-01T09:00:00Z');
    expect(before.summary).toBe('4.50');
    ok(run, ['provider', 'set', 'groq', '--mode', 'odometer'], '2026-12-01T10:00:00Z');
    ok(run, ['reading', 'groq', '0.70'], '2026-12-03T10:00:00Z');
    expect(novemberFigures(run, '2026-12-03T10:00:00Z')).toEqual(before);
    expect(ok(run, ['status', '--json'], '2026-12-03T10:00:00Z').json().month).toMatchObject({ month: '2026-12', spentUsd: '0.70' });
  });
});

describe('a reading at exactly 00:00 on the 1st', () => {
  for (const [label, at, tz, billingTz] of [
    ['UTC instant', '2026-12-01T00:00:00Z', 'UTC', 'UTC'],
    ['date only', '2026-12-01', 'UTC', 'UTC'],
    ['non-UTC billing zone', '2026-12-01T00:00:00-08:00', 'America/Los_Angeles', 'America/Los_Angeles'],
  ] as const) {
    it(`is November's closing figure (${label})`, { timeout: 120_000 }, () => {
      const run = cli(tempHome(), tz);
      ok(run, ['provider', 'set', 'groq', '--mode', 'odometer', '--billing-tz', billingTz], '2026-11-02T20:00:00Z');
      ok(run, ['reading', 'groq', '1.00'], '2026-11-15T20:00:00Z');
      const r = ok(run, ['reading', 'groq', '1.40', '--at', at, '--json'], '2026-12-02T20:00:00Z').json();
      expect(r.reading.billingMonth).toBe('2026-11');
      expect(r.closesMonth).toBe('2026-11');
      expect(r.month).toMatchObject({ month: '2026-11', totalUsd: '1.40', status: 'final' });
      const text = ok(run, ['reading', 'groq', '0.10'], '2026-12-02T21:00:00Z').stdout;
      expect(text).toMatch(/2026-12: \$0\.10/);
      const months = ok(run, ['readings', 'groq', '--json'], '2026-12-02T21:00:00Z').json().months;
      expect(months.map((m: { month: string; totalUsd: string; status: string }) => [m.month, m.totalUsd, m.status])).toEqual([
        ['2026-12', '0.10', 'open'],
        ['2026-11', '1.40', 'final'],
      ]);
      const summary = ok(run, ['summary', '--from', '2026-11-01', '--to', '2026-11-30', '--json'], '2026-12-02T21:00:00Z').json();
      expect(summary.totalUsd).toBe('1.40');
    });
  }

  it('says so in the text result', () => {
    const run = cli(tempHome());
    ok(run, ['reading', 'groq', '1.00'], '2026-11-15T12:00:00Z');
    expect(ok(run, ['reading', 'groq', '1.40', '--at', '2026-12-01T00:00:00Z'], '2026-12-01T08:00:00Z').stdout).toMatch(/2026-11's closing figure/);
  });
});

describe('refusals name real reading ids', () => {
  it('a back-dated reading above a final figure names the final figure, not a placeholder id', { timeout: 120_000 }, () => {
    const run = cli(tempHome());
    ok(run, ['reading', 'groq', '1.00'], '2026-11-10T12:00:00Z');
    const final = ok(run, ['reading', 'groq', '3.00', '--month', '2026-11', '--final', '--json'], '2026-12-02T12:00:00Z').json();
    const r = run(['reading', 'groq', '3.50', '--at', '2026-11-20T12:00:00Z'], '2026-12-02T12:00:00Z');
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/9007199254740991/);
    expect(r.stderr).toContain(`burnrate reading delete ${final.reading.id}`);
    expect(r.stderr).toMatch(/higher than the final figure \$3\.00 for November 2026/);
  });
});

describe('a provider cap at exactly 100 %', () => {
  it('reads critical (reached), and exceeded only past it', { timeout: 120_000 }, () => {
    const run = cli(tempHome());
    ok(run, ['budget', 'set', '--provider', 'openai', '--monthly', '5'], '2026-11-10T12:00:00Z');
    ok(run, ['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '5', '--id', 'a'], '2026-11-10T12:00:00Z');
    const at = ok(run, ['budget', 'show', '--json'], '2026-11-10T12:00:00Z').json();
    expect(at.caps).toEqual([expect.objectContaining({ provider: 'openai', usedPct: 100, health: 'critical' })]);
    const status = ok(run, ['status', '--json'], '2026-11-10T12:00:00Z').json();
    expect(status.attention).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'cap', severity: 'critical', message: expect.stringMatching(/reached its \$5\.00 monthly cap/) })]));
    ok(run, ['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '0.01', '--id', 'b'], '2026-11-10T13:00:00Z');
    expect(ok(run, ['budget', 'show', '--json'], '2026-11-10T13:00:00Z').json().caps[0].health).toBe('exceeded');
  });
});

describe('one runway for one balance', () => {
  it('readings, budget show and the attention list give the same burn and days', { timeout: 120_000 }, () => {
    const run = cli(tempHome());
    ok(run, ['provider', 'set', 'deepseek', '--mode', 'balance'], '2026-11-01T09:00:00Z');
    ok(run, ['reading', 'deepseek', '25'], '2026-11-01T12:00:00Z');
    ok(run, ['reading', 'deepseek', '15'], '2026-11-03T12:00:00Z');
    const now = '2026-11-05T12:00:00Z';
    const readings = ok(run, ['readings', 'deepseek', '--json'], now).json().balance;
    // $10.00 over the two days the readings cover: $5.00/day; $15.00 lasts 3 days from Nov 3, so 1 is left.
    expect(readings).toMatchObject({ balanceUsd: '15.00', burnPerDayUsd: '5.00', runwayDays: 1, runsOutOn: '2026-11-06' });
    const budget = ok(run, ['budget', 'show', '--json'], now).json().runway;
    expect(budget).toEqual([{ provider: 'deepseek', balanceUsd: '15.00', asOf: '2026-11-03T12:00:00.000Z', dailyBurnUsd: '5.00', days: 1, runsOutOn: '2026-11-06' }]);
    const attention = ok(run, ['status', '--json'], now).json().attention;
    expect(attention).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'runway', severity: 'critical', message: expect.stringMatching(/lasts about 1 day at \$5\.00\/day \(until 2026-11-06\)/) })]),
    );
  });
});

describe('the forecast with odometer readings', () => {
  it('takes the days since the latest reading as unknown, not $0: $1.00 a day read every third day forecasts $30.00 for November', { timeout: 300_000 }, () => {
    const run = cli(tempHome());
    ok(run, ['provider', 'set', 'groq', '--mode', 'odometer'], '2026-10-01T09:00:00Z');
    // Month-to-date at 18:00 of every third day, spending exactly $1.00 a day.
    for (const day of ['2026-10-03', '2026-10-06', '2026-10-09', '2026-10-12', '2026-10-15', '2026-10-18', '2026-10-21', '2026-10-24', '2026-10-27', '2026-10-30', '2026-11-02', '2026-11-05']) {
      const mtd = (Number(day.slice(8)) - 1 + 0.75).toFixed(2);
      ok(run, ['reading', 'groq', mtd, '--at', `${day}T18:00:00Z`], `${day}T18:00:00Z`);
    }
    const budget = ok(run, ['budget', 'show', '--json'], '2026-11-07T12:00:00Z').json();
    expect(budget.month.spentUsd).toBe('4.75');
    expect(budget.month.forecast).toMatchObject({ forecastUsd: '30.00', dailyRateUsd: '1.00' });
    // Readings three days apart are not stale (the reminder waits a week).
    expect(ok(run, ['reminders', '--json'], '2026-11-07T12:00:00Z').json().reminders).toEqual([]);
  });
});
