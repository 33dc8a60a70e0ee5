import { describe, expect, it } from 'vitest';
import { axisDay, dayRangeProblem, daysOfMonth, localDateTime, monthName, relativeTime, whenText } from '../../../renderer/src/format/time';

describe('dates for display', () => {
  it('names months and days', () => {
    expect(monthName('2026-11')).toBe('November');
    expect(monthName('2026-02', true)).toBe('February 2026');
    expect(axisDay('2026-11-03')).toBe('Nov 3');
    expect(daysOfMonth('2026-02')).toHaveLength(28);
    expect(daysOfMonth('2028-02').at(-1)).toBe('2028-02-29');
  });

  it('says how old a figure is, seen from the server clock', () => {
    const now = '2026-11-28T18:00:00Z';
    expect(relativeTime('2026-11-28T17:59:30Z', now)).toBe('just now');
    expect(relativeTime('2026-11-28T17:55:00Z', now)).toBe('5 min ago');
    expect(relativeTime('2026-11-28T15:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2026-11-27T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-11-20T18:00:00Z', now)).toBe('8 days ago');
    expect(relativeTime(null, now)).toBe('never');
  });

  it('says an age past 60 days as the day, in the zone the instant is read in', () => {
    const now = '2026-11-28T18:00:00Z';
    const old = '2026-08-31T23:30:00Z';
    expect(relativeTime(old, now)).toBe(localDateTime(old).slice(0, 10));
    expect(relativeTime(old, now)).toMatch(/^2026-(08-31|09-01)$/);
  });
});

describe('a stored date of any kind, in its one display style', () => {
  it('names a month, keeps a day as it is stored, and shows an instant to the minute in the zone asked for', () => {
    expect(whenText('2026-10')).toBe('October 2026');
    expect(whenText('2026-11-28')).toBe('2026-11-28');
    expect(whenText('2026-11-28T18:05:41Z', 'Europe/Berlin')).toBe('2026-11-28 19:05');
    expect(whenText('2026-11-28T23:30:00Z', 'Asia/Tokyo')).toBe('2026-11-29 08:30');
    expect(whenText('2026-11-28T18:05:00Z', 'America/New_York')).toBe('2026-11-28 13:05');
  });

  it('shows what it cannot read as it came, rather than a wrong date', () => {
    expect(whenText('2026-13')).toBe('2026-13');
    expect(whenText('soon')).toBe('soon');
  });
});

describe('a range of days picked in a form', () => {
  it('is refused only when its first day comes after its last', () => {
    expect(dayRangeProblem('2026-11-10', '2026-11-01')).toBe('The first day comes after the last one: swap them.');
    expect(dayRangeProblem('2026-11-01', '2026-11-10')).toBeUndefined();
    expect(dayRangeProblem('2026-11-01', '2026-11-01')).toBeUndefined();
    expect(dayRangeProblem('', '2026-11-01')).toBeUndefined();
    expect(dayRangeProblem('2026-11-10', '')).toBeUndefined();
  });
});
