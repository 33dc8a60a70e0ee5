import { useEffect, useState } from 'react';
import type { LiveState } from '../api';
import { useClient } from '../hooks/client';

const TEXT: Record<LiveState, string> = {
  live: 'Live: updates appear as they happen',
  connecting: 'Connecting for live updates…',
  offline: 'Live updates stopped: reload the page',
};

/** Whether pushes are arriving (the EventSource under `burnrate serve`; always live in Electron). */
export function LiveDot() {
  const client = useClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => client.onLive(setState), [client]);
  return <span className={`live live-${state}`} title={TEXT[state]} role="img" aria-label={TEXT[state]} />;
}
