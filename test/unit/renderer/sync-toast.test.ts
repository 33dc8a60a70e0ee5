import { describe, expect, it } from 'vitest';
import type { SyncRunView } from '../../../src/api/contract/keys';
import { syncToastKind } from '../../../renderer/src/components/SyncButton';

const run = (provider: string, outcome: SyncRunView['outcome']): SyncRunView => ({
  provider,
  runId: 1,
  outcome,
  errorKind: outcome === 'error' ? 'network' : null,
  reason: outcome === 'skipped' ? 'key_missing' : null,
  message: '',
  keychainTrouble: null,
  diagnosis: null,
  window: null,
  rows: 0,
  rowsChanged: 0,
  unreadable: 0,
  durationMs: 1,
  keyOrigin: null,
});

describe('"Sync now": the toast looks like what happened', () => {
  it('a failure as an error, a partial failure as a warning, nothing synced as a notice, a sync as a success', () => {
    expect(syncToastKind({ message: '', runs: [run('openai', 'error'), run('anthropic', 'error')] })).toBe('error');
    expect(syncToastKind({ message: '', runs: [run('openai', 'ok'), run('anthropic', 'error')] })).toBe('warning');
    expect(syncToastKind({ message: '', runs: [run('openai', 'error'), run('anthropic', 'skipped')] })).toBe('error'); // nothing synced
    expect(syncToastKind({ message: '', runs: [] })).toBe('info');
    expect(syncToastKind({ message: '', runs: [run('openai', 'skipped')] })).toBe('info');
    expect(syncToastKind({ message: '', runs: [run('openai', 'ok'), run('anthropic', 'skipped')] })).toBe('ok');
  });
});
