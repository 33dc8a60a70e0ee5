import type { Database } from 'better-sqlite3';
import { providerDays } from '../ledger/spend';
import { loadDerivation } from '../odometer/derive';
import { addTotal, allocateTotal, divRoundHalfEven, maxTotal, mulDivTotal, subTotal, sumTotal, toTotal, type Nano, type NanoTotal } from '../money';
import type { Segment } from '../odometer/spread';
import { addDays, daysBetween, daysInMonth, eachDay, firstDayOfMonth, lastDayOfMonth, localDay, startOfLocalDay, weekday } from '../time';

/**
 * The month-end forecast (docs/budget.md, "Forecast", says the same in prose):
 *
 *   forecast = month-to-date (everything counted, subscriptions included)
 *            + the rest of today        max(0, expected(today) − spent today)
 *            + each later day           expected(day)
 *            + fixed fees still due     subscription fees of this month not in the ledger yet
 *
 *   expected(day) = the average of three recent burn rates, over the last 7, 14 and 28 complete
 *                   local days, each scaled by the weekday's share once there are at least 14
 *                   complete days of history.
 *
 * Why three windows: a short one follows a new project within days, a long one is not thrown by
 * one batch job; their average beat each of them alone and the naive "month-to-date ÷ days
 * elapsed" on replayed months (test/unit/budget/forecast-replay.test.ts; the figures are in
 * docs/budget.md). Weekday shares come from the last 8 weeks: each weekday's mean over the overall
 * mean, shrunk towards 1 by two pseudo-days so one odd Tuesday cannot swing the forecast, and
 * normalised over each window so that projecting a window back gives its own total.
 *
 * "Variable" spend excludes subscription fees: a $20 fee on the 1st is not a daily burn rate.
 * Days before the first day with any data are unknown, not zero, and are left out of the means.
 * Everything is integer arithmetic on nano-USD (totals in BigInt, exact at any size) and basis
 * points; the forecast and the daily rate are rounded to the cent at the end (the runs-out day is
 * found before rounding).
 */

export const RATE_WINDOWS = [7, 14, 28] as const;
/** The rate reported as "daily rate". */
export const LEVEL_DAYS = 14;
export const FACTOR_DAYS = 56;
const SHRINK_DAYS = 2;

/**
 * Spend of one source whose days arrive late or in lumps (a provider read as an odometer or a
 * prepaid balance): its days after `lastComplete`, and the days in `unknown`, are not known yet.
 * They are left out of the rate windows and projected, never taken as $0.
 */
/** A day's spend as callers have it: one amount, or a total read from the ledger. */
type DayAmount = Nano | NanoTotal;

/** The spend of `day` in `daily` as a total; a day without spend is 0. */
function spendOn(daily: ReadonlyMap<string, DayAmount>, day: string): NanoTotal {
  const amount = daily.get(day);
  return amount === undefined ? 0n : toTotal(amount);
}

export interface SpendStream {
  daily: ReadonlyMap<string, DayAmount>;
  /** First local day with data, or null. */
  historyStart: string | null;
  /** The last local day the source has measured in full. */
  lastComplete: string;
  /** Days before lastComplete that no figure covers in full. */
  unknown?: ReadonlySet<string>;
}

export interface ProjectionInput {
  today: string;
  /** Variable (non-subscription) counted spend per local day: history and this month through today. */
  variable: ReadonlyMap<string, DayAmount>;
  /** First local day with any data, or null when there is none. */
  historyStart: string | null;
  /** Sources measured by readings, apart from `variable` (their spend is not in it). */
  streams?: readonly SpendStream[];
  /** Everything counted this month through today, subscriptions included. */
  monthToDate: DayAmount;
  /** Fixed fees still due this month, each on its local day (≥ today). */
  fixedAhead?: readonly { day: string; amount: DayAmount }[];
  monthly: Nano | null;
}

export interface ProjectionOptions {
  /** Rate windows in complete days (default 7, 14 and 28). */
  windows?: readonly number[];
  weekdayAware?: boolean;
  /** Follow a significant trend (default true). */
  trend?: boolean;
  /** Blend in the month's own pace as the month goes on (default true). */
  blend?: boolean;
}

