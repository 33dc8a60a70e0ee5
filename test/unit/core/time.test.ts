import { describe, expect, it } from 'vitest';
import { addDays, daysInMonth, localDay, parseInstant, parseInstantInZone, startOfLocalDay, TimeError } from '../../../src/time';

describe('local days', () => {
  it('puts an instant on the local calendar day of the zone', () => {
    expect(localDay(new Date('2026-11-28T23:30:00Z'), 'UTC')).toBe('2026-11-28');
    expect(localDay(new Date('2026-11-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-29');
    expect(localDay(new Date('2026-11-28T03:30:00Z'), 'America/New_York')).toBe('2026-11-27');
    expect(localDay(new Date('2026-11-28T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-11-28');
    expect(localDay(new Date('2026-11-28T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-11-29');
  });

  it('knows the 23- and 25-hour days of DST changes', () => {
    // Europe/Berlin: 2026-03-29 spring forward, 2026-10-25 fall back
    const spring = startOfLocalDay('2026-03-29', 'Europe/Berlin').getTime();
    const after = startOfLocalDay('2026-03-30', 'Europe/Berlin').getTime();
    expect((after - spring) / 3_600_000).toBe(23);
    const fall = startOfLocalDay('2026-10-25', 'Europe/Berlin').getTime();
    expect((startOfLocalDay('2026-10-26', 'Europe/Berlin').getTime() - fall) / 3_600_000).toBe(25);
    // America/New_York: 2026-03-08 and 2026-11-01
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-28', 'Asia/Kolkata').toISOString()).toBe('2026-11-27T18:30:00.000Z');
  });

  it('reads a bare date or zone-less time in the zone', () => {
    expect(parseInstantInZone('2026-03-10', 'Europe/Berlin').toISOString()).toBe('2026-03-09T23:00:00.000Z');
    expect(parseInstantInZone('2026-07-10T09:30', 'Europe/Berlin').toISOString()).toBe('2026-07-10T07:30:00.000Z');
    expect(parseInstantInZone('2026-07-10T09:30:00Z', 'Europe/Berlin').toISOString()).toBe('2026-07-10T09:30:00.000Z');
  });

  it('refuses dates that do not parse', () => {
    expect(() => parseInstant('yesterday')).toThrow(TimeError);
    expect(() => parseInstantInZone('2026-02-30', 'UTC')).toThrow(/not a real calendar date/);
  });

  it('does calendar arithmetic', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysInMonth('2028-02')).toBe(29);
  });
});
