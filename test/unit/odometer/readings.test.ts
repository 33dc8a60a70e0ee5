import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/errors';
import { providerDays } from '../../../src/ledger/spend';
import { call, derivedSum, snapshot, testCore } from './helpers';

const USD = 1_000_000_000;

function dayAmounts(core: ReturnType<typeof testCore>, source: string, provider = 'groq'): Record<string, number> {
  const rows = core.db
    .prepare('SELECT local_day, SUM(cost_total_nano) AS n FROM usage_events WHERE source = ? AND provider = ? GROUP BY local_day ORDER BY local_day')
    .all(source, provider) as { local_day: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.local_day, r.n]));
}

async function refused(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('odometer readings', () => {
  it('spreads the first reading of a month from the month start and each rise since the reading before', async () => {
    const core = testCore('2026-03-03T00:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.30' }); // Mar 1 00:00 → Mar 3 00:00: two days
    core.setNow('2026-03-04T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.60' }); // Mar 3 00:00 → Mar 4 12:00: 36 hours
    expect(dayAmounts(core, 'odometer')).toEqual({
      '2026-03-01': 0.15 * USD,
      '2026-03-02': 0.15 * USD,
      '2026-03-03': 0.2 * USD,
      '2026-03-04': 0.1 * USD,
    });
    const rows = core.db.prepare("SELECT metadata, cost_origin, external_id FROM usage_events WHERE source = 'odometer' ORDER BY id").all() as {
      metadata: string;
      cost_origin: string;
      external_id: string;
    }[];
    expect(JSON.parse(rows[0]!.metadata)).toMatchObject({ estimate: true, basis: 'odometer', billingMonth: '2026-03' });
    expect(rows.map((r) => r.external_id)).toContain('2026-03:2026-03-04');
    expect(rows.every((r) => r.cost_origin === 'given')).toBe(true);
  });

  it('refuses a lower reading in the same month and changes nothing; --replace corrects the latest, keeping its time', async () => {
    const core = testCore('2026-03-05T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.25' });
    core.setNow('2026-03-20T12:00:00Z');
    const typo = await call(core, 'readingAdd', { provider: 'groq', amount: '8.00' });
    core.setNow('2026-03-25T12:00:00Z');
    const before = snapshot(core);
    const error = await refused(call(core, 'readingAdd', { provider: 'groq', amount: '0.90' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/lower than \$8\.00/);
    // Neutral sentence; the facts let each transport offer the fix (the CLI's --replace, the window's button).
    expect(error.message).not.toMatch(/--|burnrate /);
    expect(error.reason).toBe('reading_lower_than_previous');
    expect(error.facts).toEqual({ provider: 'groq', field: 'amount', amountUsd: '0.90', previousUsd: '8.00', previousId: typo.reading.id, previousIsLatest: true, month: '2026-03' });
    expect(snapshot(core)).toBe(before);

    const fixed = await call(core, 'readingAdd', { provider: 'groq', amount: '0.80', replace: true });
    expect(fixed.replaced?.id).toBe(typo.reading.id);
    expect(fixed.reading).toMatchObject({ takenAt: '2026-03-20T12:00:00.000Z', amountUsd: '0.80', replacesId: typo.reading.id });
    expect(fixed.month).toMatchObject({ month: '2026-03', totalUsd: '0.80', status: 'open' });
    expect(derivedSum(core, 'odometer')).toBe(0.8 * USD);
    // The typo stays as history but no longer counts.
    expect((await call(core, 'readings', { provider: 'groq' })).readings.map((r) => r.amountUsd)).toEqual(['0.80', '0.25']);
  });

  it('refuses a back-dated reading higher than a later one, and two readings at one instant', async () => {
    const core = testCore('2026-03-20T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.50', at: '2026-03-10T00:00:00Z' });
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.80' });
    const before = snapshot(core);
    expect((await refused(call(core, 'readingAdd', { provider: 'groq', amount: '0.90', at: '2026-03-15T00:00:00Z' }))).message).toMatch(
      /higher than \$0\.80 read later/,
    );
    expect((await refused(call(core, 'readingAdd', { provider: 'groq', amount: '0.60', at: '2026-03-10T00:00:00Z' }))).message).toMatch(/already has a reading/);
    expect(snapshot(core)).toBe(before);
    // A back-dated reading that fits is welcome and re-spreads the days around it.
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.70', at: '2026-03-15T00:00:00Z' });
    expect(derivedSum(core, 'odometer')).toBe(0.8 * USD);
    expect(dayAmounts(core, 'odometer')['2026-03-16']).toBe(Math.round((0.1 * USD) / 5.5)); // 0.10 over Mar 15 00:00 → Mar 20 12:00
  });

  it('the first reading of a new month closes the previous one: final when read in its last days, else estimated', async () => {
    const core = testCore('2026-03-30T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '1.10' });
    core.setNow('2026-04-01T09:00:00Z');
    const april = await call(core, 'readingAdd', { provider: 'groq', amount: '0.02' });
    expect(april.closedMonth).toMatchObject({ month: '2026-03', totalUsd: '1.10', status: 'final' });
    expect(april.month).toMatchObject({ month: '2026-04', totalUsd: '0.02', status: 'open' });
    expect(dayAmounts(core, 'odometer')['2026-04-01']).toBe(0.02 * USD);

    const other = testCore('2026-03-20T12:00:00Z');
    await call(other, 'readingAdd', { provider: 'groq', amount: '0.80' });
    other.setNow('2026-04-02T09:00:00Z');
    const next = await call(other, 'readingAdd', { provider: 'groq', amount: '0.05' });
    expect(next.closedMonth).toMatchObject({ month: '2026-03', totalUsd: '0.80', status: 'estimated', lastReadingAt: '2026-03-20T12:00:00.000Z' });
    const summary = other.db.prepare("SELECT total_nano, status FROM month_summaries WHERE provider = 'groq' AND month = '2026-03'").get();
    expect(summary).toEqual({ total_nano: 0.8 * USD, status: 'estimated' });
  });

  it('a final figure entered afterwards adjusts only the days after the last reading', async () => {
    const core = testCore('2026-03-21T00:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.80' }); // Mar 1 → Mar 21 00:00
    core.setNow('2026-04-02T09:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.05' });
    const before = dayAmounts(core, 'odometer');
    const result = await call(core, 'readingAdd', { provider: 'groq', amount: '1.35', month: '2026-03', final: true });
    expect(result.month).toMatchObject({ month: '2026-03', totalUsd: '1.35', status: 'final', finalUsd: '1.35' });
    expect(result.closedMonth).toBeNull();
    const after = dayAmounts(core, 'odometer');
    for (let d = 1; d <= 20; d++) {
      const day = `2026-03-${String(d).padStart(2, '0')}`;
      expect(after[day]).toBe(before[day]); // days before the last reading are untouched
    }
    for (let d = 21; d <= 31; d++) expect(after[`2026-03-${d}`]).toBe(0.05 * USD); // $0.55 over the last 11 days
    expect(after['2026-04-01']).toBe(before['2026-04-01']);
    const marchTotal = Object.entries(after).filter(([d]) => d.startsWith('2026-03')).reduce((s, [, v]) => s + v, 0);
    expect(marchTotal).toBe(1.35 * USD);
  });

  it('deleting a reading re-derives without it (kept as history)', async () => {
    const core = testCore('2026-03-10T00:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.40' });
    core.setNow('2026-03-12T00:00:00Z');
    const second = await call(core, 'readingAdd', { provider: 'groq', amount: '0.90' });
    const result = await call(core, 'readingDelete', { id: second.reading.id });
    expect(result.month).toMatchObject({ totalUsd: '0.40' });
    expect(derivedSum(core, 'odometer')).toBe(0.4 * USD);
    expect(dayAmounts(core, 'odometer')['2026-03-11']).toBeUndefined();
    expect((core.db.prepare('SELECT deleted_at FROM readings WHERE id = ?').get(second.reading.id) as { deleted_at: string }).deleted_at).not.toBeNull();
    expect((await refused(call(core, 'readingDelete', { id: second.reading.id }))).code).toBe('not_found');
  });

  it('readings outrank estimates for their days but never add to them; billed figures outrank readings', async () => {
    const core = testCore('2026-03-03T00:00:00Z');
    await call(core, 'record', { provider: 'groq', model: 'llama', cost: '5.00', at: '2026-03-02T10:00:00Z' });
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.30' });
    const days = providerDays(core.db, '2026-03-01', '2026-03-03', 'groq');
    expect(days.find((d) => d.localDay === '2026-03-02')).toMatchObject({ countedNano: BigInt(0.15 * USD), countedTier: 'readings' });
    const status = await call(core, 'status', {});
    expect(status.providers.find((p) => p.provider === 'groq')?.monthSpentUsd).toBe('0.30');
  });

  it('splits days by the user zone while months follow the billing zone, and re-files readings when that zone changes', async () => {
    const core = testCore('2026-04-01T12:00:00Z', 'Europe/Berlin');
    await call(core, 'readingAdd', { provider: 'groq', amount: '1.00', at: '2026-03-31T12:00:00Z' });
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.24', at: '2026-04-01T03:00:00Z' }); // April (UTC) starts 02:00 Berlin
    const days = dayAmounts(core, 'odometer');
    expect(days['2026-04-01']).toBe(0.24 * USD); // 02:00 → 05:00 Berlin, all April billing
    // A reading in the last UTC day of March: its Berlin day is March 31; the total is unchanged either way.
    expect(derivedSum(core, 'odometer')).toBe(1.24 * USD);
    // Billing in Los Angeles: both readings fall in March there, and 0.24 < 1.00 is a drop: refused, nothing changed.
    const before = snapshot(core);
    const error = await refused(call(core, 'providerSet', { provider: 'groq', billingTz: 'America/Los_Angeles' }));
    expect(error.code).toBe('conflict');
    expect(snapshot(core)).toBe(before);
    await call(core, 'providerSet', { provider: 'groq', billingTz: 'Asia/Tokyo' });
    const months = (await call(core, 'readings', { provider: 'groq' })).months.map((m) => [m.month, m.totalUsd]);
    expect(months).toEqual([
      ['2026-04', '0.24'],
      ['2026-03', '1.00'],
    ]);
  });

  it('refuses bad input clearly and changes nothing', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.50' });
    const before = snapshot(core);
    const cases: [unknown, RegExp][] = [
      [{ provider: 'groq', amount: 'abc' }, /amount must be an amount in US dollars/],
      [{ provider: 'groq', amount: '-1' }, /zero or more/],
      [{ provider: 'groq', amount: '1.0000000001' }, /at most 9 decimals/],
      [{ provider: 'groq', amount: '1', at: '2026-03-11T00:00:00Z' }, /in the future/],
      [{ provider: 'groq', amount: '1', at: 'yesterday' }, /ISO date/],
      [{ provider: 'openai', amount: '1' }, /billing API \(mode api\), so it takes no readings\.$/],
      [{ provider: 'groq', amount: '1', final: true }, /needs the month it closes/],
      [{ provider: 'groq', amount: '1', month: '2026-03', final: true }, /has not ended yet/],
      [{ provider: 'groq', amount: '1', month: '2026-02' }, /month is given only with a past month's final figure/],
      [{ provider: 'deepseek', amount: '1', month: '2026-02', final: true }, /prepaid balance/],
      [{ provider: 'mystery', amount: '1' }, /mode manual/],
    ];
    for (const [input, message] of cases) {
      const error = await refused(call(core, 'readingAdd', input));
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/--|burnrate /);
    }
    const finalWithoutMonth = await refused(call(core, 'readingAdd', { provider: 'groq', amount: '1', final: true }));
    expect(finalWithoutMonth).toMatchObject({ reason: 'final_needs_month', facts: { provider: 'groq', suggestedMonth: '2026-02' } });
    const topup = await refused(call(core, 'topup', { provider: 'groq', amount: '5' }));
    expect(topup.message).toMatch(/no prepaid balance to top up\.$/);
    expect(topup).toMatchObject({ reason: 'topup_needs_balance_mode', facts: { provider: 'groq', mode: 'odometer' } });
    expect(snapshot(core)).toBe(before);
  });
});