export interface Projection {
  /** Projected month-end total. */
  forecast: NanoTotal;
  /** Expected variable spend of an average day (the mean of the rate windows). */
  dailyRate: NanoTotal;
  /** Complete days of history the rate is based on (0: only today so far). */
  basisDays: number;
  weekdayAware: boolean;
  /** Weekday shares in basis points, Sunday first (null when not weekday-aware). */
  factorsBp: number[] | null;
  /** The day the monthly budget is passed at this pace (null: it is not, or there is no budget). */
  runsOutOn: string | null;
  /** The month-to-date total is already past the monthly budget. */
  alreadyExceeded: boolean;
}

/** The known days among the `count` calendar days up to and including `last`. */
function knownDays(s: SpendStream, count: number): string[] {
  if (s.historyStart === null) return [];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = addDays(s.lastComplete, -i);
    if (day < s.historyStart) break;
    if (!s.unknown?.has(day)) out.push(day);
  }
  return out;
}

/** Weekday shares (bp, Sunday first) from `days`, shrunk towards 10000. */
function weekdayFactors(days: readonly string[], spend: ReadonlyMap<string, DayAmount>): number[] {
  const sums = [0n, 0n, 0n, 0n, 0n, 0n, 0n];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const d of days) {
    const w = weekday(d);
    sums[w] = addTotal(sums[w]!, spendOn(spend, d));
    counts[w]! += 1;
  }
  const total = sumTotal(sums);
  const n = days.length;
  return sums.map((sum, w) => {
    const c = counts[w]!;
    if (total <= 0n || c === 0) return 10_000;
    // raw share = (sum / c) / (total / n), in basis points
    const raw = divRoundHalfEven(sum * BigInt(n) * 10_000n, BigInt(c) * total);
    return Number(divRoundHalfEven(BigInt(c) * raw + BigInt(SHRINK_DAYS) * 10_000n, BigInt(c + SHRINK_DAYS)));
  });
}

/** One window's expected spend for a day: its total × the day's share ÷ the window's shares. */
function windowRate(days: readonly string[], spend: ReadonlyMap<string, DayAmount>, factors: number[] | null): { expected: (day: string) => NanoTotal; mean: NanoTotal } {
  const sum = sumTotal(days.map((d) => spendOn(spend, d)));
  const factorSum = factors ? days.reduce((s, d) => s + factors[weekday(d)]!, 0) : 0;
  return {
    mean: mulDivTotal(sum, 1, days.length),
    expected: (day) => (factors && factorSum > 0 ? mulDivTotal(sum, factors[weekday(day)]!, factorSum) : mulDivTotal(sum, 1, days.length)),
  };
}

/** Days of history the trend is fitted on, how sure it must be, and how fast it fades ahead. */
export const TREND_DAYS = 28;
const TREND_MIN_DAYS = 10;
const TREND_T = 2.5;
const TREND_DAMPING = 0.97;

/**
 * A damped linear trend over the last TREND_DAYS known days (weekday shares taken out): the
 * least-squares slope in nano-USD per day, used only when it is significant (|t| ≥ TREND_T), else 0.
 * The fit is in floating point: it is a parameter of an estimate, rounded to whole nano-USD before
 * any money is computed with it.
 */
function trendSlope(s: SpendStream, factors: number[] | null): number {
  const days = knownDays(s, TREND_DAYS);
  if (days.length < TREND_MIN_DAYS) return 0;
  const xs = days.map((d) => -daysBetween(d, s.lastComplete));
  const ys = days.map((d) => Number(spendOn(s.daily, d)) / (factors ? factors[weekday(d)]! / 10_000 : 1));
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return 0;
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - my - slope * (xs[i]! - mx)) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  return se > 0 && Math.abs(slope / se) >= TREND_T ? Math.round(slope) : 0;
}

