import { localDay, startOfLocalDay } from '../time';

/**
 * Which time range a sync asks a provider for. Pure, so every rule is unit-tested.
 *
 * - Providers revise their recent days (late usage, corrections), so every sync re-fetches the
 *   last `revisitDays` days before the end of the last successful window; the upserts make the
 *   overlap free of duplicates.
 * - A first sync fetches the user's current month to date, or `firstLookbackDays` when set.
 * - Starts are floored to a UTC midnight: every provider we sync buckets by UTC day, and a
 *   partial first bucket would be stored as if it were the whole day.
 * - A window never reaches back more than `maxDays` (a long-unused install does not page
 *   through years; OpenRouter keeps only 30 days anyway).
 */

export const DAY_MS = 86_400_000;

export interface WindowRule {
  now: Date;
  /** End of the last successful sync's window, if there was one. */
  lastOkEnd: Date | null;
  timeZone: string;
  revisitDays: number;
  firstLookbackDays: number | null;
  maxDays: number;
}

export interface SyncWindowRange {
  start: Date; // inclusive
  end: Date; // exclusive
}

export const WINDOW_DEFAULTS = { revisitDays: 3, maxDays: 180 } as const;

export function floorUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function syncWindow(rule: WindowRule): SyncWindowRange {
  const now = rule.now.getTime();
  let start: number;
  if (rule.lastOkEnd) {
    const resumeFrom = Math.min(rule.lastOkEnd.getTime(), now);
    start = resumeFrom - Math.max(0, rule.revisitDays) * DAY_MS;
  } else if (rule.firstLookbackDays !== null) {
    start = now - Math.max(0, rule.firstLookbackDays) * DAY_MS;
  } else {
    const month = localDay(rule.now, rule.timeZone).slice(0, 7);
    start = startOfLocalDay(`${month}-01`, rule.timeZone).getTime();
  }
  start = Math.max(start, now - rule.maxDays * DAY_MS);
  let floored = floorUtcDay(new Date(start));
  // Exactly at a UTC midnight a window would be empty: ask for the day that just ended.
  if (floored.getTime() >= now) floored = new Date(floored.getTime() - DAY_MS);
  return { start: floored, end: new Date(now) };
}
