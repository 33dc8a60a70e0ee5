import type { Database } from 'better-sqlite3';
import { providerDays } from '../ledger/spend';
import { getAccount } from '../odometer/modes';
import { addNano, allocate, divRoundHalfEven, mulDiv, subNano, sumNano, type Nano } from '../money';
import { addDays, daysBetween, eachDay, firstDayOfMonth, lastDayOfMonth, weekday } from '../time';

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
 * Everything is integer arithmetic on nano-USD and basis points; the forecast and the daily rate
 * are rounded to the cent at the end (the runs-out day is found before rounding).
 */

export const RATE_WINDOWS = [7, 14, 28] as const;
/** The rate reported as "daily rate" and the window for balance runways. */
export const LEVEL_DAYS = 14;
export const FACTOR_DAYS = 56;
const SHRINK_DAYS = 2;

export interface ProjectionInput {
  today: string;
  /** Variable (non-subscription) counted spend per local day: history and this month through today. */
  variable: ReadonlyMap<string, Nano>;
  /** First local day with any data, or null when there is none. */
  historyStart: string | null;
  /** Everything counted this month through today, subscriptions included. */
  monthToDate: Nano;
  /** Fixed fees still due this month, each on its local day (≥ today). */
  fixedAhead?: readonly { day: string; amount: Nano }[];
  monthly: Nano | null;
}

export interface ProjectionOptions {
  /** Rate windows in complete days (default 7, 14 and 28). */
  windows?: readonly number[];
  weekdayAware?: boolean;
}

export interface Projection {
  /** Projected month-end total. */
  forecast: Nano;
  /** Expected variable spend of an average day (the mean of the rate windows). */
  dailyRate: Nano;
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

function completeDays(input: ProjectionInput, count: number): string[] {
  if (input.historyStart === null) return [];
  const out: string[] = [];
  for (let i = 1; i <= count; i++) {
    const day = addDays(input.today, -i);
    if (day < input.historyStart) break;
    out.push(day);
  }
  return out;
}

/** Weekday shares (bp, Sunday first) from `days`, shrunk towards 10000. */
function weekdayFactors(days: readonly string[], spend: ReadonlyMap<string, Nano>): number[] {
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const d of days) {
    const w = weekday(d);
    sums[w] = addNano(sums[w]!, spend.get(d) ?? 0);
    counts[w]! += 1;
  }
  const total = sumNano(sums);
  const n = days.length;
  return sums.map((sum, w) => {
    const c = counts[w]!;
    if (total <= 0 || c === 0) return 10_000;
    // raw share = (sum / c) / (total / n), in basis points
    const raw = divRoundHalfEven(BigInt(sum) * BigInt(n) * 10_000n, BigInt(c) * BigInt(total));
    return Number(divRoundHalfEven(BigInt(c) * raw + BigInt(SHRINK_DAYS) * 10_000n, BigInt(c + SHRINK_DAYS)));
  });
}

/** One window's expected spend for a day: its total × the day's share ÷ the window's shares. */
function windowRate(days: readonly string[], spend: ReadonlyMap<string, Nano>, factors: number[] | null): { expected: (day: string) => Nano; mean: Nano } {
  const sum = sumNano(days.map((d) => spend.get(d) ?? 0));
  const factorSum = factors ? days.reduce((s, d) => s + factors[weekday(d)]!, 0) : 0;
  return {
    mean: mulDiv(sum, 1, days.length),
    expected: (day) => (factors && factorSum > 0 ? mulDiv(sum, factors[weekday(day)]!, factorSum) : mulDiv(sum, 1, days.length)),
  };
}

const NANO_PER_CENT = 10_000_000;

/** Forecasts are estimates: shown to the cent (half to even), never with false precision. */
export function roundToCents(n: Nano): Nano {
  return mulDiv(n, 1, NANO_PER_CENT) * NANO_PER_CENT;
}

