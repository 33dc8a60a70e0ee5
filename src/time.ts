import { realpathSync } from 'node:fs';

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
  const raw = env.TZ;
  // POSIX reads a TZ that is set but empty (TZ= or TZ=:) as UTC; only an unset TZ means "the system's".
  if (raw !== undefined && raw.replace(/^:/, '').trim() === '') return 'UTC';
  const tz = raw?.replace(/^:/, '');
  if (tz) {
    assertTimeZone(tz);
    return tz;
  }
  return systemZoneByLink() ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

/**
 * The system's zone as ICU finds it first on Linux and macOS, from the /etc/localtime link, without
 * the first Intl.DateTimeFormat (tens of milliseconds at every open). Only a link to a canonical
 * zone (the name Intl would report as it is) or to UTC is taken; anything else asks Intl.
 */
export function systemZoneByLink(link = '/etc/localtime'): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    // Resolved to the end as ICU resolves it: /etc/localtime → Europe/Bratislava → Prague is
    // Europe/Prague to Intl, and the ledger's days were filed under the name Intl gave.
    return zoneOfLink(realpathSync(link));
  } catch {
    return undefined;
  }
}

/** The zone a /etc/localtime link names, as Intl reports it, if that is certain. */
export function zoneOfLink(target: string): string | undefined {
  const at = target.lastIndexOf('/zoneinfo/');
  if (at < 0) return undefined;
  const name = target.slice(at + '/zoneinfo/'.length);
  if (UTC_NAMES.has(name)) return 'UTC'; // Intl reports every name of UTC as UTC
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  return canonicalZones.has(name) ? name : undefined;
}

let canonicalZones: Set<string> | undefined;

/**
 * UTC under the names systems give it. ECMA-402 requires every implementation to know UTC, and
 * these are its IANA links, yet Intl's list of canonical zones leaves all of them out: without
 * this, TZ=UTC (servers, CI, containers) paid for the first Intl.DateTimeFormat at every open.
 */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

export function assertTimeZone(tz: string): void {
  if (UTC_NAMES.has(tz)) return;
  // The list of canonical zone names costs a few milliseconds; the first Intl.DateTimeFormat loads
  // ICU's calendar and pattern data and costs tens (a quarter of `burnrate status`'s own work), so
  // it runs only for the names not on the list (aliases such as Asia/Kolkata, and typos).
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(tz)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new TimeError(`The time zone "${tz}" is not known; use an IANA name such as Europe/Berlin.`);
  }
}

/**
 * The one range of calendar dates Burnrate accepts, everywhere (CLI, HTTP, MCP, the contract's
 * schemas): no AI provider billed before 2000, and a bounded range keeps every loop over days or
 * months finite and small. docs/ledger.md repeats it.
 */
export const FIRST_DATE = '2000-01-01';
export const LAST_DATE = '2199-12-31';
const RANGE_HINT = `Burnrate accepts dates from ${FIRST_DATE} to ${LAST_DATE}`;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Date, then optional time (seconds and up to 9 decimals optional), then an optional zone. */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A YYYY-MM-DD that exists on the calendar and lies in the accepted range, or a TimeError. */
export function assertDate(text: string, label = 'the date'): string {
  const m = ISO_DATE.exec(text);
  if (!m) throw new TimeError(`${label} "${text}" is not a date such as 2026-11-28.`);
  if (text < FIRST_DATE || text > LAST_DATE) throw new TimeError(`${label} "${text}" is out of range; ${RANGE_HINT}.`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== text) throw new TimeError(`${label} "${text}" is not a real calendar date.`);
  return text;
}

export function assertMonth(text: string, label = 'the month'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) throw new TimeError(`${label} "${text}" is not a month such as 2026-11.`);
  if (text < FIRST_DATE.slice(0, 7) || text > LAST_DATE.slice(0, 7)) throw new TimeError(`${label} "${text}" is out of range; ${RANGE_HINT}.`);
  return text;
}

interface DateTimeParts {
  date: string;
  /** Wall-clock milliseconds since the start of the day. */
  wallMs: number;
  /** The zone as written (Z, +02:00, -0500), or undefined for a zone-less time. */
  zone: string | undefined;
}

/**
 * Split an ISO date-time into checked parts: a real date in range, an hour 00–23, minutes and
 * seconds 00–59. Refusing here is what keeps 2026-02-31T00:00:00Z from becoming March 3.
 */
function dateTimeParts(text: string, label: string): DateTimeParts {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) throw new TimeError(`${label} "${text}" is not an ISO date-time such as 2026-11-28T18:00:00Z.`);
  const date = assertDate(m[1]!, label);
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) throw new TimeError(`${label} "${text}" is not a real time of day.`);
  const zone = m[6]?.toUpperCase();
  if (zone && zone !== 'Z') {
    const z = /^[+-](\d{2}):?(\d{2})$/.exec(zone)!;
    if (Number(z[1]) > 23 || Number(z[2]) > 59) throw new TimeError(`${label} "${text}" has an offset that is not a real one.`);
  }
  const millis = Number((m[5] ?? '').padEnd(3, '0').slice(0, 3));
  return { date, wallMs: ((hour * 60 + minute) * 60 + second) * 1000 + millis, zone };
}

