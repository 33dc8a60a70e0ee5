import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRun } from '../../../src/jobs/decide';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('decideRun', () => {
  it('runs at once when it never ran', () => {
    expect(decideRun(null, HOUR, at('2026-03-10T12:00:00Z'))).toEqual({ due: true, nextAt: at('2026-03-10T12:00:00Z') });
  });

  it('waits for the interval after the last run', () => {
    expect(decideRun(at('2026-03-10T12:00:00Z'), HOUR, at('2026-03-10T12:59:59Z'))).toEqual({ due: false, nextAt: at('2026-03-10T13:00:00Z') });
    expect(decideRun(at('2026-03-10T12:00:00Z'), HOUR, at('2026-03-10T13:00:00Z')).due).toBe(true);
  });

  it('after a long sleep the missed runs collapse into one', () => {
    // Asleep from 12:00 to 17:30: five hourly runs were missed.
    const now = at('2026-03-10T17:30:00Z');
    expect(decideRun(at('2026-03-10T12:00:00Z'), HOUR, now).due).toBe(true);
    // The one catch-up run becomes the last run: nothing more is due now.
    expect(decideRun(now, HOUR, now)).toEqual({ due: false, nextAt: at('2026-03-10T18:30:00Z') });
  });

  it('a clock set back a little waits for the interval after the recorded run', () => {
    expect(decideRun(at('2026-03-10T12:30:00Z'), HOUR, at('2026-03-10T12:00:00Z'))).toEqual({ due: false, nextAt: at('2026-03-10T13:30:00Z') });
  });

  it('a clock set back by more than an interval runs now instead of stalling', () => {
    expect(decideRun(at('2026-03-12T12:00:00Z'), HOUR, at('2026-03-10T12:00:00Z')).due).toBe(true);
  });

  it('an interval of zero switches the job off', () => {
    expect(decideRun(null, 0, at('2026-03-10T12:00:00Z'))).toEqual({ due: false, nextAt: null });
  });

  it('property: simulated over ticks, a job runs at most once per interval and at the first tick after each interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 180 }), // interval in minutes
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 200 }), // gaps between ticks in minutes (sleeps)
        (intervalMin, gaps) => {
          const interval = intervalMin * 60_000;
          let now = Date.parse('2026-03-10T00:00:00Z');
          let last: number | null = null;
          const runs: number[] = [];
          for (const gap of gaps) {
            const d = decideRun(last === null ? null : new Date(last), interval, new Date(now));
            // Never skipped: a tick an interval or more after the last run always runs.
            if (last !== null && now - last >= interval) expect(d.due).toBe(true);
            if (d.due) {
              runs.push(now);
              last = now;
            }
            now += gap * 60_000;
          }
          // Never two runs closer than the interval, however long the sleeps were.
          for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(interval);
          expect(runs[0]).toBe(Date.parse('2026-03-10T00:00:00Z'));
        },
      ),
    );
  });
});
