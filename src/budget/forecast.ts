import type { Database } from 'better-sqlite3';
import { countedByDay } from '../ledger/spend';
import { addNano, mulDiv, type Nano } from '../money';
import { addDays, daysInMonth, firstDayOfMonth, lastDayOfMonth } from '../time';

export interface MonthForecast {
  /** Projected month-end total. */
  forecast: Nano;
  /** The day the monthly budget runs out at this pace, or null. */
  runsOutOn: string | null;
}

/**
 * First method (the budget work refines it): month-to-date plus the average of the last 7 complete
 * local days, times the days left (today counts as left, its spend so far already in MTD).
 */
export function forecastMonth(db: Database, today: string, monthly: Nano | null): MonthForecast {
  const month = today.slice(0, 7);
  const first = firstDayOfMonth(month);
  const byDay = countedByDay(db, addDays(today, -7), today);
  let mtd = 0;
  for (const [day, v] of countedByDay(db, first, today)) if (day <= today) mtd = addNano(mtd, v);
  let recent = 0;
  for (let d = addDays(today, -7); d < today; d = addDays(d, 1)) recent = addNano(recent, byDay.get(d) ?? 0);
  const perDay = mulDiv(recent, 1, 7);
  const daysLeft = daysInMonth(month) - Number(today.slice(8, 10));
  const forecast = addNano(mtd, mulDiv(perDay, daysLeft, 1));
  let runsOutOn: string | null = null;
  if (monthly !== null && forecast > monthly) {
    if (mtd > monthly) runsOutOn = today;
    else if (perDay > 0) {
      const days = Math.ceil((monthly - mtd) / perDay);
      const day = addDays(today, days);
      runsOutOn = day <= lastDayOfMonth(month) ? day : null;
    }
  }
  return { forecast, runsOutOn };
}
