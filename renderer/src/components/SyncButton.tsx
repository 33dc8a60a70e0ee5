import { useEffect } from 'react';
import { useAction } from '../hooks/useCall';
import { useToast, type Toast } from '../hooks/toasts';
import type { SyncResult } from '../../../src/api/contract/keys';
import { Icon } from './Icons';

/**
 * The toast's style for a sync's outcome: every provider failing is a failure, some failing a
 * warning; nothing synced (no key yet, or every provider skipped) is a notice, not a success.
 */
export function syncToastKind(result: SyncResult): Toast['kind'] {
  const failed = result.runs.some((r) => r.outcome === 'error');
  const synced = result.runs.some((r) => r.outcome === 'ok');
  // Failures with nothing synced (the rest skipped) are an error; failures beside a sync, a warning.
  if (failed) return synced ? 'warning' : 'error';
  return synced ? 'ok' : 'info';
}

/** "Sync now": fetch billed figures from every provider that has a key; the outcome as a toast. */
export function SyncButton({ compact, provider }: { compact?: boolean; provider?: string }) {
  const sync = useAction('sync');
  const toast = useToast();
  const run = async () => {
    const result = await sync.run(provider ? { provider } : {});
    if (result) toast(result.message || (result.runs.length === 0 ? 'Nothing to sync: add a provider key first.' : 'Sync finished.'), syncToastKind(result));
  };
  const { error, clear } = sync;
  useEffect(() => {
    if (!error) return;
    // Shown once as a toast; the button stays usable for another try.
    toast(error.message, 'error');
    clear();
  }, [error, clear, toast]);
  return (
    <button type="button" className={`btn ${compact ? 'btn-small btn-ghost' : 'btn-secondary'}`} onClick={run} disabled={sync.busy} aria-busy={sync.busy} title="Fetch billed spend from providers now">
      <Icon.sync className={sync.busy ? 'spin' : undefined} />
      <span>{sync.busy ? 'Syncing…' : compact ? 'Sync' : 'Sync now'}</span>
    </button>
  );
}