function offsetOfZone(zone: string): number {
  if (zone === 'Z') return 0;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
}

/** Check the text of a date or date-time (zone optional) without reading it in a zone: syntax, calendar, range. */
export function assertInstantText(text: string, label = 'the date'): string {
  if (ISO_DATE.test(text)) assertDate(text, label);
  else dateTimeParts(text, label);
  return text;
}

/** Parse an ISO instant with an explicit zone or Z (a bare date means local midnight: see parseInstantInZone). */
export function parseInstant(text: string, label = 'the date'): Date {
  const parts = dateTimeParts(text, label);
  if (parts.zone === undefined) {
    throw new TimeError(`${label} "${text}" has no time zone; end it with Z or an offset such as +02:00.`);
  }
  return new Date(dayStartUtcMs(parts.date) + parts.wallMs - offsetOfZone(parts.zone));
}

/** Like parseInstant, but a bare YYYY-MM-DD or a zone-less date-time is read in `tz`. */
export function parseInstantInZone(text: string, tz: string, label = 'the date'): Date {
  if (ISO_DATE.test(text)) return startOfLocalDay(assertDate(text, label), tz);
  const parts = dateTimeParts(text, label);
  if (parts.zone !== undefined) return parseInstant(text, label);
  const start = startOfLocalDay(parts.date, tz).getTime();
  // Walk from local midnight by wall-clock time, correcting for any offset change during the day.
  const guess = new Date(start + parts.wallMs);
  const correction = offsetMs(start, tz) - offsetMs(guess.getTime(), tz);
  return new Date(guess.getTime() + correction);
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
 * The zone this process's Date reads local time in, when TZ names one (Node re-reads TZ when it
 * changes). Its offsets come from Date, from the same ICU zone data as Intl's, without the cost of
 * the first Intl.DateTimeFormat (tens of milliseconds of every CLI start that needs a local day).
 */
function processZone(): string | undefined {
  return process.env.TZ?.replace(/^:/, '');
}

/** Offset of the process's zone at instant `at` (+0, never -0, for UTC). */
function dateOffsetMs(at: number): number {
  const minutesBehind = new Date(at).getTimezoneOffset();
  return minutesBehind === 0 ? 0 : -minutesBehind * 60_000;
}

/** Offset of `tz` at instant `at`, read from Intl's wall-clock parts. */
function intlOffsetMs(at: number, tz: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(at))) parts[p.type] = p.value;
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - at;
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
    offset = tz === processZone() ? dateOffsetMs(at) : intlOffsetMs(at, tz);
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

/** 400 Gregorian years are exactly 146,097 days: the calendar repeats. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/**
 * Milliseconds of a UTC calendar date (month and day may overflow, as with Date.UTC). Date.UTC maps
 * years 0–99 to 1900–1999; those are computed 400 years later and moved back, so every year means
 * itself and no caller can be sent to another century.
 */
function utcMs(year: number, monthIndex: number, day: number): number {
  return year >= 0 && year < 100 ? Date.UTC(year + 400, monthIndex, day) - FOUR_CENTURIES_MS : Date.UTC(year, monthIndex, day);
}

function dayStartUtcMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return utcMs(y, m - 1, d);
}

/** The UTC instant at which local day `day` starts in `tz` (handles DST days of 23 or 25 hours). */
export function startOfLocalDay(day: string, tz: string): Date {
  assertDate(day, 'The day');
  const utcMidnight = dayStartUtcMs(day);
  // Local midnight is at utcMidnight - offset; the offset itself may differ either side, so iterate.
  let guess = utcMidnight - offsetMs(utcMidnight, tz);
  for (let i = 0; i < 3; i++) {
    const next = utcMidnight - offsetMs(guess, tz);
    if (next === guess) break;
    guess = next;
  }
  // If midnight does not exist (a DST jump at 00:00), the day starts at the first instant that is on
  // it: at most a day of 15-minute steps, so the walk is bounded whatever the zone data says.
  for (let step = 0; localDay(guess, tz) < day; step++) {
    if (step >= 2 * 96) throw new TimeError(`The start of ${day} in ${tz} could not be found.`);
    guess += SLOT_MS;
  }
  return new Date(guess);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(utcMs(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayStartUtcMs(b) - dayStartUtcMs(a)) / 86_400_000);
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(utcMs(y, m, 0)).getUTCDate();
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(utcMs(y, m - 1 + n, 1)).toISOString().slice(0, 7);
}

/** The whole accepted range is 73,049 days: no list of days can be longer. */
export const MAX_DAYS_IN_RANGE = 73_049;

/** Each local day from `from` to `to`, inclusive. */
export function eachDay(from: string, to: string): string[] {
  const count = daysBetween(from, to) + 1;
  // Counted, not compared: the loop ends after `count` steps whatever the strings look like.
  if (count > MAX_DAYS_IN_RANGE) throw new TimeError(`The range ${from} to ${to} is longer than ${MAX_DAYS_IN_RANGE} days.`);
  const out: string[] = [];
  for (let i = 0, d = from; i < count; i++, d = addDays(d, 1)) out.push(d);
  return out;
}

/** Day of week, 0 = Sunday, of a calendar date. */
export function weekday(day: string): number {
  return new Date(dayStartUtcMs(day)).getUTCDay();
}
