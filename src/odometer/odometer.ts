import { subNano, type Nano } from '../money';
import { monthBounds, type MonthBounds } from './billing';
import type { Segment } from './spread';

/**
 * The arithmetic of odometer readings: cumulative month-to-date figures from a provider's console
 * (Groq, Perplexity, Gemini, Mistral). Pure functions of the readings; docs/odometer.md states the
 * rules and the property tests in test/unit/odometer check them.
 *
 * Like a Beeminder odometer goal, what is stored is the list of figures exactly as read, and every
 * total is re-derived from that list: a correction or a deletion is an edit of the list, never a
 * compensating entry. The billing month is an implicit reset: the first reading of a new month
 * starts the odometer from zero again (Beeminder's reset carries the old total forward; here it is
 * the previous month's total, which stays in its own month).
 */

export interface OdoReading {
  id: number;
  amount: Nano;
  atMs: number;
  /** Billing month the figure belongs to (from atMs, or given with --month for a final figure). */
  month: string;
  /** A month's final figure, typed in after the month ended. */
  final: boolean;
}

export type MonthStatus = 'open' | 'final' | 'estimated';

export interface OdoMonth {
  month: string;
  bounds: MonthBounds;
  /** The month's figure: its final figure, else its latest reading. */
  total: Nano;
  /** The month's ordinary readings in time order (finals apart). */
  readings: OdoReading[];
  final: OdoReading | null;
  lastReadingAtMs: number | null;
  /** Spend between consecutive figures, spread later over local days. Amounts sum to `total`. */
  segments: Segment[];
  /** Spend each figure adds over the one before it in the month. */
  deltas: Map<number, Nano>;
}

/** Order of figures within a month: by time, then by id (entry order). */
function byTime(a: OdoReading, b: OdoReading): number {
  return a.atMs - b.atMs || a.id - b.id;
}

export function groupByMonth(readings: readonly OdoReading[]): Map<string, { readings: OdoReading[]; finals: OdoReading[] }> {
  const months = new Map<string, { readings: OdoReading[]; finals: OdoReading[] }>();
  for (const r of readings) {
    let m = months.get(r.month);
    if (!m) months.set(r.month, (m = { readings: [], finals: [] }));
    (r.final ? m.finals : m.readings).push(r);
  }
  for (const m of months.values()) {
    m.readings.sort(byTime);
    m.finals.sort((a, b) => a.id - b.id);
  }
  return months;
}

export class OdometerInvariantError extends Error {
  override name = 'OdometerInvariantError';
}

/**
 * Each month's total and segments:
 * - the first reading of a month is spread from the month's start to the moment it was taken;
 * - each later reading spreads its rise over the time since the reading before it;
 * - a final figure spreads what it adds over the last reading's time to the month's end (or over
 *   the whole month when the month had no reading), so it adjusts exactly the days nobody read.
 * Throws OdometerInvariantError on a sequence that validation should have refused (a drop).
 */
export function deriveOdometer(readings: readonly OdoReading[], billingTz: string): OdoMonth[] {
  const out: OdoMonth[] = [];
  for (const [month, group] of [...groupByMonth(readings).entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const bounds = monthBounds(month, billingTz);
    const final = group.finals.at(-1) ?? null;
    const segments: Segment[] = [];
    const deltas = new Map<number, Nano>();
    let previous = 0;
    let previousMs = bounds.startMs;
    for (const r of group.readings) {
      const rise = subNano(r.amount, previous);
      if (rise < 0) throw new OdometerInvariantError(`reading ${r.id} is lower than the one before it in ${month}`);
      segments.push({ startMs: previousMs, endMs: Math.max(previousMs, r.atMs), amount: rise });
      deltas.set(r.id, rise);
      previous = r.amount;
      previousMs = Math.max(previousMs, r.atMs);
    }
    if (final) {
      const rest = subNano(final.amount, previous);
      if (rest < 0) throw new OdometerInvariantError(`the final figure of ${month} is lower than a reading of that month`);
      segments.push({ startMs: previousMs, endMs: Math.max(previousMs, bounds.endMs), amount: rest });
      deltas.set(final.id, rest);
      previous = final.amount;
    }
    out.push({
      month,
      bounds,
      total: previous,
      readings: group.readings,
      final,
      lastReadingAtMs: group.readings.at(-1)?.atMs ?? null,
      segments,
      deltas,
    });
  }
  return out;
}

/**
 * Where a month stands:
 * - open: the month is still running (no reading of a later month yet and its end not reached);
 * - final: a final figure was entered, or its last reading was taken in its last three days
 *   (from the day the month-end reminder appears), which we take as the month's figure;
 * - estimated: the month closed with its last reading taken earlier: its total is a lower bound
 *   and a reminder asks for the final figure.
 * The first reading of a new month (the reset) closes the month before it; so does the clock.
 */
export function monthStatus(m: OdoMonth, nowMs: number, laterMonthHasReadings: boolean): MonthStatus {
  if (m.final) return 'final';
  const closed = laterMonthHasReadings || nowMs >= m.bounds.endMs;
  if (!closed) return 'open';
  return m.lastReadingAtMs !== null && m.lastReadingAtMs >= m.bounds.checkFromMs ? 'final' : 'estimated';
}

/** Status of every derived month, given all of them (sorted) and now. */
export function monthStatuses(months: readonly OdoMonth[], nowMs: number): Map<string, MonthStatus> {
  const statuses = new Map<string, MonthStatus>();
  months.forEach((m, i) => {
    const later = months.slice(i + 1).some((n) => n.readings.length > 0);
    statuses.set(m.month, monthStatus(m, nowMs, later));
  });
  return statuses;
}

export type OdoViolation =
  | { kind: 'drop'; earlier: OdoReading; later: OdoReading }
  | { kind: 'final_below'; final: OdoReading; reading: OdoReading }
  | { kind: 'same_instant'; first: OdoReading; second: OdoReading }
  | { kind: 'two_finals'; first: OdoReading; second: OdoReading };

/**
 * Is this list of figures one a month-to-date odometer can show? Within each billing month the
 * readings never go down over time, no two readings share an instant, a final figure is at least
 * every reading of its month, and a month has at most one final figure. Returns the first problem,
 * preferring one that involves `focusId` (the figure being added), or null.
 */
export function findViolation(readings: readonly OdoReading[], focusId?: number): OdoViolation | null {
  const found: OdoViolation[] = [];
  for (const group of groupByMonth(readings).values()) {
    const rs = group.readings;
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1]!;
      const b = rs[i]!;
      if (a.atMs === b.atMs) found.push({ kind: 'same_instant', first: a, second: b });
      else if (a.amount > b.amount) found.push({ kind: 'drop', earlier: a, later: b });
    }
    if (group.finals.length > 1) found.push({ kind: 'two_finals', first: group.finals[0]!, second: group.finals[1]! });
    const final = group.finals.at(-1);
    if (final) {
      const highest = rs.reduce<OdoReading | null>((best, r) => (best === null || r.amount > best.amount ? r : best), null);
      if (highest && highest.amount > final.amount) found.push({ kind: 'final_below', final, reading: highest });
    }
  }
  if (found.length === 0) return null;
  const involves = (v: OdoViolation) => Object.values(v).some((x) => typeof x === 'object' && x !== null && (x as OdoReading).id === focusId);
  return found.find(involves) ?? found[0]!;
}