/** Pure: the month-end projection from daily figures. */
export function projectMonth(input: ProjectionInput, options: ProjectionOptions = {}): Projection {
  const { today, variable } = input;
  const month = today.slice(0, 7);
  const factorDays = completeDays(input, FACTOR_DAYS);
  const factors = (options.weekdayAware ?? true) && factorDays.length >= 14 ? weekdayFactors(factorDays, variable) : null;
  const windows = (options.windows ?? RATE_WINDOWS).map((w) => completeDays(input, w)).filter((days) => days.length > 0);
  const rates = windows.map((days) => windowRate(days, variable, factors));
  const basisDays = Math.max(0, ...windows.map((w) => w.length));
  const spentToday = variable.get(today) ?? 0;

  const expected = (day: string): Nano => {
    if (rates.length === 0) return spentToday; // no complete day yet: today is all we know
    return mulDiv(sumNano(rates.map((r) => r.expected(day))), 1, rates.length);
  };

  const fixedOn = new Map<string, Nano>();
  for (const f of input.fixedAhead ?? []) {
    const day = f.day < today ? today : f.day;
    fixedOn.set(day, addNano(fixedOn.get(day) ?? 0, f.amount));
  }

  const end = lastDayOfMonth(month);
  const monthly = input.monthly;
  const alreadyExceeded = monthly !== null && input.monthToDate > monthly;
  let cumulative = input.monthToDate;
  let runsOutOn: string | null = null;
  for (let day = today, i = 0; day <= end && i < 32; day = addDays(day, 1), i++) {
    const variablePart = day === today ? Math.max(0, subNano(expected(day), spentToday)) : expected(day);
    cumulative = addNano(addNano(cumulative, variablePart), fixedOn.get(day) ?? 0);
    if (monthly !== null && !alreadyExceeded && runsOutOn === null && cumulative > monthly) runsOutOn = day;
  }
  return {
    forecast: roundToCents(cumulative),
    dailyRate: roundToCents(rates.length ? mulDiv(sumNano(rates.map((r) => r.mean)), 1, rates.length) : spentToday),
    basisDays,
    weekdayAware: factors !== null,
    factorsBp: factors,
    runsOutOn,
    alreadyExceeded,
  };
}

// ---- from the ledger -----------------------------------------------------------------------------

