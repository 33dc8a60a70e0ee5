import { describe, expect, it } from 'vitest';
import { dayRangeProblem, daysOfMonth, monthName, relativeTime, shortDay } from '../../../renderer/src/format/time';

describe('dates for display', () => {
  it('names months and days', () => {
    expect(monthName('2026-11')).toBe('November');
    expect(monthName('2026-02', true)).toBe('February 2026');
    expect(shortDay('2026-11-03')).toBe('Nov 3');
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
