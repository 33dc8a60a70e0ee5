import { addDays, addMonths, daysInMonth, localMonth, startOfLocalDay } from '../time';

/**
 * A provider's billing month: a calendar month in the provider's billing zone (UTC unless the user
 * configured another with `provider set P --billing-tz ZONE`). All bounds are epoch milliseconds.
 */
export interface MonthBounds {
  month: string;
  startMs: number;
  /** Start of the next month: the month is [startMs, endMs). */
  endMs: number;
  /** When the month-end check is due: the start of the day two days before the month's last day. */
  checkFromMs: number;
}

export function billingMonthOf(atMs: number, billingTz: string): string {
  return localMonth(atMs, billingTz);
}

/**
 * The billing month a month-to-date figure read at `atMs` belongs to. A figure read at exactly the
 * first instant of a month (00:00 on the 1st in the billing zone) measured no time of that month:
 * it is the previous month's closing figure.
 */
export function readingMonthOf(atMs: number, billingTz: string): string {
  const month = billingMonthOf(atMs, billingTz);
  return monthBounds(month, billingTz).startMs === atMs ? addMonths(month, -1) : month;
}

export function monthBounds(month: string, billingTz: string): MonthBounds {
  const last = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  return {
    month,
    startMs: startOfLocalDay(`${month}-01`, billingTz).getTime(),
    endMs: startOfLocalDay(`${addMonths(month, 1)}-01`, billingTz).getTime(),
    checkFromMs: startOfLocalDay(addDays(last, -2), billingTz).getTime(),
  };
}

/** "2026-03" → "March 2026" (for messages; English month names, as every message here is English). */
export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTHS[m - 1]} ${y}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
