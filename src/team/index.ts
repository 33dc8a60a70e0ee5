import type { Core } from '../model/context';
import type { TeamStatus } from '../model/team-views';
import { applyTeamBudgetChange, type TeamBudgetChange } from './budgets';
import { requireTeamConfig } from './config';
import { withShared } from './session';
import { readTeamStatus } from './status';
import { checkTeamAlerts } from './sync';

export { joinTeam, leaveTeam, parseTeamUrl } from './membership';
export { pushTeam } from './sync';
export { readTeamConfig } from './config';
export { teamSpendForEnforcement, TEAM_ENFORCEMENT_REFRESH_MS } from './enforcement';
export { startTeamPusher } from './pusher';

/** `team status`: a read of the store and of this machine's outbox; writes nothing anywhere. */
export async function teamStatus(core: Core): Promise<TeamStatus> {
  const config = requireTeamConfig(core.db);
  return withShared(core, config, (db) => readTeamStatus(core, db, config));
}

/** Change the team's budgets, check them at once (a lower budget may fire now), return the status. */
export async function setTeamBudget(core: Core, change: TeamBudgetChange): Promise<TeamStatus> {
  const config = requireTeamConfig(core.db);
  return withShared(core, config, async (db) => {
    await db.transaction((tx) => applyTeamBudgetChange(tx, config.teamId, change));
    await checkTeamAlerts(core, db, config);
    return readTeamStatus(core, db, config);
  });
}
