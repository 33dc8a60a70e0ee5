import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUsd, parseUsd, sumNano } from '../../../src/money';
import { monthBounds } from '../../../src/odometer/billing';
import { deriveOdometer, findViolation, type OdoReading } from '../../../src/odometer/odometer';
import { spreadOverDays } from '../../../src/odometer/spread';
import { addMonths, localDay } from '../../../src/time';
import { call, derivedSum, testCore } from './helpers';

/**
 * Random reading sequences across months. For every sequence: derived day amounts are never
 * negative, every nano is counted exactly once (the days of a month add up to the month's
 * figure and nothing else), and each month's derived total equals its final figure (or its last
 * reading) exactly.
 */

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];

interface MonthPlan {
  /** Offsets (0..1e6) of each reading inside the month, and its rise in nano. */
  readings: { at: number; rise: number }[];
  /** Extra added by a final figure, or null for none. */
  finalExtra: number | null;
}

// Offsets start at 1: a reading at exactly 00:00 on the 1st is the previous month's closing figure
// (docs/ledger.md; test/integration/odometer/edges.test.ts), not a reading of the month it starts.
const monthPlan = fc.record({
  readings: fc.array(fc.record({ at: fc.integer({ min: 1, max: 1_000_000 }), rise: fc.integer({ min: 0, max: 5_000_000_000 }) }), { maxLength: 5 }),
  finalExtra: fc.option(fc.integer({ min: 0, max: 3_000_000_000 }), { nil: null }),
});

/** Turn plans into readings: cumulative within each month, times spread over the month. */
function readingsOf(plans: MonthPlan[], firstMonth: string, billingTz: string): OdoReading[] {
  const out: OdoReading[] = [];
  let id = 1;
  plans.forEach((plan, i) => {
    const month = addMonths(firstMonth, i);
    const b = monthBounds(month, billingTz);
    const times = plan.readings.map((r) => b.startMs + Math.floor(((b.endMs - b.startMs - 1) * r.at) / 1_000_000)).sort((x, y) => x - y);
    let total = 0;
    const seen = new Set<number>();
    plan.readings.forEach((r, k) => {
      if (seen.has(times[k]!)) return; // one reading per instant (the rule refuses two)
      seen.add(times[k]!);
      total += r.rise;
      out.push({ id: id++, amount: total, atMs: times[k]!, month, final: false });
    });
    if (plan.finalExtra !== null) out.push({ id: id++, amount: total + plan.finalExtra, atMs: b.endMs + 3_600_000, month, final: true });
  });
  return out;
}

function expectedTotals(readings: OdoReading[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const r of [...readings].sort((a, b) => Number(a.final) - Number(b.final) || a.atMs - b.atMs)) totals.set(r.month, r.amount);
  return totals;
}

describe('odometer arithmetic (property)', () => {
  it('days are never negative, add up to each month exactly, and stay inside the month', () => {
    fc.assert(
      fc.property(
        fc.array(monthPlan, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom('UTC', 'America/Los_Angeles', 'Asia/Tokyo'),
        (plans, userTz, billingTz) => {
          const readings = readingsOf(plans, '2026-01', billingTz);
          expect(findViolation(readings)).toBeNull();
          const months = deriveOdometer(readings, billingTz);
          const expected = expectedTotals(readings);
          for (const m of months) {
            expect(m.total).toBe(expected.get(m.month));
            const shares = spreadOverDays(m.segments, userTz);
            for (const s of shares) {
              expect(s.amount).toBeGreaterThanOrEqual(0);
              expect(s.firstAtMs).toBeGreaterThanOrEqual(m.bounds.startMs);
              expect(s.firstAtMs).toBeLessThan(Math.max(m.bounds.endMs, m.bounds.startMs + 1));
              expect(localDay(s.firstAtMs, userTz)).toBe(s.day);
            }
            expect(sumNano(shares.map((s) => s.amount))).toBe(m.total);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a drop inside a month is always found; a drop across months is a reset, not an error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000 }), fc.integer({ min: 0, max: 9_999_999_999 }), (high, lowRaw) => {
        const low = lowRaw % high;
        const a = { id: 1, amount: high, atMs: Date.UTC(2026, 2, 10), month: '2026-03', final: false };
        expect(findViolation([a, { id: 2, amount: low, atMs: Date.UTC(2026, 2, 20), month: '2026-03', final: false }], 2)).toMatchObject({ kind: 'drop' });
        expect(findViolation([a, { id: 2, amount: low, atMs: Date.UTC(2026, 3, 1), month: '2026-04', final: false }], 2)).toBeNull();
      }),
    );
  });

  it('through the ledger: entered in any order, with corrections, every month derives exactly its figure', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(monthPlan, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        async (plans, userTz, seed, deleteOne) => {
          const core = testCore('2026-06-15T00:00:00Z', userTz);
          try {
            const readings = readingsOf(plans, '2026-01', 'UTC');
            // Enter them in a shuffled order (back-dated readings are allowed when they fit).
            const order = readings.map((r, i) => ({ r, k: (i * 7919 + seed) % 1009 })).sort((a, b) => a.k - b.k).map((x) => x.r);
            const ids = new Map<number, number>();
            for (const r of order) {
              const res = await call(core, 'readingAdd', {
                provider: 'groq',
                amount: formatUsd(r.amount),
                ...(r.final ? { month: r.month, final: true } : { at: new Date(r.atMs).toISOString() }),
              });
              ids.set(r.id, res.reading.id);
            }
            let live = readings;
            if (deleteOne && readings.length > 0) {
              const victim = readings[seed % readings.length]!;
              await call(core, 'readingDelete', { id: ids.get(victim.id) });
              live = readings.filter((r) => r.id !== victim.id);
            }
            const expected = expectedTotals(live);
            for (const [month, total] of expected) {
              expect(derivedSum(core, 'odometer', 'groq', `AND json_extract(metadata, '$.billingMonth') = '${month}'`)).toBe(total);
            }
            // Never double counted: all rows together are the sum of the months, and the rollups agree.
            const all = sumNano(expected.values());
            expect(derivedSum(core, 'odometer', 'groq')).toBe(all);
            const rolled = core.db.prepare("SELECT COALESCE(SUM(cost_nano), 0) AS n FROM daily_rollups WHERE source = 'odometer'").get() as { n: number };
            expect(rolled.n).toBe(all);
            const negative = core.db.prepare('SELECT COUNT(*) AS n FROM usage_events WHERE cost_total_nano < 0').get() as { n: number };
            expect(negative.n).toBe(0);
            const listed = await call(core, 'readings', { provider: 'groq' });
            for (const m of listed.months) expect(parseUsd(m.totalUsd)).toBe(expected.get(m.month));
          } finally {
            core.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
