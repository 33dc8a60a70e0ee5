import type { Core } from '../model/context';
import { BurnrateError } from '../model/errors';
import type { TeamPushResult } from '../model/team-views';
import { dueTeamAlerts, readTeamBudgets, storeTeamAlerts } from './budgets';
import { requireTeamConfig, type TeamConfig } from './config';
import { pendingCount, queueChanges } from './outbox';
import type { SharedDb } from './pg';
import { pushOutbox } from './push';
import { localDay } from '../time';
import { readTeamSnapshot } from './snapshot';
import { teamForecast } from './forecast';
import { withShared } from './session';

/**
 * `team push`: queue what changed locally, send the outbox in order, then check the team's budgets.
 * While the store does not answer, the changes stay queued (the error says how many wait).
 */
export async function pushTeam(core: Core): Promise<TeamPushResult> {
  const config = requireTeamConfig(core.db);
  const now = core.clock.now();
  // Queued before connecting: what changed is kept even when the store is down.
  const queued = queueChanges(core.db, config, now);
  try {
    const result = await withShared(core, config, async (db) => {
      const pushed = await pushOutbox(core.db, db, config, now);
      const alertsFired = await checkTeamAlerts(core, db, config);
      return { ...pushed, alertsFired };
    });
    return { ...result, queued: queued + result.queued, pending: pendingCount(core.db) };
  } catch (error) {
    if (!(error instanceof BurnrateError) || error.reason !== 'team_store_unreachable') throw error;
    const pending = pendingCount(core.db);
    throw new BurnrateError('unavailable', error.reason, `${error.message} ${pending} figure(s) wait in this machine's outbox and go out, in order, when it answers.`, { ...error.facts, pending });
  }
}

/** Evaluate the team's budgets now; notify what this machine fired first. */
export async function checkTeamAlerts(core: Core, db: SharedDb, config: TeamConfig): Promise<number> {
  const budgets = await readTeamBudgets(db, config.teamId);
  if (budgets.daily === null && budgets.monthly === null && Object.keys(budgets.caps).length === 0) return 0;
  const now = core.clock.now();
  const snapshot = await readTeamSnapshot(db, config.teamId, localDay(now, core.timeZone), { history: budgets.monthly !== null });
  const forecast = budgets.monthly === null ? null : teamForecast(snapshot);
  const fired = await storeTeamAlerts(db, config.teamId, config.machineId, dueTeamAlerts(snapshot.budgets, snapshot.figures, now, forecast));
  for (const a of fired) {
    await core.notifier.notify({ kind: 'alert', title: `Team ${config.team}: budget`, body: a.message, target: { view: 'team' } });
  }
  if (fired.length > 0) core.events.emit('statusChanged', { reason: 'team-alert' });
  return fired.length;
}
