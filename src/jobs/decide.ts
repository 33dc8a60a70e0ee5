/**
 * When a periodic job should run: a pure function of (last run, interval, now), so the rules are
 * unit-tested without timers.
 *
 * - Never ran: due now (start-up catch-up).
 * - Due once the interval has passed since the last run. However many intervals were missed
 *   (the machine slept through five hourly syncs), the answer is just "due": it runs ONCE, and
 *   the next run is measured from that one.
 * - A last run in the future means the clock was set back. Within one interval we simply wait
 *   for the interval after it; further back than that we run now rather than stall for days
 *   (the run then becomes the new last run).
 * - An interval of zero or less means the job is switched off.
 */
export interface Decision {
  due: boolean;
  /** When it will next be due (now when due); null when switched off. */
  nextAt: Date | null;
}

export function decideRun(lastRun: Date | null, intervalMs: number, now: Date): Decision {
  if (!(intervalMs > 0)) return { due: false, nextAt: null };
  if (lastRun === null || Number.isNaN(lastRun.getTime())) return { due: true, nextAt: now };
  const last = lastRun.getTime();
  const t = now.getTime();
  if (last - t > intervalMs) return { due: true, nextAt: now };
  const next = last + intervalMs;
  if (t >= next) return { due: true, nextAt: now };
  return { due: false, nextAt: new Date(next) };
}
