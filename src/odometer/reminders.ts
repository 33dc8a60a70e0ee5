import type { Reminder } from '../api/contract/core';
import type { Core } from '../core';

/** Reminders that are due now: not answered, not dismissed, not snoozed past now. */
export function activeReminders(core: Core): Reminder[] {
  const now = core.clock.now().toISOString();
  return core.db
    .prepare(
      `SELECT id, kind, provider, message, period FROM reminders
       WHERE answered_at IS NULL AND dismissed_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= ?)
       ORDER BY created_at, id`,
    )
    .all(now) as Reminder[];
}

/** Create reminders that have become due (month-end, stale readings, unfinalised months). */
export function refreshReminders(_core: Core): void {
  // Filled by the odometer work.
}