/** Σ φ^i for i = 1..h: how far ahead a damped trend reaches after h days. */
function damped(h: number): number {
  return (TREND_DAMPING * (1 - TREND_DAMPING ** h)) / (1 - TREND_DAMPING);
}

interface StreamRate {
  /** Expected spend of a day after lastComplete. */
  expected: (day: string) => NanoTotal;
  mean: NanoTotal;
  basisDays: number;
  factors: number[] | null;
}

/**
 * The naive pace of the month so far: this month's known spend over its known days. Blended in
 * with weight 1.25 × (known days ÷ days in the month): early on the recent windows lead, late in the
 * month what the month itself showed does (a batch job in it is part of its pace).
 */
/** The month's own pace weighs 1.25 × the share of the month known (capped at all of it). */
const PACE_WEIGHT_BP = 12_500;

function monthPace(s: SpendStream, month: string): { perDay: NanoTotal; weightBp: number } | null {
  const days = knownDays(s, daysBetween(`${month}-01`, s.lastComplete) + 1).filter((d) => d.startsWith(month));
  if (days.length === 0) return null;
  return { perDay: mulDivTotal(sumTotal(days.map((d) => spendOn(s.daily, d))), 1, days.length), weightBp: Math.min(10_000, Math.round((days.length * PACE_WEIGHT_BP) / daysInMonth(month))) };
}

function streamRate(s: SpendStream, options: ProjectionOptions): StreamRate | null {
  const factorDays = knownDays(s, FACTOR_DAYS);
  const factors = (options.weekdayAware ?? true) && factorDays.length >= 14 ? weekdayFactors(factorDays, s.daily) : null;
  const windows = (options.windows ?? RATE_WINDOWS).map((w) => knownDays(s, w)).filter((days) => days.length > 0);
  if (windows.length === 0) return null;
  const rates = windows.map((days) => windowRate(days, s.daily, factors));
  const slope = (options.trend ?? true) ? trendSlope(s, factors) : 0;
  // Each window's mean stands for the middle of its days; the trend carries it to the day asked.
  const middle = windows.reduce((sum, days) => sum + days.reduce((a, d) => a + daysBetween(d, s.lastComplete), 0) / days.length, 0) / windows.length;
  const pace = (options.blend ?? true) ? monthPace(s, addDays(s.lastComplete, 1).slice(0, 7)) : null;
  return {
    basisDays: Math.max(...windows.map((w) => w.length)),
    factors,
    mean: mulDivTotal(sumTotal(rates.map((r) => r.mean)), 1, rates.length),
    expected: (day) => {
      let base = mulDivTotal(sumTotal(rates.map((r) => r.expected(day))), 1, rates.length);
      if (slope !== 0) {
        const share = factors ? factors[weekday(day)]! / 10_000 : 1;
        base = maxTotal(0n, base + BigInt(Math.round(slope * share * (middle + damped(daysBetween(s.lastComplete, day))))));
      }
      if (!pace) return base;
      const paced = factors ? mulDivTotal(pace.perDay, factors[weekday(day)]!, 10_000) : pace.perDay;
      return mulDivTotal(base, 10_000 - pace.weightBp, 10_000) + mulDivTotal(paced, pace.weightBp, 10_000);
    },
  };
}

const NANO_PER_CENT = 10_000_000n;

/** Forecasts are estimates: shown to the cent (half to even), never with false precision. */
export function roundToCents(n: DayAmount): NanoTotal {
  return mulDivTotal(n, 1n, NANO_PER_CENT) * NANO_PER_CENT;
}

/**
 * Pure: the month-end projection from daily figures. Each stream (the ledger's complete sources,
 * and each source measured by readings) is projected from the day after its last complete day:
 * a day it has partly recorded adds what its rate expects beyond that, a later day all of it.
 */
