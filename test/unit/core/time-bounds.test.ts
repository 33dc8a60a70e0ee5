import { describe, expect, it } from 'vitest';
import { amountText, decimalOfNumber } from '../../../src/amount-text';
import { isoDate, isoInstant, isoMonth, usdAmount } from '../../../src/api/schemas';
import { MoneyError } from '../../../src/money';
import {
  addDays,
  addMonths,
  assertDate,
  assertMonth,
  daysBetween,
  eachDay,
  MAX_DAYS_IN_RANGE,
  parseInstant,
  parseInstantInZone,
  resolveTimeZone,
  startOfLocalDay,
  TimeError,
  weekday,
} from '../../../src/time';

describe('one bounded date parser (2000-01-01 to 2199-12-31)', () => {
  it('refuses years 0000–0099 at once instead of looping for ever', () => {
    for (const day of ['0042-01-01', '0050-06-01', '0000-01-01', '0099-12-31']) {
      expect(() => startOfLocalDay(day, 'Europe/Berlin')).toThrow(/out of range; Burnrate accepts dates from 2000-01-01 to 2199-12-31/);
      expect(() => parseInstantInZone(day, 'America/New_York')).toThrow(TimeError);
    }
    expect(() => parseInstantInZone('0050-06-01T00:00:00Z', 'UTC')).toThrow(/out of range/);
    expect(() => parseInstantInZone('0050-06-01T10:00', 'Asia/Kolkata')).toThrow(/out of range/);
    expect(() => assertMonth('0042-01')).toThrow(/out of range/);
  });

  it('refuses the edges just outside and accepts the edges inside', () => {
    expect(() => assertDate('1999-12-31')).toThrow(/out of range/);
    expect(() => assertDate('2200-01-01')).toThrow(/out of range/);
    expect(() => parseInstant('12026-01-01T00:00:00Z')).toThrow(TimeError);
    expect(assertDate('2000-01-01')).toBe('2000-01-01');
    expect(startOfLocalDay('2199-12-31', 'Pacific/Kiritimati').toISOString()).toBe('2199-12-30T10:00:00.000Z');
    expect(assertMonth('2199-12')).toBe('2199-12');
  });

  it('refuses impossible date-times instead of rolling them into the next month', () => {
    expect(() => parseInstant('2026-02-31T00:00:00Z')).toThrow(/not a real calendar date/);
    expect(() => parseInstantInZone('2026-11-31T10:00', 'UTC')).toThrow(/not a real calendar date/);
    expect(() => parseInstant('2026-02-28T24:00:00Z')).toThrow(/not a real time of day/);
    expect(() => parseInstant('2026-02-28T23:60:00Z')).toThrow(/not a real time of day/);
    expect(() => parseInstant('2026-02-28T23:00:61Z')).toThrow(/not a real time of day/);
    expect(() => parseInstant('2026-02-28T23:00:00+25:00')).toThrow(/offset/);
    expect(parseInstant('2024-02-29T23:59:59.999+01:00').toISOString()).toBe('2024-02-29T22:59:59.999Z');
    expect(parseInstant('2026-11-28T18:00:00.123456789Z').toISOString()).toBe('2026-11-28T18:00:00.123Z');
    expect(parseInstant('2026-11-28T18:00-0530').toISOString()).toBe('2026-11-28T23:30:00.000Z');
  });

  it('reads a zone-less time with milliseconds in the zone', () => {
    expect(parseInstantInZone('2026-07-10T09:30:15.250', 'Europe/Berlin').toISOString()).toBe('2026-07-10T07:30:15.250Z');
  });

  it('keeps calendar arithmetic in its own century and every day list finite', () => {
    expect(addDays('2001-03-01', -1)).toBe('2001-02-28');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addMonths('2199-11', 1)).toBe('2199-12');
    expect(daysBetween('2000-01-01', '2199-12-31') + 1).toBe(MAX_DAYS_IN_RANGE);
    expect(weekday('2026-11-28')).toBe(6);
    expect(eachDay('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(eachDay('2026-03-02', '2026-02-27')).toEqual([]);
    expect(() => eachDay('1000-01-01', '9999-12-31')).toThrow(/longer than/);
  });

  it('reads an empty TZ as UTC, as POSIX does', () => {
    expect(resolveTimeZone({ TZ: '' })).toBe('UTC');
    expect(resolveTimeZone({ TZ: ':' })).toBe('UTC');
    expect(resolveTimeZone({ TZ: 'Europe/Berlin' })).toBe('Europe/Berlin');
    expect(() => resolveTimeZone({ TZ: 'Mars/Olympus' })).toThrow(TimeError);
  });

  it('is the parser behind the contract schemas', () => {
    expect(isoDate().safeParse('2026-02-30').success).toBe(false);
    expect(isoDate().safeParse('0042-01-01').success).toBe(false);
    expect(isoDate().safeParse('2026-02-28').success).toBe(true);
    expect(isoInstant().safeParse('2026-02-31T00:00:00Z').success).toBe(false);
    expect(isoInstant().safeParse('0050-06-01T00:00:00Z').success).toBe(false);
    expect(isoInstant().safeParse('2026-02-28T10:00:00.123').success).toBe(true);
    expect(isoMonth().safeParse('0042-01').success).toBe(false);
    const error = isoDate().safeParse('2026-11-31');
    expect(error.error?.issues[0]?.message).toBe('must be a real calendar date from 2000-01-01 to 2199-12-31, such as 2026-11-28');
  });
});

describe('one grammar for amounts', () => {
  it('takes JSON numbers by their shortest decimal form, exactly', () => {
    expect(decimalOfNumber(1e-7)).toBe('0.0000001');
    expect(decimalOfNumber(1e21)).toBe('1000000000000000000000');
    expect(decimalOfNumber(1.5e-10)).toBe('0.00000000015');
    expect(decimalOfNumber(-2.5e-8)).toBe('-0.000000025');
    expect(decimalOfNumber(123.456)).toBe('123.456');
    expect(amountText(1e-7)).toBe('0.0000001');
    expect(amountText(1e2)).toBe('100');
  });

  it('refuses an exponent in text, more than 9 decimals and non-numbers with one sentence', () => {
    expect(() => amountText('1e2', 'The cost')).toThrow(/The cost "1e2" is not a number; write it like 1.06/);
    expect(() => amountText('0.0000000001')).toThrow(/more decimal places than Burnrate keeps \(9\)/);
    expect(() => amountText(1e-10)).toThrow(MoneyError);
    expect(() => amountText(Number.NaN)).toThrow(MoneyError);
    expect(amountText(' $1.06 ')).toBe('$1.06');
  });

  it('is the grammar of the contract amount schema', () => {
    expect(usdAmount().safeParse(1e-7).data).toBe('0.0000001');
    expect(usdAmount().safeParse('1e2').success).toBe(false);
    expect(usdAmount().safeParse(-1).success).toBe(false);
    expect(usdAmount().safeParse('2.25').data).toBe('2.25');
  });
});
