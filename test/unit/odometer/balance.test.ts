import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchUp } from '../../../src/app/catch-up';
import { ApiError } from '../../../src/api/errors';
import { sumNano } from '../../../src/money';
import { deriveBalance, runway, type BalanceEntry } from '../../../src/odometer/balance';
import { call, derivedSum, snapshot, testCore } from './helpers';

const USD = 1_000_000_000;
const DAY = 86_400_000;

describe('prepaid balances', () => {
  it('spend is the drop; a recorded top-up is added back; an unexplained rise is an unrecorded top-up, never negative spend', async () => {
    const core = testCore('2026-03-01T12:00:00Z');
    const first = await call(core, 'readingAdd', { provider: 'deepseek', amount: '20' });
    expect(first).toMatchObject({ mode: 'balance', month: null, reading: { kind: 'balance', spendUsd: null } });
    core.setNow('2026-03-06T12:00:00Z');
    expect((await call(core, 'readingAdd', { provider: 'deepseek', amount: '17.50' })).reading.spendUsd).toBe('2.50');
    core.setNow('2026-03-08T12:00:00Z');
    const topup = await call(core, 'topup', { provider: 'deepseek', amount: '10', note: 'card' });
    expect(topup.balance?.balanceUsd).toBe('27.50');
    core.setNow('2026-03-11T12:00:00Z');
    expect((await call(core, 'readingAdd', { provider: 'deepseek', amount: '25' })).reading.spendUsd).toBe('2.50');
    core.setNow('2026-03-12T12:00:00Z');
    const rise = await call(core, 'readingAdd', { provider: 'deepseek', amount: '40' });
    expect(rise.reading).toMatchObject({ spendUsd: '0.00', inferredTopupUsd: '15.00' });
    expect(derivedSum(core, 'balance', 'deepseek')).toBe(5 * USD);
    const negative = core.db.prepare('SELECT COUNT(*) AS n FROM usage_events WHERE cost_total_nano < 0').get() as { n: number };
    expect(negative.n).toBe(0);
    // $5.00 over 11 days of readings: runway of $40 at that pace.
    expect(rise.balance).toMatchObject({ balanceUsd: '40.00', spentLast30DaysUsd: '5.00', burnPerDayUsd: '0.454545455', runwayDays: 88, runsOutOn: '2026-06-08' });
    const status = await call(core, 'status', {});
    expect(status.providers.find((p) => p.provider === 'deepseek')).toMatchObject({ monthSpentUsd: '5.00', source: 'balance' });
  });

  it('a top-up is refused for odometer, api and manual providers, and a zero top-up too; nothing changes', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'deepseek', amount: '10' });
    const before = snapshot(core);
    for (const [input, message] of [
      [{ provider: 'groq', amount: '5' }, /mode odometer/],
      [{ provider: 'openai', amount: '5' }, /mode api/],
      [{ provider: 'deepseek', amount: '0' }, /\$0\.00 changes nothing/],
      [{ provider: 'deepseek', amount: '5', at: '2026-03-12T00:00:00Z' }, /in the future/],
      [{ provider: 'deepseek', amount: '-5' }, /zero or more/],
    ] as const) {
      const error = await call(core, 'topup', input).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).message).toMatch(message);
    }
    expect(snapshot(core)).toBe(before);
  });

  it('switching a provider to balance mode makes it take balance readings', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    const view = await call(core, 'providerSet', { provider: 'openrouter', mode: 'balance' });
    expect(view).toMatchObject({ provider: 'openrouter', mode: 'balance', configured: true, billingTimeZone: 'UTC' });
    await call(core, 'readingAdd', { provider: 'openrouter', amount: '12.40' });
    expect((await call(core, 'providers', {})).providers.find((p) => p.provider === 'openrouter')).toMatchObject({
      mode: 'balance',
      lastReading: { kind: 'balance', amountUsd: '12.40' },
      balance: { balanceUsd: '12.40', runwayDays: null },
    });
    expect((await call(core, 'providerSet', { provider: 'groq', mode: 'api' }).catch((e: ApiError) => e)) as ApiError).toMatchObject({ code: 'invalid_input' });
    expect((await call(core, 'providerSet', { provider: 'groq', billingTz: 'Mars/Olympus' }).catch((e: ApiError) => e)) as ApiError).toMatchObject({
      code: 'invalid_input',
    });
  });

  it('property: derived spend is never negative and equals the drops net of top-ups, rises aside', () => {
    const entry = fc.record({
      kind: fc.constantFrom<'balance' | 'topup'>('balance', 'balance', 'topup'),
      amount: fc.integer({ min: 0, max: 50 * USD }),
      at: fc.integer({ min: 0, max: 60 * DAY }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (raw) => {
        const entries: BalanceEntry[] = raw.map((e, i) => ({ id: i + 1, kind: e.kind, amount: e.amount, atMs: e.at }));
        const d = deriveBalance(entries);
        for (const s of d.segments) expect(s.amount).toBeGreaterThanOrEqual(0);
        // Conservation: first balance + top-ups after it + inferred top-ups - spend = current balance.
        const sorted = [...entries].sort((a, b) => a.atMs - b.atMs || (a.kind === b.kind ? 0 : a.kind === 'topup' ? -1 : 1) || a.id - b.id);
        const firstIdx = sorted.findIndex((e) => e.kind === 'balance');
        if (firstIdx < 0) {
          expect(d.current).toBeNull();
          return;
        }
        const topups = sumNano(sorted.slice(firstIdx + 1).filter((e) => e.kind === 'topup').map((e) => e.amount));
        const inferred = sumNano([...d.effects.values()].map((e) => e.inferredTopup));
        const spent = sumNano(d.segments.map((s) => s.amount));
        expect(sorted[firstIdx]!.amount + topups + inferred - spent).toBe(d.current!.balance);
        const r = runway(d, 61 * DAY);
        if (r.runwayDays !== null) expect(r.runwayDays).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('balances reported by a provider API', () => {
  it('become balance readings once, for balance-mode providers only', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    const observe = (provider: string, at: string, usd: number, currency = 'USD') =>
      core.db
        .prepare("INSERT INTO sync_balances (provider, account, observed_at, amount_nano, currency) VALUES (?, 'default', ?, ?, ?)")
        .run(provider, at, usd * USD, currency);
    observe('deepseek', '2026-03-08T12:00:00.000Z', 41);
    observe('deepseek', '2026-03-09T12:00:00.000Z', 40);
    observe('deepseek', '2026-03-10T00:00:00.000Z', 500, 'CNY');
    observe('openrouter', '2026-03-09T12:00:00.000Z', 12); // api mode: waits
    catchUp(core); // as the sync's own catch-up does after it stored them
    const listed = await call(core, 'readings', { provider: 'deepseek' });
    expect(listed.readings.map((r) => [r.amountUsd, r.origin, r.spendUsd])).toEqual([
      ['40.00', 'api', '1.00'],
      ['41.00', 'api', null],
    ]);
    expect(derivedSum(core, 'balance', 'deepseek')).toBe(1 * USD);
    catchUp(core); // imported once
    expect((core.db.prepare("SELECT COUNT(*) AS n FROM readings WHERE provider = 'deepseek'").get() as { n: number }).n).toBe(2);
    // A deleted API reading is not imported again.
    await call(core, 'readingDelete', { id: listed.readings[0]!.id });
    expect((await call(core, 'readings', { provider: 'deepseek' })).readings).toHaveLength(1);
    expect((await call(core, 'readings', { provider: 'openrouter' })).readings).toEqual([]);
    await call(core, 'providerSet', { provider: 'openrouter', mode: 'balance' });
    expect((await call(core, 'readings', { provider: 'openrouter' })).readings.map((r) => r.amountUsd)).toEqual(['12.00']);
  });
});
