import { localDay } from '../time';

/**
 * The local day a billed bucket belongs to: the one holding the bucket's midpoint. Providers bill
 * UTC days; filing a bucket by its start would shift every day by one for users west of UTC (New
 * York's UTC day 2026-03-09 starts on local 03-08 at 20:00). The midpoint files a UTC day on the
 * same calendar date for every offset above -12:00 and below +12:00; at +12:00 and beyond (New
 * Zealand, Fiji, Tonga, Kiribati) it lands on the next date. Provider usage buckets are filed the
 * same way (their clients set occurredAt to the midpoint), so a day's estimate and its bill always
 * meet on one local day.
 */
export function billedLocalDay(start: Date, end: Date, timeZone: string): string {
  return localDay(start.getTime() + Math.floor((end.getTime() - start.getTime()) / 2), timeZone);
}