export function projectMonth(input: ProjectionInput, options: ProjectionOptions = {}): Projection {
  const { today } = input;
  const month = today.slice(0, 7);
  const main: SpendStream = { daily: input.variable, historyStart: input.historyStart, lastComplete: addDays(today, -1) };
  const streams = [main, ...(input.streams ?? [])];
  const end = lastDayOfMonth(month);
  const ahead = new Map<string, NanoTotal>(); // projected additions by day (past days are added today)
  const add = (day: string, amount: DayAmount) => {
    const at = day < today ? today : day;
    ahead.set(at, addTotal(ahead.get(at) ?? 0n, amount));
  };
  let dailyRate = 0n;
  let basisDays = 0;
  let factorsBp: number[] | null = null;
  streams.forEach((s, i) => {
    const rate = streamRate(s, options);
    if (i === 0) factorsBp = rate?.factors ?? null;
    basisDays = Math.max(basisDays, rate?.basisDays ?? 0);
    const firstOpen = addDays(s.lastComplete, 1) < `${month}-01` ? `${month}-01` : addDays(s.lastComplete, 1);
    if (!rate) {
      // No complete day yet: what it recorded today is all we know of its pace.
      const spentToday = spendOn(s.daily, today);
      dailyRate = addTotal(dailyRate, spentToday);
      for (let day = addDays(today, 1); day <= end; day = addDays(day, 1)) add(day, spentToday);
      return;
    }
    dailyRate = addTotal(dailyRate, rate.mean);
    for (let day = firstOpen, n = 0; day <= end && n < 32; day = addDays(day, 1), n++) {
      const recorded = day <= today ? spendOn(s.daily, day) : 0n;
      add(day, maxTotal(0n, subTotal(rate.expected(day), recorded)));
    }
  });
  for (const f of input.fixedAhead ?? []) add(f.day, f.amount);

  const monthly = input.monthly;
  const alreadyExceeded = monthly !== null && input.monthToDate > monthly;
  let cumulative = toTotal(input.monthToDate);
  let runsOutOn: string | null = null;
  for (let day = today, i = 0; day <= end && i < 32; day = addDays(day, 1), i++) {
    cumulative = addTotal(cumulative, ahead.get(day) ?? 0n);
    if (monthly !== null && !alreadyExceeded && runsOutOn === null && cumulative > monthly) runsOutOn = day;
  }
  return {
    forecast: roundToCents(cumulative),
    dailyRate: roundToCents(dailyRate),
    basisDays,
    weekdayAware: factorsBp !== null,
    factorsBp,
    runsOutOn,
    alreadyExceeded,
  };
}

/**
 * A stream from the time figures cover (segments of readings) and its spend per local day: a day
 * is known when the figures cover all of it; the last known day before today is its lastComplete.
 */
