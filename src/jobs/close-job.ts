import type { Core } from '../app/open';
import { pruneRawEvents } from '../close/retention';
import { closesToResume, monthDueForClose, runClose } from '../close/workflow';
import type { ClientDirectory } from '../sync/clients';
import type { SyncOptions } from '../sync/runner';

/**
 * The scheduler's month-close job: resume every close whose next try is due (a crash, a failed
 * step, a wait for final figures), start the previous month's close once `close.after_days` have
 * passed, and prune raw events after a close completes (retention needs the month closed).
 */
export async function closeJob(core: Core, options: { directory?: ClientDirectory; sync?: Omit<SyncOptions, 'directory' | 'trigger' | 'window'> } = {}): Promise<void> {
  const months = new Set(closesToResume(core));
  const due = monthDueForClose(core);
  if (due) months.add(due);
  let closedAny = false;
  for (const month of [...months].sort()) {
    const row = await runClose(core, month, options);
    if (row.state === 'closed') closedAny = true;
  }
  if (closedAny) pruneRawEvents(core);
}
