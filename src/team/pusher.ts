import type { Core } from '../model/context';
import { readTeamConfig } from './config';

/** Pushes wait this long after a local change, so a burst of writes becomes one push. */
export const TEAM_PUSH_DEBOUNCE_MS = 5_000;

export interface TeamPusher {
  /** Resolves when a push in flight has finished. */
  stop(): Promise<void>;
  /** The push that is running or the last that ran (tests and the app's shutdown wait on it). */
  settled(): Promise<void>;
}

/**
 * Push after each local change (debounced): spend written in this process and, through the change
 * watcher, in any other process (both end in statusChanged). Our own team events are not changes
 * of the ledger's spend and never start a push. Failures stay in the outbox for the next try (the
 * schedule in src/jobs retries every few minutes).
 */
export function startTeamPusher(core: Core, push: (core: Core) => Promise<unknown>, debounceMs = TEAM_PUSH_DEBOUNCE_MS): TeamPusher {
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  let again = false;
  let stopped = false;
  const run = (): void => {
    timer = null;
    if (stopped || readTeamConfig(core.db) === null) return;
    inFlight = inFlight.then(async () => {
      again = false;
      await push(core).catch(() => undefined);
      if (again && !stopped) schedule();
    });
  };
  const schedule = (): void => {
    again = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
    timer.unref();
  };
  const off = core.events.on('statusChanged', ({ reason }) => {
    if (!reason.startsWith('team')) schedule();
  });
  return {
    async stop() {
      stopped = true;
      off();
      if (timer) clearTimeout(timer);
      await inFlight;
    },
    settled: () => inFlight,
  };
}
