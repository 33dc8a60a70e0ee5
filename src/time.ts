/**
 * Time: a clock that tests and demos can fix, and calendar arithmetic in the user's zone.
 *
 * Instants are stored as ISO-8601 UTC strings ("2026-11-28T18:00:00.000Z"). A budget's "day" is the
 * user's local calendar day in `timezone` (TZ, else the system zone). A provider's daily bucket
 * belongs to the local day in which the bucket *starts*.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock {
  const at = parseInstant(iso, 'BURNRATE_NOW');
  return { now: () => new Date(at.getTime()) };
}

/** BURNRATE_NOW fixes the clock for tests and demos. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  return env.BURNRATE_NOW ? fixedClock(env.BURNRATE_NOW) : systemClock;
}

export class TimeError extends Error {
  override name = 'TimeError';
}

/** The user's zone: TZ if set (and valid), else the system's. */
export function resolveTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.TZ?.replace(/^:/, '');
  if (tz) {
    assertTimeZone(tz);
    return tz;
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function assertTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new TimeError(`The time zone "${tz}" is not known; use an IANA name such as Europe/Berlin.`);
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parse an ISO instant with an explicit zone or Z (a bare date means local midnight: see parseInstantInZone). */
export function parseInstant(text: string, label = 'the date'): Date {
  if (!ISO_INSTANT.test(text)) {
    throw new TimeError(`${label} "${text}" is not an ISO date-time such as 2026-11-28T18:00:00Z.`);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new TimeError(`${label} "${text}" is not a real date.`);
  }
  return date;
}

/** Like parseInstant, but a bare YYYY-MM-DD or a zone-less date-time is read in `tz`. */
export function parseInstantInZone(text: string, tz: string, label = 'the date'): Date {
  if (ISO_DATE.test(text)) return startOfLocalDay(assertDate(text, label), tz);
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (local) {
    const day = assertDate(local[1]!, label);
    const start = startOfLocalDay(day, tz).getTime();
    const wall = Number(local[2]) * 3600_000 + Number(local[3]) * 60_000 + Number(local[4] ?? 0) * 1000;
    // Walk from local midnight by wall-clock time, correcting for any offset change during the day.
    const guess = new Date(start + wall);
    const correction = offsetMs(start, tz) - offsetMs(guess.getTime(), tz);
    return new Date(guess.getTime() + correction);
  }
  return parseInstant(text, label);
}

export function assertDate(text: string, label = 'the date'): string {
  const m = ISO_DATE.exec(text);
  if (!m) throw new TimeError(`${label} "${text}" is not a date such as 2026-11-28.`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== text) throw new TimeError(`${label} "${text}" is not a real calendar date.`);
  return text;
}

export function assertMonth(text: string, label = 'the month'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) throw new TimeError(`${label} "${text}" is not a month such as 2026-11.`);
  return text;
}

export function toIso(date: Date): string {
  return date.toISOString();
}

// ---- zone offsets -------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/**
 * Offsets change only at whole quarter hours of UTC in every zone in use, so the offset of an
 * instant is cached per 15-minute slot: ingesting a million events computes Intl only a few
 * thousand times.
 */
const SLOT_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

/** Offset of `tz` from UTC at instant `ms`, in milliseconds (Berlin in winter: +3_600_000). */
let lastZone = '';
let lastSlot = Number.NaN;
let lastOffset = 0;

export function offsetMs(ms: number, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  const slot = Math.floor(ms / SLOT_MS);
  // Imports arrive in time order: most calls ask about the same slot as the one before.
  if (slot === lastSlot && tz === lastZone) return lastOffset;
  let cache = offsetCache.get(tz);
  if (!cache) {
    cache = new Map();
    offsetCache.set(tz, cache);
  }
  let offset = cache.get(slot);
  if (offset === undefined) {
    const at = slot * SLOT_MS;
    const parts: Record<string, string> = {};
    for (const p of formatterFor(tz).formatToParts(new Date(at))) parts[p.type] = p.value;
    const asUtc = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    offset = asUtc - at;
    if (cache.size > 100_000) cache.clear();
    cache.set(slot, offset);
  }
  lastZone = tz;
  lastSlot = slot;
  lastOffset = offset;
  return offset;
}

const dayNames = new Map<number, string>();

/** The local calendar day (YYYY-MM-DD) of an instant in `tz`. */
export function localDay(instant: Date | number, tz: string): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const dayNumber = Math.floor((ms + offsetMs(ms, tz)) / 86_400_000);
  let name = dayNames.get(dayNumber);
  if (name === undefined) {
    name = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
    if (dayNames.size > 50_000) dayNames.clear();
    dayNames.set(dayNumber, name);
  }
  return name;
}

/** The local month (YYYY-MM) of an instant in `tz`. */
export function localMonth(instant: Date | number, tz: string): string {
  return localDay(instant, tz).slice(0, 7);
}

/** The UTC instant at which local day `day` starts in `tz` (handles DST days of 23 or 25 hours). */
export function startOfLocalDay(day: string, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Local midnight is at utcMidnight - offset; the offset itself may differ either side, so iterate.
  let guess = utcMidnight - offsetMs(utcMidnight, tz);
  for (let i = 0; i < 3; i++) {
    const next = utcMidnight - offsetMs(guess, tz);
    if (next === guess) break;
    guess = next;
  }
  // If midnight does not exist (a DST jump at 00:00), the day starts at the first instant that is on it.
  if (localDay(guess, tz) !== day) {
    while (localDay(guess, tz) !== day) guess += SLOT_MS;
  }
  return new Date(guess);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  const pa = a.split('-').map(Number) as [number, number, number];
  const pb = b.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(pb[0], pb[1] - 1, pb[2]) - Date.UTC(pa[0], pa[1] - 1, pa[2])) / 86_400_000);
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** Each local day from `from` to `to`, inclusive. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Day of week, 0 = Sunday, of a calendar date. */
export function weekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}
