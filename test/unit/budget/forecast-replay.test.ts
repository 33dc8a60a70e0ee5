import { describe, expect, it } from 'vitest';
import { projectMonth, type ProjectionOptions } from '../../../src/budget/forecast';
import { sumNano, type Nano } from '../../../src/money';
import { addDays, addMonths, daysInMonth, eachDay, lastDayOfMonth, weekday } from '../../../src/time';

/**
 * The forecast's error on replayed months. Twelve months of daily spend are generated for four
 * usage profiles (seeded, so the figures are the same on every run); for every month and every
 * checkpoint (the start of day 8, 15 and 22) the forecast sees only the days before the checkpoint
 * and is compared with the month's real total. The figure reported is the mean absolute
 * percentage error (MAPE). Baselines: the same rate without weekdays, and the naive
 * "month-to-date ÷ days elapsed × days in month".
 */

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dollars per day → integer nano-USD (the generator is test data, not money arithmetic). */
const nano = (dollars: number): Nano => Math.round(dollars * 1e4) * 100_000;

/** A profile makes a fresh generator (its own state) for each replayed history. */
type Profile = () => (day: string, index: number, random: () => number) => number;

const PROFILES: Record<string, Profile> = {
  // A developer at work: busy weekdays, quiet weekends, ±40 % day to day.
  workdays: () => (day, _i, r) => ([0, 6].includes(weekday(day)) ? 0.6 : 7) * (0.6 + 0.8 * r()),
  // A service in production: the same every day, ±30 %.
  steady: () => (_d, _i, r) => 5 * (0.7 + 0.6 * r()),
  // Growing usage: +2 % a week on a workday pattern.
  growing: () => (day, i, r) => (1.02 ** (i / 7)) * ([0, 6].includes(weekday(day)) ? 1 : 4) * (0.7 + 0.6 * r()),
  // A new project now and then: every ~6 weeks the level jumps to between a third and three times.
  shifting: () => {
    let level = 4;
    return (day, _i, r) => {
      if (r() < 1 / 42) level = Math.min(40, Math.max(0.5, level * (1 / 3 + r() * (3 - 1 / 3))));
      return level * ([0, 6].includes(weekday(day)) ? 0.4 : 1.2) * (0.7 + 0.6 * r());
    };
  },
  // Mostly small, with a big batch job on one day in twelve.
  bursty: () => (_d, _i, r) => (r() < 1 / 12 ? 40 : 2) * (0.7 + 0.6 * r()),
};

const FIRST = '2024-11-01';
const MONTHS = Array.from({ length: 12 }, (_, i) => addMonths('2025-01', i));
const CHECKPOINTS = [7, 14, 21]; // complete days seen

function generate(profile: Profile, seed: number): Map<string, Nano> {
  const random = prng(seed);
  const daily = profile();
  return new Map(eachDay(FIRST, lastDayOfMonth(MONTHS.at(-1)!)).map((d, i) => [d, nano(daily(d, i, random))]));
}

type Method = 'weekday' | 'flat' | 'naive';

function forecastAt(spend: Map<string, Nano>, month: string, seen: number, method: Method): Nano {
  const today = addDays(`${month}-01`, seen);
  const mtdDays = eachDay(`${month}-01`, addDays(today, -1));
  const monthToDate = sumNano(mtdDays.map((d) => spend.get(d)!));
  if (method === 'naive') return Math.round((monthToDate / seen) * daysInMonth(month));
  const history = new Map([...spend].filter(([d]) => d < today));
  const options: ProjectionOptions = { weekdayAware: method === 'weekday' };
  return projectMonth({ today, variable: history, historyStart: FIRST, monthToDate, monthly: null }, options).forecast;
}

function mape(profile: string, method: Method, seen: number): number {
  let total = 0;
  let n = 0;
  for (const seed of [1, 2, 3]) {
    const spend = generate(PROFILES[profile]!, seed * 7919 + profile.length);
    for (const month of MONTHS) {
      const actual = sumNano(eachDay(`${month}-01`, lastDayOfMonth(month)).map((d) => spend.get(d)!));
      total += Math.abs(forecastAt(spend, month, seen, method) - actual) / actual;
      n++;
    }
  }
  return (100 * total) / n;
}

describe('forecast error on replayed months', () => {
  const table: Record<string, Record<string, string>> = {};
  const results: Record<string, Record<Method, number[]>> = {};
  for (const profile of Object.keys(PROFILES)) {
    results[profile] = { weekday: [], flat: [], naive: [] };
    for (const method of ['weekday', 'flat', 'naive'] as const) {
      for (const seen of CHECKPOINTS) results[profile]![method].push(mape(profile, method, seen));
      table[`${profile} ${method}`] = Object.fromEntries(CHECKPOINTS.map((c, i) => [`day ${c + 1}`, `${results[profile]![method][i]!.toFixed(1)} %`]));
    }
  }

  it('reports its mean absolute percentage error', () => {
    console.log('Forecast MAPE on 36 replayed months per profile (forecast made at the start of the day):');
    console.table(table);
    const overall = (m: Method) => Object.values(results).flatMap((r) => r[m]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`overall MAPE: weekday-aware ${mean(overall('weekday')).toFixed(1)} %, flat ${mean(overall('flat')).toFixed(1)} %, naive ${mean(overall('naive')).toFixed(1)} %`);
    // Regular usage: within 5 % from mid-month on. Bursty and shifting usage cannot be foreseen
    // that well by anyone; there the forecast must still not be worse than the naive one late on.
    for (const profile of ['workdays', 'steady', 'growing']) {
      expect(results[profile]!.weekday[1]!).toBeLessThan(5);
      expect(results[profile]!.weekday[2]!).toBeLessThan(5);
    }
    expect(mean(overall('weekday'))).toBeLessThan(mean(overall('naive')));
    expect(mean(overall('weekday'))).toBeLessThan(mean(overall('flat')));
  });

  it('beats the flat rate when weekdays differ, and costs little when they do not', () => {
    for (const i of [0, 1, 2]) expect(results.workdays!.weekday[i]!).toBeLessThan(results.workdays!.flat[i]!);
    for (const i of [0, 1, 2]) expect(results.steady!.weekday[i]!).toBeLessThan(results.steady!.flat[i]! + 1);
  });

  it('gets better as the month goes on', () => {
    for (const profile of Object.keys(PROFILES)) {
      const [early, , late] = results[profile]!.weekday;
      expect(late!).toBeLessThan(early!);
    }
  });
});