export function readingsStream(segments: readonly Segment[], daily: ReadonlyMap<string, DayAmount>, timeZone: string, today: string): SpendStream | null {
  const spans = segments.filter((x) => x.endMs > x.startMs).map((x) => [x.startMs, x.endMs] as [number, number]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  if (merged.length === 0) return null;
  const first = localDay(merged[0]![0], timeZone);
  const known = new Set<string>();
  for (const [a, b] of merged) {
    for (let day = localDay(a, timeZone); day < today; day = addDays(day, 1)) {
      const start = startOfLocalDay(day, timeZone).getTime();
      if (start >= b) break;
      if (start >= a && startOfLocalDay(addDays(day, 1), timeZone).getTime() <= b) known.add(day);
    }
  }
  const lastComplete = [...known].sort().at(-1) ?? addDays(first, -1);
  const unknown = new Set<string>();
  for (let day = first; day <= lastComplete; day = addDays(day, 1)) if (!known.has(day)) unknown.add(day);
  return { daily, historyStart: first, lastComplete, unknown };
}

// ---- from the ledger -----------------------------------------------------------------------------

export interface MonthForecast extends Projection {
  month: string;
  monthToDate: NanoTotal;
  /** Subscription fees of this month not in the ledger yet. */
  fixedAhead: NanoTotal;
}

interface SubscriptionRow {
  provider: string;
  monthly_nano: number;
  day_of_month: number;
  started_on: string;
  ended_on: string | null;
}

/**
 * Subscription fees of this month not in the ledger yet. The odometer area counts a subscription's
 * whole fee in every calendar month it runs, spread evenly over the month's days and written up to
 * today; what is still missing is spread the same way over the days after today.
 */
function subscriptionsAhead(db: Database, today: string, inLedger: ReadonlyMap<string, NanoTotal>): { day: string; amount: NanoTotal }[] {
  const month = today.slice(0, 7);
  const rows = db
    .prepare(
      `SELECT provider, monthly_nano, day_of_month, started_on, ended_on FROM subscriptions
       WHERE substr(started_on, 1, 7) <= ? AND (ended_on IS NULL OR substr(ended_on, 1, 7) >= ?)`,
    )
    .all(month, month) as SubscriptionRow[];
  const expected = new Map<string, NanoTotal>();
  for (const r of rows) expected.set(r.provider, addTotal(expected.get(r.provider) ?? 0n, r.monthly_nano));
  const end = lastDayOfMonth(month);
  const days = today < end ? eachDay(addDays(today, 1), end) : [today];
  const out: { day: string; amount: NanoTotal }[] = [];
  for (const [provider, fee] of expected) {
    const left = subTotal(fee, inLedger.get(provider) ?? 0n);
    if (left <= 0n) continue;
    allocateTotal(left, days.map(() => 1)).forEach((amount, i) => out.push({ day: days[i]!, amount }));
  }
  return out;
}

/**
 * The first local day with spend other than subscription fees. Subscription rows are written back
 * to the day a subscription started, which can be long before Burnrate saw any usage.
 */
export function historyStart(db: Database): string | null {
  const row = db.prepare("SELECT MIN(local_day) AS d FROM daily_rollups WHERE source != 'subscription'").get() as { d: string | null };
  return row.d;
}

/**
 * The forecast of the month of `today` (a local day, in `timeZone`) from the ledger's read model.
 * A provider's days measured by readings (odometer, balance) form a stream of their own, so the
 * days since its latest figure are unknown rather than $0 (SpendStream).
 */
export function forecastMonth(db: Database, today: string, monthly: Nano | null, options: ProjectionOptions = {}, timeZone = 'UTC'): MonthForecast {
  const month = today.slice(0, 7);
  const first = firstDayOfMonth(month);
  const from = addDays(today, -FACTOR_DAYS);
  const variable = new Map<string, NanoTotal>();
  const byReadings = new Map<string, Map<string, NanoTotal>>();
  const subsInLedger = new Map<string, NanoTotal>();
  let monthToDate = 0n;
  for (const d of providerDays(db, from < first ? from : first, today)) {
    const fixed = d.byTier.subscription ?? 0n;
    const amount = subTotal(d.countedNano, fixed);
    if (d.countedTier === 'readings') {
      const days = byReadings.get(d.provider) ?? new Map<string, NanoTotal>();
      days.set(d.localDay, addTotal(days.get(d.localDay) ?? 0n, amount));
      byReadings.set(d.provider, days);
    } else {
      variable.set(d.localDay, addTotal(variable.get(d.localDay) ?? 0n, amount));
    }
    if (d.localDay >= first) {
      monthToDate = addTotal(monthToDate, d.countedNano);
      if (fixed !== 0n) subsInLedger.set(d.provider, addTotal(subsInLedger.get(d.provider) ?? 0n, fixed));
    }
  }
  const nowMs = startOfLocalDay(addDays(today, 1), timeZone).getTime();
  const streams: SpendStream[] = [];
  for (const [provider, days] of byReadings) {
    const d = loadDerivation(db, provider, nowMs);
    const stream = readingsStream([...d.months.flatMap((m) => m.segments), ...d.balance.segments], days, timeZone, today);
    if (stream) streams.push(stream);
    else for (const [day, amount] of days) variable.set(day, addTotal(variable.get(day) ?? 0n, amount));
  }
  const fixedAhead = subscriptionsAhead(db, today, subsInLedger);
  const projection = projectMonth({ today, variable, historyStart: historyStart(db), streams, monthToDate, fixedAhead, monthly }, options);
  return { ...projection, month, monthToDate, fixedAhead: sumTotal(fixedAhead.map((f) => f.amount)) };
}
