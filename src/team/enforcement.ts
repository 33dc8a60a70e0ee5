import { addTotal, subTotal, type NanoTotal } from '../money';
import { countedTotal } from '../ledger/spend';
import { firstDayOfMonth, localDay } from '../time';
import type { Core } from '../model/context';
import { readTeamBudgets, type TeamBudgets } from './budgets';
import { readTeamConfig } from './config';
import { pushOutbox } from './push';
import { withShared } from './session';
import { teamFigures } from './status';

/** How old the shared store's figure may get before a check refreshes it. */
export const TEAM_ENFORCEMENT_REFRESH_MS = 30_000;

export interface TeamSpendNow {
  /** Today's and this month's team total as the proxy should enforce it. */
  dayNano: NanoTotal;
  monthNano: NanoTotal;
  /** This machine's spend since the store's figure was read (already included above). */
  unpushedDayNano: NanoTotal;
  unpushedMonthNano: NanoTotal;
  budgets: TeamBudgets;
  /** When the store's figure was read (ISO); null if it never answered since start. */
  storeAsOf: string;
}

/**
 * The team's current total for a metering proxy enforcing a team budget (docs/team.md,
 * "Enforcement"). Every `current()` call:
 *  - refreshes the store's figure when it is older than `refreshMs` (default 30 s): pushes this
 *    machine's outbox first, then reads the team's totals, so the store's figure holds every
 *    figure of this machine up to that moment;
 *  - adds this machine's counted spend since then, read from the local ledger at the call.
 * So this machine's own spend is never stale; other members' spend is at most refreshMs + their
 * push debounce (5 s) + their request in flight behind. When the store is unreachable the last
 * figure is kept (and this machine's spend keeps adding to it); `null` until it has answered once.
 */
export function teamSpendForEnforcement(core: Core, options: { refreshMs?: number } = {}) {
  const refreshMs = options.refreshMs ?? TEAM_ENFORCEMENT_REFRESH_MS;
  let cached: { at: number; today: string; day: NanoTotal; month: NanoTotal; localDay: NanoTotal; localMonth: NanoTotal; budgets: TeamBudgets; asOf: string } | null = null;
  let refreshing: Promise<void> | null = null;

  const local = (today: string) => ({
    day: countedTotal(core.db, today, today),
    month: countedTotal(core.db, firstDayOfMonth(today.slice(0, 7)), today),
  });

  async function refresh(): Promise<void> {
    const config = readTeamConfig(core.db);
    if (!config) {
      cached = null;
      return;
    }
    const now = core.clock.now();
    await withShared(core, config, async (db) => {
      await pushOutbox(core.db, db, config, now);
      const mine = local(localDay(now, core.timeZone));
      const { figures } = await teamFigures(db, config.teamId, now, core.timeZone);
      const budgets = await readTeamBudgets(db, config.teamId);
      cached = { at: Date.now(), today: figures.today, day: figures.daySpent, month: figures.monthSpent, localDay: mine.day, localMonth: mine.month, budgets, asOf: now.toISOString() };
    });
  }

  return {
    async current(): Promise<TeamSpendNow | null> {
      const today = localDay(core.clock.now(), core.timeZone);
      if (!cached || Date.now() - cached.at >= refreshMs || cached.today !== today) {
        refreshing ??= refresh()
          .catch(() => undefined)
          .finally(() => (refreshing = null));
        await refreshing;
      }
      const c = cached as typeof cached;
      if (!c) return null;
      const mine = local(today);
      const sameDay = c.today === today;
      const unpushedDay = sameDay ? max0(subTotal(mine.day, c.localDay)) : mine.day;
      const unpushedMonth = max0(subTotal(mine.month, c.localMonth));
      return {
        dayNano: addTotal(sameDay ? c.day : 0n, unpushedDay),
        monthNano: addTotal(c.month, unpushedMonth),
        unpushedDayNano: unpushedDay,
        unpushedMonthNano: unpushedMonth,
        budgets: c.budgets,
        storeAsOf: c.asOf,
      };
    },
  };
}

const max0 = (n: NanoTotal): NanoTotal => (n > 0n ? n : 0n);
