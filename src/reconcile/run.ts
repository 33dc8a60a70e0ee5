import type { Core } from '../model/context';
import { addDays, localDay } from '../time';
import { reconcileDays, type ReconciledDay } from './compute';
import { fingerprintOf, insertRun, lastCheckedCovering, latestRun, markChecked, runById, type StoredRun } from './store';

/** The window the daily job reconciles and the accuracy summary reads: the last 30 complete local days. */
export const DEFAULT_WINDOW_DAYS = 30;
const DUE_AFTER_MS = 24 * 3600_000;

export interface RunOutcome {
  run: StoredRun;
  /** False when the figures were identical to the latest run's: nothing new was stored. */
  changed: boolean;
  days: ReconciledDay[];
}

/**
 * Today's billed buckets are still open (providers report them hours late), so the default window
 * ends yesterday: complete days only.
 */
export function defaultWindow(core: Core, days = DEFAULT_WINDOW_DAYS): { from: string; to: string } {
  const yesterday = addDays(localDay(core.clock.now(), core.timeZone), -1);
  return { from: addDays(yesterday, -(days - 1)), to: yesterday };
}

/**
 * Reconcile every provider's billed days in [from, to]. Idempotent: when the figures equal those of
 * the latest run (same range, zone and numbers), no run or day row is added; only that run's
 * `checked_at` moves, so "when were these figures last confirmed" stays answerable.
 */
export function reconcile(core: Core, range: { from: string; to: string }): RunOutcome {
  const at = core.clock.now().toISOString();
  const outcome = core.db.transaction((): RunOutcome => {
    const days = reconcileDays(core.db, range.from, range.to);
    const fingerprint = fingerprintOf(range.from, range.to, core.timeZone, days);
    const latest = latestRun(core.db);
    if (latest && latest.fingerprint === fingerprint) {
      markChecked(core.db, latest.id, at);
      return { run: { ...latest, checkedAt: at }, changed: false, days };
    }
    const id = insertRun(core.db, { at, from: range.from, to: range.to, timezone: core.timeZone, fingerprint }, days);
    return { run: runById(core.db, id)!, changed: true, days };
  })();
  // New drift figures can change the "what needs attention" list that status shows.
  if (outcome.changed) core.events.emit('statusChanged', { reason: 'reconcile' });
  return outcome;
}

/**
 * Start-up catch-up and the daily job: reconcile the default window unless a run covering it
 * confirmed its figures less than 24 hours ago. The window moves at local midnight, so in practice
 * this runs once per local day (and again if the app was asleep over a day). Returns null when not due.
 */
export function reconcileIfDue(core: Core): RunOutcome | null {
  const window = defaultWindow(core);
  const last = lastCheckedCovering(core.db, core.timeZone, window.from, window.to);
  if (last !== null && core.clock.now().getTime() - Date.parse(last) < DUE_AFTER_MS) return null;
  return reconcile(core, window);
}
