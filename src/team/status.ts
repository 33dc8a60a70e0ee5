import { addTotal, formatUsd, formatUsdOrNull, ratioBp, type NanoTotal } from '../money';
import { localDay } from '../time';
import type { Core } from '../model/context';
import type { TeamStatus } from '../model/team-views';
import type { Health } from '../model/views';
import { periodHealth, teamCaps } from './budgets';
import type { TeamConfig } from './config';
import { teamForecast } from './forecast';
import { pendingCount } from './outbox';
import type { SharedQuery } from './pg';
import { readTeamSnapshot, type TeamSnapshot } from './snapshot';

/**
 * The team's status. A read: it writes nothing, here or in the store. One statement to the store
 * (src/team/snapshot.ts); "today" and "this month" are this machine's calendar (its zone).
 */
export async function readTeamStatus(core: Core, db: SharedQuery, config: TeamConfig): Promise<TeamStatus> {
  const now = core.clock.now();
  const snapshot = await readTeamSnapshot(db, config.teamId, localDay(now, core.timeZone), { history: true });
  return buildStatus(core, config, snapshot, now);
}

function buildStatus(core: Core, config: TeamConfig, s: TeamSnapshot, now: Date): TeamStatus {
  const { figures, budgets } = s;
  let billed: NanoTotal = 0n;
  let covered: NanoTotal = 0n;
  let unpriced = 0;
  const billedByProvider = new Map<string, NanoTotal>();
  for (const d of s.days) {
    if (d.localDay.slice(0, 7) !== figures.month) continue;
    billed = addTotal(billed, d.billedNano);
    covered = addTotal(covered, d.coveredEstimateNano);
    billedByProvider.set(d.provider, addTotal(billedByProvider.get(d.provider) ?? 0n, d.billedNano));
    unpriced += d.unpricedEvents;
  }
  const day = periodHealth(figures.daySpent, budgets.daily, budgets.reserveBp);
  const month = periodHealth(figures.monthSpent, budgets.monthly, budgets.reserveBp);
  const forecast = teamForecast(s);
  const caps = new Map(teamCaps(budgets, figures).map((c) => [c.provider, c]));
  const spentOf = new Map(s.members.map((m) => [m.member, m]));
  const members = new Set([...s.machines.map((m) => m.member), ...spentOf.keys()]);
  return {
    asOf: now.toISOString(),
    timezone: core.timeZone,
    team: config.team,
    member: config.member,
    machineId: config.machineId,
    day: { date: figures.today, ...periodView(figures.daySpent, day), spendableUsd: formatUsdOrNull(day.split?.spendable) },
    month: {
      month: figures.month,
      ...periodView(figures.monthSpent, month),
      forecastUsd: formatUsd(forecast.forecast),
      dailyRateUsd: formatUsd(forecast.dailyRate),
      forecastBasisDays: forecast.basisDays,
      runsOutOn: forecast.runsOutOn,
    },
    providers: [...figures.byProvider.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([provider, p]) => ({
        provider,
        todaySpentUsd: formatUsd(p.today),
        monthSpentUsd: formatUsd(p.month),
        billedUsd: formatUsd(billedByProvider.get(provider) ?? 0n),
        capUsd: formatUsdOrNull(caps.get(provider)?.cap),
        capHealth: (caps.get(provider)?.health ?? null) as Health | null,
      })),
    members: [...members].sort().map((member) => {
      const row = s.machines.find((m) => m.member === member);
      const spent = spentOf.get(member);
      return {
        member,
        machines: row ? Number(row.machines) : 0,
        todaySpentUsd: formatUsd(spent?.todayNano ?? 0n),
        monthSpentUsd: formatUsd(spent?.monthNano ?? 0n),
        shareBp: ratioBp(spent?.monthNano ?? 0n, figures.monthSpent),
        lastPushAt: row?.last_push_at ?? null,
      };
    }),
    billedMonthUsd: formatUsd(billed),
    coveredEstimatesMonthUsd: formatUsd(covered),
    unpricedEvents: unpriced,
    budgets: {
      dailyUsd: formatUsdOrNull(budgets.daily),
      monthlyUsd: formatUsdOrNull(budgets.monthly),
      reservePct: budgets.reserveBp / 100,
      enforce: budgets.enforce,
      caps: Object.entries(budgets.caps).map(([provider, cap]) => ({ provider, monthlyUsd: formatUsd(cap) })),
    },
    alerts: s.alerts.map((a) => ({
      id: Number(a.id),
      rule: a.rule,
      provider: a.provider,
      period: a.period,
      level: a.level,
      message: a.message,
      firedAt: a.fired_at,
      firedBy: a.fired_by,
    })),
    pending: pendingCount(core.db),
  };
}

function periodView(spent: NanoTotal, state: ReturnType<typeof periodHealth>) {
  return {
    spentUsd: formatUsd(spent),
    budgetUsd: formatUsdOrNull(state.split?.budget),
    reserveUsd: formatUsdOrNull(state.split?.reserve),
    health: state.health,
  };
}
