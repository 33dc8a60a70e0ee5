import { describe, expect, it } from 'vitest';
import { projectMonth, readingsStream, type ProjectionOptions } from '../../../src/budget/forecast';
import { deriveOdometer, type OdoReading } from '../../../src/odometer/odometer';
import { spreadOverDays, type Segment } from '../../../src/odometer/spread';
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
  // Fast growth: +50 % a month (compounded daily) on a workday pattern.
  growing50: () => (day, i, r) => 1.5 ** (i / 30.4) * ([0, 6].includes(weekday(day)) ? 1 : 4) * (0.7 + 0.6 * r()),
  // Steady workday usage seen only through an odometer read every third day at 18:00 (Groq).
  'odometer every 3rd day': () => (day, _i, r) => ([0, 6].includes(weekday(day)) ? 0.6 : 7) * (0.6 + 0.8 * r()),
};

/** Profiles the forecast sees only through month-to-date readings (taken every third day). */
const READ_EVERY_THIRD = new Set(['odometer every 3rd day']);
const READ_AT_HOUR = 18;


const FIRST = '2024-11-01';
const MONTHS = Array.from({ length: 12 }, (_, i) => addMonths('2025-01', i));
const CHECKPOINTS = [7, 14, 21]; // complete days seen

function generate(profile: Profile, seed: number): Map<string, Nano> {
  const random = prng(seed);
  const daily = profile();
  return new Map(eachDay(FIRST, lastDayOfMonth(MONTHS.at(-1)!)).map((d, i) => [d, nano(daily(d, i, random))]));
}

type Method = 'weekday' | 'flat' | 'naive';

/**
 * What Burnrate derives from odometer readings taken every third day before `today` (spend within
 * a day assumed even): the readings' segments and their spread over UTC days.
 */
function throughReadings(spend: Map<string, Nano>, today: string): { daily: Map<string, Nano>; segments: Segment[] } {
  const readings: OdoReading[] = [];
  let id = 0;
  for (const [i, day] of eachDay(FIRST, addDays(today, -1)).entries()) {
    if (i % 3 !== 2) continue;
    const month = day.slice(0, 7);
    const before = sumNano(eachDay(`${month}-01`, addDays(day, -1)).map((d) => spend.get(d)!));
    const amount = before + Math.round((spend.get(day)! * READ_AT_HOUR) / 24);
    readings.push({ id: ++id, amount, atMs: Date.parse(`${day}T${READ_AT_HOUR}:00:00Z`), month, final: false });
  }
  const segments = deriveOdometer(readings, 'UTC').flatMap((m) => m.segments);
  return { daily: new Map(spreadOverDays(segments, 'UTC').map((s) => [s.day, s.amount])), segments };
}

function forecastAt(spend: Map<string, Nano>, month: string, seen: number, method: Method, viaReadings: boolean): Nano {
  const today = addDays(`${month}-01`, seen);
  const mtdDays = eachDay(`${month}-01`, addDays(today, -1));
  if (method === 'naive') return Math.round((sumNano(mtdDays.map((d) => spend.get(d)!)) / seen) * daysInMonth(month)); // on the true data
  const options: ProjectionOptions = { weekdayAware: method === 'weekday' };
  if (viaReadings) {
    const { daily, segments } = throughReadings(spend, today);
    const stream = readingsStream(segments, daily, 'UTC', today)!;
    const monthToDate = sumNano(mtdDays.map((d) => daily.get(d) ?? 0));
    return Number(projectMonth({ today, variable: new Map(), historyStart: FIRST, streams: [stream], monthToDate, monthly: null }, options).forecast);
  }
  const history = new Map([...spend].filter(([d]) => d < today));
  const monthToDate = sumNano(mtdDays.map((d) => spend.get(d)!));
  // An estimate compared as a ratio: a Number is exact at these sizes.
  return Number(projectMonth({ today, variable: history, historyStart: FIRST, monthToDate, monthly: null }, options).forecast);
}

function mape(profile: string, method: Method, seen: number): number {
  let total = 0;
  let n = 0;
  for (const seed of [1, 2, 3]) {
    const spend = generate(PROFILES[profile]!, seed * 7919 + profile.length);
    for (const month of MONTHS) {
      const actual = sumNano(eachDay(`${month}-01`, lastDayOfMonth(month)).map((d) => spend.get(d)!));
      total += Math.abs(forecastAt(spend, month, seen, method, READ_EVERY_THIRD.has(profile)) - actual) / actual;
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

  it('is never worse than the naive month-to-date projection by more than one point, for any profile and checkpoint', () => {
    for (const profile of Object.keys(PROFILES)) {
      CHECKPOINTS.forEach((_, i) => expect(results[profile]!.weekday[i]!, `${profile} at checkpoint ${i}`).toBeLessThanOrEqual(results[profile]!.naive[i]! + 1));
    }
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
