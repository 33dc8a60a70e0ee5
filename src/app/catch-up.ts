import type { Core } from '../model/context';
import { importApiBalances } from '../odometer/apiBalances';
import { writeAllSummaries } from '../odometer/derive';
import { announceReminders, raiseReminders } from '../odometer/reminders';
import { catchUpSubscriptions } from '../odometer/subscriptions';
import { enqueueReminders } from '../notify/messages';

/**
 * The one catch-up step: store what the passing of time (or a write) made due. Balances the sync
 * reported become readings, subscription days are written through today, month summaries follow
 * the calendar (a month closes when it ends), and reminders now due are raised, those a reading
 * answered closed. Then it tells: spendChanged (budget checks and alerts), reminderDue and the
 * reminders' notifications.
 *
 * Called at start-up and on the schedule (jobs), on wake from sleep (jobs.catchUp), and after every
 * write through the contract (dispatch). Never from a read: reads derive the same figures on the
 * fly (ledger/view.ts, reminders.ts), so they agree with a caught-up ledger without writing.
 * Idempotent, and writes nothing when nothing is due.
 */
export function catchUp(core: Core): void {
  importApiBalances(core);
  const touched = catchUpSubscriptions(core);
  if (touched.length > 0) core.spendChanged('subscription', touched);
  writeAllSummaries(core);
  const raised = raiseReminders(core);
  announceReminders(core, raised);
  enqueueReminders(core, raised); // for channels that take reminders (email, chat); the outbox job sends them
}
