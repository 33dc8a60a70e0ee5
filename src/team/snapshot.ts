import { addTotal, type NanoTotal } from '../money';
import { addDays, firstDayOfMonth } from '../time';
import { FACTOR_DAYS } from '../budget/forecast';
import { TEAM_BUDGET_COLUMNS, teamBudgetsOf, type TeamBudgetRow, type TeamBudgets, type TeamFigures } from './budgets';
import type { SharedQuery } from './pg';
import { exactNano, TEAM_COUNTED_SQL, tierArgs } from './totals';

/** One provider's counted day of the team, under the rule (src/team/totals.ts). */
export interface TeamDay {
  localDay: string;
  provider: string;
  countedNano: NanoTotal;
  /** Subscription fees inside countedNano (fixed, not a burn rate: the forecast leaves them out). */
  feesNano: NanoTotal;
  billedNano: NanoTotal;
  /** Estimates of machines covered by a bill that day: compared with the bill, never added. */
  coveredEstimateNano: NanoTotal;
  unpricedEvents: number;
}

export interface TeamMachineRow {
  member: string;
  machines: string;
  last_push_at: string | null;
}

export interface TeamAlertRow {
  id: string;
  rule: string;
  provider: string;
  period: string;
  level: 'info' | 'warning' | 'critical';
  message: string;
  fired_at: string;
  fired_by: string;
}

/** Everything a team read needs, from ONE statement (one round trip; docs/team.md, "Scale"). */
export interface TeamSnapshot {
  figures: TeamFigures;
  /** Days of [from, today] with anything counted, billed or covered. */
  days: TeamDay[];
  /** Each member's counted spend (bills belong to no member) this month and today. */
  members: { member: string; monthNano: NanoTotal; todayNano: NanoTotal }[];
  budgets: TeamBudgets;
  machines: TeamMachineRow[];
  alerts: TeamAlertRow[];
  /** The team's first day with spend other than fees (what the forecast's windows may use), or null. */
  historyStart: string | null;
}

interface SnapshotRow {
  days: { d: string; p: string; counted: string; fees: string; billed: string; covered: string; unpriced: string }[];
  members: { member: string; month: string; today: string }[];
  budgets: TeamBudgetRow[];
  machines: TeamMachineRow[];
  alerts: TeamAlertRow[];
  history_start: string | null;
}

/**
 * The statement. Bigints travel as JSON text (exact; a JSON number would pass through a float).
 * $8 first day of the month, $9 today as text, $10 the month as text (alert periods).
 */
const SNAPSHOT_SQL = `WITH ${TEAM_COUNTED_SQL},
member_sums AS (
  SELECT member,
    COALESCE(SUM(cost) FILTER (WHERE counts AND local_day >= $8::date), 0) AS month,
    COALESCE(SUM(cost) FILTER (WHERE counts AND local_day = $3::date), 0) AS today
  FROM counted GROUP BY member HAVING COUNT(*) FILTER (WHERE counts AND local_day >= $8::date) > 0
)
SELECT
  (SELECT COALESCE(json_agg(json_build_object('d', to_char(local_day, 'YYYY-MM-DD'), 'p', provider, 'counted', counted::text,
     'fees', fees::text, 'billed', billed::text, 'covered', covered::text, 'unpriced', unpriced::text) ORDER BY local_day, provider), '[]')
   FROM team_days) AS days,
  (SELECT COALESCE(json_agg(json_build_object('member', member, 'month', month::text, 'today', today::text)), '[]') FROM member_sums) AS members,
  (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT ${TEAM_BUDGET_COLUMNS} FROM team_budgets WHERE team_id = $1) x) AS budgets,
  (SELECT COALESCE(json_agg(x), '[]') FROM (
     SELECT member, COUNT(*)::text AS machines, to_char(MAX(last_push_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_push_at
     FROM machines WHERE team_id = $1 AND left_at IS NULL GROUP BY member) x) AS machines,
  (SELECT COALESCE(json_agg(x ORDER BY x.id), '[]') FROM (
     SELECT id::text AS id, rule, provider, period, level, message, to_char(fired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS fired_at, fired_by
     FROM team_alerts WHERE team_id = $1 AND period IN ($9::text, $10::text)) x) AS alerts,
  to_char(LEAST(
    (SELECT MIN(local_day) FROM member_rollups WHERE team_id = $1 AND source <> 'subscription'),
    (SELECT MIN(local_day) FROM billed_days WHERE team_id = $1)), 'YYYY-MM-DD') AS history_start`;

export interface SnapshotOptions {
  /** Read the FACTOR_DAYS before the month too, for the forecast's rate windows (status does; a push's check does not). */
  history?: boolean;
}

/** The one statement of a team read for `today`, and its parameters (tests EXPLAIN it). */
export function teamSnapshotQuery(teamId: string, today: string, options: SnapshotOptions = {}): { sql: string; params: unknown[] } {
  const month = today.slice(0, 7);
  const first = firstDayOfMonth(month);
  const back = addDays(today, -FACTOR_DAYS);
  const from = options.history && back < first ? back : first;
  return { sql: SNAPSHOT_SQL, params: [teamId, from, today, ...tierArgs(), first, today, month] };
}

/** Read the team's snapshot for `today` (a local day of this machine's calendar). A read: writes nothing. */
export async function readTeamSnapshot(db: SharedQuery, teamId: string, today: string, options: SnapshotOptions = {}): Promise<TeamSnapshot> {
  const q = teamSnapshotQuery(teamId, today, options);
  const r = (await db.query<SnapshotRow>(q.sql, q.params)).rows[0]!;
  const days: TeamDay[] = r.days.map((d) => ({
    localDay: d.d,
    provider: d.p,
    countedNano: exactNano(d.counted),
    feesNano: exactNano(d.fees),
    billedNano: exactNano(d.billed),
    coveredEstimateNano: exactNano(d.covered),
    unpricedEvents: Number(d.unpriced),
  }));
  return {
    figures: figuresOf(days, today),
    days,
    members: r.members.map((m) => ({ member: m.member, monthNano: exactNano(m.month), todayNano: exactNano(m.today) })),
    budgets: teamBudgetsOf(r.budgets),
    machines: r.machines,
    alerts: r.alerts,
    historyStart: r.history_start,
  };
}

/** Today and this month of the team, by provider (the days before the month are history only). */
function figuresOf(days: readonly TeamDay[], today: string): TeamFigures {
  const month = today.slice(0, 7);
  const figures: TeamFigures = { today, month, daySpent: 0n, monthSpent: 0n, byProvider: new Map() };
  for (const d of days) {
    if (d.localDay.slice(0, 7) !== month) continue;
    const p = figures.byProvider.get(d.provider) ?? { today: 0n, month: 0n };
    p.month = addTotal(p.month, d.countedNano);
    figures.monthSpent = addTotal(figures.monthSpent, d.countedNano);
    if (d.localDay === today) {
      p.today = addTotal(p.today, d.countedNano);
      figures.daySpent = addTotal(figures.daySpent, d.countedNano);
    }
    figures.byProvider.set(d.provider, p);
  }
  return figures;
}
