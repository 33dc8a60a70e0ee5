import { BudgetInputError, parseBudgetAmount, parseReservePct } from '../../budget/budgets';
import { invalidInput } from '../../model/errors';
import type { teamMethods } from '../contract/team';
import { readTeamConfig } from '../../team/config';
import { pendingCount } from '../../team/outbox';
import type { HandlersFor } from '../handler';

/**
 * The team handlers load src/team (and with it the `pg` client) only when a team method runs, so
 * no other command pays for it at start-up.
 */
const team = () => import('../../team');

export const teamHandlers: HandlersFor<typeof teamMethods> = {
  teamJoin: async (core, input) => {
    const result = await (await team()).joinTeam(core, input);
    core.events.emit('statusChanged', { reason: 'team' });
    return result;
  },
  teamMembership: (core) => {
    const config = readTeamConfig(core.db);
    return {
      joined: config !== null,
      team: config?.team ?? null,
      member: config?.member ?? null,
      machineId: config?.machineId ?? null,
      url: config?.url ?? null,
      pending: config ? pendingCount(core.db) : 0,
    };
  },
  teamStatus: async (core) => (await team()).teamStatus(core),
  teamPush: async (core) => {
    const result = await (await team()).pushTeam(core);
    core.events.emit('statusChanged', { reason: 'team' });
    return result;
  },
  teamLeave: async (core) => {
    const result = await (await team()).leaveTeam(core);
    core.events.emit('statusChanged', { reason: 'team' });
    return result;
  },
  teamBudgetSet: async (core, input) => {
    const { daily, monthly, reservePct, provider, enforce } = input;
    if (daily === undefined && monthly === undefined && reservePct === undefined && enforce === undefined) {
      throw invalidInput('nothing_to_set', 'Nothing to set: give a daily or monthly team budget, a reserve percentage, enforcement, or a provider with its monthly cap.');
    }
    if (provider !== undefined && (monthly === undefined || daily !== undefined || reservePct !== undefined)) {
      throw invalidInput('cap_needs_monthly', `A provider cap is monthly only: give the monthly cap for ${provider} alone.`, { provider });
    }
    let change;
    try {
      change = {
        ...(daily !== undefined ? { daily: parseBudgetAmount(daily, 'daily') } : {}),
        ...(monthly !== undefined ? { monthly: parseBudgetAmount(monthly, provider ? 'monthly cap' : 'monthly') } : {}),
        ...(reservePct !== undefined ? { reserveBp: parseReservePct(reservePct) } : {}),
        ...(enforce !== undefined ? { enforce } : {}),
        ...(provider !== undefined ? { provider } : {}),
      };
    } catch (error) {
      if (error instanceof BudgetInputError) throw invalidInput(error.reason, error.message, error.facts);
      throw error;
    }
    const status = await (await team()).setTeamBudget(core, change);
    core.events.emit('statusChanged', { reason: 'team' });
    return status;
  },
};
