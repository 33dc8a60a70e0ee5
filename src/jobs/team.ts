import type { Core } from '../model/context';
import { readTeamConfig } from '../team/config';

/**
 * The team push on the schedule and after changes. src/team (and `pg`) is loaded only on a machine
 * that joined a team; everyone else pays one settings read per run.
 */
export async function pushTeamIfJoined(core: Core): Promise<void> {
  if (readTeamConfig(core.db) === null) return;
  const { pushTeam } = await import('../team/sync');
  // Unreachable: the figures wait in the outbox; the next run (or change) sends them in order.
  await pushTeam(core).catch(() => undefined);
}
