import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { localDay, offsetMs, resolveTimeZone, startOfLocalDay, TimeError } from '../../../src/time';

/**
 * When TZ names the zone asked about, src/time.ts reads offsets from Date (the process's own zone)
 * instead of Intl. Both must agree everywhere: checked here against Intl's own statement of the
 * offset ("GMT+05:45"), in zones with half- and quarter-hour offsets, 30-minute DST and negative DST.
 */
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'Europe/Dublin', 'America/Sao_Paulo', 'UTC'];

const offsetNames = new Map<string, Intl.DateTimeFormat>();
function intlOffsetMs(ms: number, tz: string): number {
  let format = offsetNames.get(tz);
  if (!format) offsetNames.set(tz, (format = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m) throw new Error(`unexpected offset name ${name}`);
  return m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('offsets of the zone TZ names', () => {
  for (const zone of ZONES) {
    it(`${zone}: every quarter hour around its changes, and at random instants, as Intl says`, () => {
      process.env.TZ = zone;
      // Every 15 minutes near a change of 2018 or 2026 (Brazil still had DST in 2018): the changes
      // are found on a 6-hour grid, then looked at closely.
      let checked = 0;
      const grid = [Date.UTC(2018, 0, 1), Date.UTC(2026, 0, 1)].flatMap((from) => Array.from({ length: 4 * 365 }, (_, i) => from + i * 6 * 3_600_000));
      for (const ms of grid) {
        if (intlOffsetMs(ms, zone) === intlOffsetMs(ms + 6 * 3_600_000, zone)) continue;
        for (let q = ms - 3_600_000; q <= ms + 7 * 3_600_000; q += 15 * 60_000) {
          expect(offsetMs(q, zone), new Date(q).toISOString()).toBe(intlOffsetMs(q, zone));
          checked++;
        }
      }
      if (zone !== 'UTC' && zone !== 'Asia/Kathmandu') expect(checked).toBeGreaterThan(0); // the zone really changed
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2199, 11, 31) }), (ms) => {
          expect(offsetMs(ms, zone)).toBe(intlOffsetMs(ms, zone));
        }),
        { numRuns: 300, seed: 12 },
      );
    });
  }

  it('gives the same local days and day starts as for a zone read through Intl', () => {
    process.env.TZ = 'Europe/Berlin';
    expect(localDay(Date.UTC(2026, 2, 28, 23, 0), 'Europe/Berlin')).toBe('2026-03-29');
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-10-26', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});

describe('the zone named by TZ', () => {
  it('accepts canonical names and aliases, and refuses a name no zone has', () => {
    expect(resolveTimeZone({ TZ: 'Europe/Berlin' })).toBe('Europe/Berlin');
    expect(resolveTimeZone({ TZ: ':Asia/Kolkata' })).toBe('Asia/Kolkata');
    expect(resolveTimeZone({ TZ: 'Asia/Calcutta' })).toBe('Asia/Calcutta');
    expect(() => resolveTimeZone({ TZ: 'Europe/Berln' })).toThrow(TimeError);
    expect(() => resolveTimeZone({ TZ: 'Europe/Berln' })).toThrow(/not known/);
  });
});
