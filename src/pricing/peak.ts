/**
 * DeepSeek's time-of-day pricing (providers.md §5, api-docs.deepseek.com checked 2026-11-15):
 * peak hours are 01:00-04:00 and 06:00-10:00 UTC, Monday to Friday, at full price; every other
 * hour is off-peak at half price. The price of a call depends on its instant, not the user's zone.
 *
 * DeepSeek also exempts Chinese public holidays from peak pricing. Burnrate has no reliable holiday
 * list, so a holiday weekday is priced as peak: an overestimate, the safe side for a budget.
 */

/** Half-open UTC hour ranges [from, to). */
const PEAK_HOURS: readonly (readonly [number, number])[] = [
  [1, 4],
  [6, 10],
];

export function isDeepSeekPeak(at: Date): boolean {
  const day = at.getUTCDay(); // 0 Sunday … 6 Saturday
  if (day === 0 || day === 6) return false;
  const hour = at.getUTCHours();
  return PEAK_HOURS.some(([from, to]) => hour >= from && hour < to);
}

export const DEEPSEEK_PEAK_RULE =
  'Peak 01:00-04:00 and 06:00-10:00 UTC Monday-Friday at full price; off-peak (all other hours) at half price.';