export interface MonthForecast extends Projection {
  month: string;
  monthToDate: Nano;
  /** Subscription fees of this month not in the ledger yet. */
  fixedAhead: Nano;
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
function subscriptionsAhead(db: Database, today: string, inLedger: ReadonlyMap<string, Nano>): { day: string; amount: Nano }[] {
  const month = today.slice(0, 7);
  const rows = db
    .prepare(
      `SELECT provider, monthly_nano, day_of_month, started_on, ended_on FROM subscriptions
       WHERE substr(started_on, 1, 7) <= ? AND (ended_on IS NULL OR substr(ended_on, 1, 7) >= ?)`,
    )
    .all(month, month) as SubscriptionRow[];
  const expected = new Map<string, Nano>();
  for (const r of rows) expected.set(r.provider, addNano(expected.get(r.provider) ?? 0, r.monthly_nano));
  const end = lastDayOfMonth(month);
  const days = today < end ? eachDay(addDays(today, 1), end) : [today];
  const out: { day: string; amount: Nano }[] = [];
  for (const [provider, fee] of expected) {
    const left = subNano(fee, inLedger.get(provider) ?? 0);
    if (left <= 0) continue;
    allocate(left, days.map(() => 1)).forEach((amount, i) => out.push({ day: days[i]!, amount }));
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

/** The forecast of the month of `today` (a local day) from the ledger's read model. */
export function forecastMonth(db: Database, today: string, monthly: Nano | null, options: ProjectionOptions = {}): MonthForecast {
  const month = today.slice(0, 7);
  const first = firstDayOfMonth(month);
  const from = addDays(today, -FACTOR_DAYS);
  const variable = new Map<string, Nano>();
  const subsInLedger = new Map<string, Nano>();
  let monthToDate = 0;
  for (const d of providerDays(db, from < first ? from : first, today)) {
    const fixed = d.byTier.subscription ?? 0;
    variable.set(d.localDay, addNano(variable.get(d.localDay) ?? 0, subNano(d.countedNano, fixed)));
    if (d.localDay >= first) {
      monthToDate = addNano(monthToDate, d.countedNano);
      if (fixed !== 0) subsInLedger.set(d.provider, addNano(subsInLedger.get(d.provider) ?? 0, fixed));
    }
  }
  const fixedAhead = subscriptionsAhead(db, today, subsInLedger);
  const projection = projectMonth({ today, variable, historyStart: historyStart(db), monthToDate, fixedAhead, monthly }, options);
  return { ...projection, month, monthToDate, fixedAhead: sumNano(fixedAhead.map((f) => f.amount)) };
}

// ---- prepaid balances ----------------------------------------------------------------------------

export interface Runway {
  provider: string;
  /** Latest balance reading plus top-ups entered after it. */
  balance: Nano;
  asOf: string;
  /** Mean counted spend of the last 14 complete days. */
  dailyBurn: Nano;
  /** Whole days the balance lasts at that burn (null: no burn, it lasts). */
  days: number | null;
  runsOutOn: string | null;
}

/**
 * The latest USD balance each provider synced by API reported (OpenRouter credits, xAI prepaid):
 * its billing API gives the spend, and the balance is shown beside it with its runway. (A provider
 * in balance mode has these as balance readings already.) Negative: money owed (xAI).
 */
function apiModeBalances(db: Database): { provider: string; amount_nano: number; taken_at: string }[] {
  const rows = db
    .prepare(
      `SELECT b.provider, b.amount_nano, b.observed_at AS taken_at FROM sync_balances b
       WHERE b.account = 'default' AND b.currency = 'USD'
         AND b.observed_at = (SELECT MAX(observed_at) FROM sync_balances x WHERE x.provider = b.provider AND x.account = 'default' AND x.currency = 'USD')
       ORDER BY b.provider`,
    )
    .all() as { provider: string; amount_nano: number; taken_at: string }[];
  return rows.filter((r) => getAccount(db, r.provider).mode === 'api');
}

/** Days of runway for every provider with a prepaid balance reading, or a balance its API reported. */
export function balanceRunways(db: Database, today: string): Runway[] {
  const readings = db
    .prepare(
      `SELECT r.provider, r.amount_nano, r.taken_at FROM readings r
       WHERE r.kind = 'balance' AND r.deleted_at IS NULL
         AND r.taken_at = (SELECT MAX(taken_at) FROM readings x WHERE x.provider = r.provider AND x.kind = 'balance' AND x.deleted_at IS NULL)
       GROUP BY r.provider ORDER BY r.provider`,
    )
    .all() as { provider: string; amount_nano: number; taken_at: string }[];
  const withReadings = new Set(readings.map((r) => r.provider));
  const latest = [...readings, ...apiModeBalances(db).filter((b) => !withReadings.has(b.provider))].sort((a, b) => a.provider.localeCompare(b.provider));
  const topups = db.prepare(
    "SELECT COALESCE(SUM(amount_nano), 0) AS n FROM readings WHERE provider = ? AND kind = 'topup' AND deleted_at IS NULL AND taken_at > ?",
  );
  const start = historyStart(db);
  return latest.map((r) => {
    const balance = addNano(r.amount_nano, (topups.get(r.provider, r.taken_at) as { n: number }).n);
    const from = addDays(today, -LEVEL_DAYS);
    const windowStart = start !== null && start > from ? start : from;
    const span = Math.max(0, daysBetween(windowStart, today));
    const spent = sumNano(providerDays(db, windowStart, addDays(today, -1), r.provider).map((d) => d.countedNano));
    const dailyBurn = span > 0 ? mulDiv(spent, 1, span) : 0;
    // A balance below zero (money owed) lasts no day at any pace.
    const days = balance < 0 ? 0 : dailyBurn > 0 ? Math.max(0, Number(BigInt(balance) / BigInt(dailyBurn))) : null;
    return { provider: r.provider, balance, asOf: r.taken_at, dailyBurn, days, runsOutOn: days === null ? null : addDays(today, days) };
  });
}
