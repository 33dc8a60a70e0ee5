import { addNano, allocate, type Nano } from '../money';
import { addDays, localDay, startOfLocalDay } from '../time';

/** An amount spent somewhere in [startMs, endMs). */
export interface Segment {
  startMs: number;
  endMs: number;
  amount: Nano;
}

/** What a segment (or several) leaves on one local day. */
export interface DayShare {
  day: string;
  amount: Nano;
  /** The first instant of the day covered: the derived row's occurred_at, so its local day is `day`. */
  firstAtMs: number;
}

/**
 * Spread each segment over the local days of `tz` it overlaps, in proportion to the time it spends
 * in each day (DST days of 23 or 25 hours weigh what they last). The split is exact: money.allocate
 * gives integer parts that add up to the segment's amount, so the days of a month always sum to the
 * month's figure. A segment of no duration (two figures at one instant, a reading at the very start
 * of a month) lands whole on its day. Days covered with a zero share are kept: "no spend" measured by
 * a reading is a figure, and it outranks estimates for that day.
 */
export function spreadOverDays(segments: readonly Segment[], tz: string): DayShare[] {
  const byDay = new Map<string, DayShare>();
  const put = (day: string, amount: Nano, atMs: number) => {
    const share = byDay.get(day);
    if (!share) byDay.set(day, { day, amount, firstAtMs: atMs });
    else {
      share.amount = addNano(share.amount, amount);
      share.firstAtMs = Math.min(share.firstAtMs, atMs);
    }
  };
  for (const s of segments) {
    if (s.endMs <= s.startMs) {
      put(localDay(s.startMs, tz), s.amount, s.startMs);
      continue;
    }
    const days: { day: string; fromMs: number; weight: number }[] = [];
    const lastDay = localDay(s.endMs - 1, tz);
    for (let day = localDay(s.startMs, tz); day <= lastDay; day = addDays(day, 1)) {
      const dayStart = startOfLocalDay(day, tz).getTime();
      const nextStart = startOfLocalDay(addDays(day, 1), tz).getTime();
      const fromMs = Math.max(s.startMs, dayStart);
      const toMs = Math.min(s.endMs, nextStart);
      if (toMs > fromMs) days.push({ day, fromMs, weight: toMs - fromMs });
    }
    const parts = allocate(s.amount, days.map((d) => d.weight));
    days.forEach((d, i) => put(d.day, parts[i]!, d.fromMs));
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}
