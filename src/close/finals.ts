import type { Core } from '../model/context';
import { loadDerivation } from '../odometer/derive';
import { listConfigured } from '../odometer/modes';
import { announceReminders, raiseReminders } from '../odometer/reminders';

/**
 * Step 1 of the close: odometer providers (figures typed in from a console) whose month has no
 * final figure yet. The reminders the odometer raises for them (month_final) are the asking; the
 * close waits for the answers until its deadline, then goes on with the estimate and says so.
 */
export function missingFinals(core: Core, month: string): string[] {
  const nowMs = core.clock.now().getTime();
  const missing: string[] = [];
  for (const account of listConfigured(core.db)) {
    if (account.mode !== 'odometer') continue;
    const status = loadDerivation(core.db, account.provider, nowMs).statuses.get(month);
    if (status !== undefined && status !== 'final') missing.push(account.provider);
  }
  return missing;
}

/** Raise (and announce) the reminders that ask for the missing figures. */
export function askForFinals(core: Core): void {
  announceReminders(core, raiseReminders(core));
}
