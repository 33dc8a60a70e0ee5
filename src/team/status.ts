import { addTotal, formatUsd, formatUsdOrNull, ratioBp, type NanoTotal } from '../money';
import { firstDayOfMonth, localDay } from '../time';
import type { Core } from '../model/context';
import type { TeamStatus } from '../model/team-views';
import type { Health } from '../model/views';
import { periodHealth, readTeamBudgets, teamCaps, type TeamBudgets, type TeamFigures } from './budgets';
import type { TeamConfig } from './config';
import { pendingCount } from './outbox';
import type { SharedQuery } from './pg';
import { readTeamDays, type TeamProviderDay } from './totals';

/** Today and this month of the team, by this machine's calendar (its zone). */
export async function teamFigures(db: SharedQuery, teamId: string, now: Date, timeZone: string): Promise<{ figures: TeamFigures; days: TeamProviderDay[] }> {
  const today = localDay(now, timeZone);
  const month = today.slice(0, 7);
  const days = await readTeamDays(db, teamId, firstDayOfMonth(month), today);
  const figures: TeamFigures = { today, month, daySpent: 0n, monthSpent: 0n, byProvider: new Map() };
  for (const d of days) {
    const p = figures.byProvider.get(d.provider) ?? { today: 0n, month: 0n };
    p.month = addTotal(p.month, d.countedNano);
    figures.monthSpent = addTotal(figures.monthSpent, d.countedNano);
    if (d.localDay === today) {
      p.today = addTotal(p.today, d.countedNano);
      figures.daySpent = addTotal(figures.daySpent, d.countedNano);
    }
    figures.byProvider.set(d.provider, p);
  }
  return { figures, days };
}

/** The team's status. A read: it writes nothing, here or in the store. */
export async function readTeamStatus(core: Core, db: SharedQuery, config: TeamConfig): Promise<TeamStatus> {
  const now = core.clock.now();
  const { figures, days } = await teamFigures(db, config.teamId, now, core.timeZone);
  const budgets = await readTeamBudgets(db, config.teamId);
  const machines = await db.query<{ member: string; machines: string; last_push_at: string | null }>(
    `SELECT member, COUNT(*) AS machines, to_char(MAX(last_push_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_push_at
     FROM machines WHERE team_id = $1 AND left_at IS NULL GROUP BY member`,
    [config.teamId],
  );
  const alerts = await db.query<{ id: string; rule: string; provider: string; period: string; level: 'info' | 'warning' | 'critical'; message: string; fired_at: Date; fired_by: string }>(
    `SELECT id, rule, provider, period, level, message, fired_at, fired_by FROM team_alerts
     WHERE team_id = $1 AND period IN ($2, $3) ORDER BY id`,
    [config.teamId, figures.today, figures.month],
  );
  return buildStatus(core, config, figures, days, budgets, machines.rows, alerts.rows, now);
}

function buildStatus(
  core: Core,
  config: TeamConfig,
  figures: TeamFigures,
  days: readonly TeamProviderDay[],
  budgets: TeamBudgets,
  machines: readonly { member: string; machines: string; last_push_at: string | null }[],
  alerts: readonly { id: string; rule: string; provider: string; period: string; level: 'info' | 'warning' | 'critical'; message: string; fired_at: Date; fired_by: string }[],
  now: Date,
): TeamStatus {
  const memberMonth = new Map<string, NanoTotal>();
  const memberToday = new Map<string, NanoTotal>();
  let billed: NanoTotal = 0n;
  let covered: NanoTotal = 0n;
  let unpriced = 0;
  const billedByProvider = new Map<string, NanoTotal>();
  for (const d of days) {
    billed = addTotal(billed, d.billedNano);
    covered = addTotal(covered, d.coveredEstimateNano);
    billedByProvider.set(d.provider, addTotal(billedByProvider.get(d.provider) ?? 0n, d.billedNano));
    unpriced += d.unpricedEvents;
    for (const [member, nano] of d.byMember) {
      memberMonth.set(member, addTotal(memberMonth.get(member) ?? 0n, nano));
      if (d.localDay === figures.today) memberToday.set(member, addTotal(memberToday.get(member) ?? 0n, nano));
    }
  }
  const day = periodHealth(figures.daySpent, budgets.daily, budgets.reserveBp);
  const month = periodHealth(figures.monthSpent, budgets.monthly, budgets.reserveBp);
  const caps = new Map(teamCaps(budgets, figures).map((c) => [c.provider, c]));
  const members = new Set([...machines.map((m) => m.member), ...memberMonth.keys()]);
  return {
    asOf: now.toISOString(),
    timezone: core.timeZone,
    team: config.team,
    member: config.member,
    machineId: config.machineId,
    day: { date: figures.today, ...periodView(figures.daySpent, day), spendableUsd: formatUsdOrNull(day.split?.spendable) },
    month: { month: figures.month, ...periodView(figures.monthSpent, month) },
    providers: [...figures.byProvider.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([provider, p]) => ({
        provider,
        todaySpentUsd: formatUsd(p.today),
        monthSpentUsd: formatUsd(p.month),
        billedUsd: formatUsd(billedByProvider.get(provider) ?? 0),
        capUsd: formatUsdOrNull(caps.get(provider)?.cap),
        capHealth: (caps.get(provider)?.health ?? null) as Health | null,
      })),
    members: [...members].sort().map((member) => {
      const row = machines.find((m) => m.member === member);
      const spent = memberMonth.get(member) ?? 0;
      return {
        member,
        machines: row ? Number(row.machines) : 0,
        todaySpentUsd: formatUsd(memberToday.get(member) ?? 0),
        monthSpentUsd: formatUsd(spent),
        shareBp: ratioBp(spent, figures.monthSpent),
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
    alerts: alerts.map((a) => ({
      id: Number(a.id),
      rule: a.rule,
      provider: a.provider,
      period: a.period,
      level: a.level,
      message: a.message,
      firedAt: new Date(a.fired_at).toISOString(),
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
