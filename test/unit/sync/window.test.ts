import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, syncWindow, type WindowRule } from '../../../src/sync/window';

const base: WindowRule = {
  now: new Date('2026-03-10T12:34:56Z'),
  lastOkEnd: null,
  timeZone: 'UTC',
  revisitDays: 3,
  firstLookbackDays: null,
  maxDays: 180,
};

const iso = (d: Date) => d.toISOString();

describe('syncWindow', () => {
  it('first sync: the current month to date', () => {
    const w = syncWindow(base);
    expect(iso(w.start)).toBe('2026-03-01T00:00:00.000Z');
    expect(iso(w.end)).toBe('2026-03-10T12:34:56.000Z');
  });

  it('first sync in a zone east of UTC starts at the UTC day holding local midnight of the 1st', () => {
    // Tokyo's 1 March starts at 28 Feb 15:00 UTC: the 28 Feb UTC bucket holds part of it.
    const w = syncWindow({ ...base, timeZone: 'Asia/Tokyo' });
    expect(iso(w.start)).toBe('2026-02-28T00:00:00.000Z');
  });

  it('first sync on the local 1st west of UTC still covers the local month', () => {
    // 1 March 02:00 UTC is still 28 Feb in Los Angeles: the local month is February.
    const w = syncWindow({ ...base, now: new Date('2026-03-01T02:00:00Z'), timeZone: 'America/Los_Angeles' });
    expect(iso(w.start)).toBe('2026-02-01T00:00:00.000Z');
  });

  it('first sync with a configured lookback', () => {
    expect(iso(syncWindow({ ...base, firstLookbackDays: 30 }).start)).toBe('2026-02-08T00:00:00.000Z');
  });

  it('later syncs re-fetch the last days before the previous end', () => {
    const w = syncWindow({ ...base, lastOkEnd: new Date('2026-03-10T11:00:00Z') });
    expect(iso(w.start)).toBe('2026-03-07T00:00:00.000Z');
  });

  it('never reaches back more than maxDays', () => {
    const w = syncWindow({ ...base, lastOkEnd: new Date('2025-01-01T00:00:00Z') });
    expect(iso(w.start)).toBe('2025-09-11T00:00:00.000Z');
  });

  it('a last end in the future (clock set back) resumes from now', () => {
    const w = syncWindow({ ...base, lastOkEnd: new Date('2027-01-01T00:00:00Z') });
    expect(iso(w.start)).toBe('2026-03-07T00:00:00.000Z');
  });

  it('is never empty at an exact UTC midnight', () => {
    const w = syncWindow({ ...base, now: new Date('2026-03-01T00:00:00Z'), revisitDays: 0, lastOkEnd: new Date('2026-03-01T00:00:00Z') });
    expect(iso(w.start)).toBe('2026-02-28T00:00:00.000Z');
  });

  it('properties: starts at a UTC midnight, before now, covers the revisit days, within maxDays', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.option(fc.integer({ min: -400 * DAY_MS, max: 10 * DAY_MS })),
        fc.integer({ min: 0, max: 10 }),
        fc.constantFrom('UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin', 'Pacific/Kiritimati'),
        (now, lastOffset, revisit, tz) => {
          const lastOkEnd = lastOffset === null ? null : new Date(now.getTime() + lastOffset);
          const w = syncWindow({ ...base, now, lastOkEnd, revisitDays: revisit, timeZone: tz });
          expect(w.start.getTime() % DAY_MS).toBe(0);
          expect(w.start.getTime()).toBeLessThan(w.end.getTime());
          expect(w.end.getTime()).toBe(now.getTime());
          expect(now.getTime() - w.start.getTime()).toBeLessThanOrEqual(181 * DAY_MS);
          if (lastOkEnd && now.getTime() - lastOkEnd.getTime() < 170 * DAY_MS) {
            expect(w.start.getTime()).toBeLessThanOrEqual(Math.min(lastOkEnd.getTime(), now.getTime()) - revisit * DAY_MS);
          }
        },
      ),
    );
  });
});
