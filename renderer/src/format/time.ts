/**
 * Dates and instants for display: one style per kind, the same on every screen of the window and
 * the popover (a UX audit found "2026-11-28", "Nov 28" and raw ISO instants side by side):
 * - A day, in a table or in a sentence: "2026-11-28", as the day is stored, typed in a date field,
 *   given to the CLI and written in exports and their file names. It never needs a year guessed
 *   (no "Mar 1" of which year), and it sorts and lines up in a column.
 * - An instant: "2026-11-28 19:05", to the minute, in the ledger's zone where the view knows it
 *   (localDateTime); never the raw "2026-11-28T18:05:00Z".
 * - A month: "November 2026", or "November" where the year goes without saying (monthName).
 *   whenText says any of the three from its stored form, for a value that may be one or another (an
 *   alert's period, a price's "as of").
 * - An age, where how long ago matters more than when: "3 h ago" (relativeTime); past 60 days it
 *   is the day.
 * - The one exception, a chart's axis: "Nov 28" (axisDay), for room, under a title naming the month.
 * "Now" is always the server's asOf, so a fixed BURNRATE_NOW shows consistent ages.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-11" → "November"; with year: "November 2026". */
export function monthName(month: string, withYear = false): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !name) return month;
  return withYear ? `${name} ${m[1]}` : name;
}

/** "2026-11-28" → "Nov 28": a chart axis's label only (a day anywhere else is "2026-11-28"). */
export function axisDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !name) return day;
  return `${name.slice(0, 3)} ${Number(m[3])}`;
}

/** How long ago `iso` was, seen from `now`: "just now", "5 min ago", "3 h ago", "2 days ago". */
export function relativeTime(iso: string | null | undefined, now: string): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  const at = Date.parse(now);
  if (Number.isNaN(then) || Number.isNaN(at)) return iso;
  const seconds = Math.round((at - then) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  let text: string;
  if (s < 45) return 'just now';
  if (s < 3600) text = `${Math.max(1, Math.round(s / 60))} min`;
  else if (s < 86_400) text = `${Math.round(s / 3600)} h`;
  else if (s < 2 * 86_400) return future ? 'tomorrow' : 'yesterday';
  else if (s < 60 * 86_400) text = `${Math.round(s / 86_400)} days`;
  else return localDateTime(iso).slice(0, 10);
  return future ? `in ${text}` : `${text} ago`;
}

/** Hours since `iso` (for staleness colours). */
export function hoursBetween(iso: string | null | undefined, now: string): number | null {
  if (!iso) return null;
  const d = Date.parse(now) - Date.parse(iso);
  return Number.isNaN(d) ? null : d / 3_600_000;
}

/** "2026-11-28T18:05:00Z" → "2026-11-28 19:05" in the viewer's zone. */
export function localDateTime(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * A stored date of any kind in its display style: a month "2026-11" → "November 2026", a day
 * "2026-11-28" as it is, an instant → "2026-11-28 19:05" in `timeZone` (else the viewer's).
 */
export function whenText(value: string, timeZone?: string): string {
  if (/^\d{4}-\d{2}$/.test(value)) return monthName(value, true);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return localDateTime(value, timeZone);
}

/** Days of a YYYY-MM month: ["2026-11-01", …, "2026-11-30"]. */
export function daysOfMonth(month: string): string[] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return [];
  const count = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** "2026-11-28" plus n days (calendar arithmetic in UTC, no zone involved). */
export function addDaysIso(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** What is wrong with a range of days picked in a form (YYYY-MM-DD, either may be empty), said at its first day; undefined when nothing. */
export function dayRangeProblem(from: string, to: string): string | undefined {
  return from && to && from > to ? 'The first day comes after the last one: swap them.' : undefined;
}
