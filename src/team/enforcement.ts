import { addTotal, subTotal, type NanoTotal } from '../money';
import { countedTotal } from '../ledger/spend';
import { firstDayOfMonth, localDay } from '../time';
import type { Core } from '../model/context';
import type { TeamBudgets } from './budgets';
import { readTeamConfig } from './config';
import { pushOutbox } from './push';
import { withShared } from './session';
import { readTeamSnapshot } from './snapshot';

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
  /** The team's name and the local day the figures are for (this machine's calendar). */
  team: string;
  today: string;
  /**
   * The other members' share of the store's figure at its read (the store's figure minus this
   * machine's counted spend then): a metering proxy adds this machine's ledger at each admission
   * itself, so its own spend is counted the moment it is written, with no await in between.
   */
  othersDayNano: NanoTotal;
  othersMonthNano: NanoTotal;
  /** The same per provider for the month, for the providers the team caps. */
  othersCapMonthNano: Record<string, NanoTotal>;
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
 * figure is kept (and this machine's spend keeps adding to it). `null` when this machine has not
 * joined a team; while the store has never answered, `current()` rejects with the store's error.
 */
export function teamSpendForEnforcement(core: Core, options: { refreshMs?: number } = {}) {
  const refreshMs = options.refreshMs ?? TEAM_ENFORCEMENT_REFRESH_MS;
  let cached: {
    at: number;
    team: string;
    today: string;
    day: NanoTotal;
    month: NanoTotal;
    localDay: NanoTotal;
    localMonth: NanoTotal;
    capOthers: Record<string, NanoTotal>;
    budgets: TeamBudgets;
    asOf: string;
  } | null = null;
  let refreshing: Promise<void> | null = null;
  /** Why the last refresh failed; thrown by current() while the store has never answered. */
  let lastError: unknown = null;

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
      const today = localDay(now, core.timeZone);
      const mine = local(today);
      const { figures, budgets } = await readTeamSnapshot(db, config.teamId, today);
      const capOthers: Record<string, NanoTotal> = {};
      const from = firstDayOfMonth(today.slice(0, 7));
      for (const provider of Object.keys(budgets.caps)) {
        const store = figures.byProvider.get(provider)?.month ?? 0n;
        capOthers[provider] = max0(subTotal(store, countedTotal(core.db, from, today, provider)));
      }
      cached = { at: Date.now(), team: config.team, today: figures.today, day: figures.daySpent, month: figures.monthSpent, localDay: mine.day, localMonth: mine.month, capOthers, budgets, asOf: now.toISOString() };
    });
  }

  return {
    /** This machine's team as the ledger says now (any process may join or leave): the proxy re-reads on a change. */
    membership(): string | null {
      const config = readTeamConfig(core.db);
      return config ? `${config.teamId} ${config.machineId} ${config.joinedAt}` : null;
    },
    async current(): Promise<TeamSpendNow | null> {
      const today = localDay(core.clock.now(), core.timeZone);
      if (!cached || Date.now() - cached.at >= refreshMs || cached.today !== today) {
        refreshing ??= refresh()
          .then(() => void (lastError = null))
          .catch((error: unknown) => void (lastError = error))
          .finally(() => (refreshing = null));
        await refreshing;
      }
      const c = cached as typeof cached;
      if (!c) {
        if (lastError) throw lastError;
        return null;
      }
      const mine = local(today);
      const sameDay = c.today === today;
      const sameMonth = c.today.slice(0, 7) === today.slice(0, 7);
      const unpushedDay = sameDay ? max0(subTotal(mine.day, c.localDay)) : mine.day;
      const unpushedMonth = max0(subTotal(mine.month, c.localMonth));
      return {
        dayNano: addTotal(sameDay ? c.day : 0n, unpushedDay),
        monthNano: addTotal(c.month, unpushedMonth),
        unpushedDayNano: unpushedDay,
        unpushedMonthNano: unpushedMonth,
        budgets: c.budgets,
        storeAsOf: c.asOf,
        team: c.team,
        today: c.today,
        othersDayNano: sameDay ? max0(subTotal(c.day, c.localDay)) : 0n,
        othersMonthNano: sameMonth ? max0(subTotal(c.month, c.localMonth)) : 0n,
        othersCapMonthNano: sameMonth ? c.capOthers : {},
      };
    },
  };
}

const max0 = (n: NanoTotal): NanoTotal => (n > 0n ? n : 0n);
