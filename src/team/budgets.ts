import { nanoOfTotal, parseUsdTotal, ratioBp, type Nano, type NanoTotal } from '../money';
import { capHealth, type BudgetSnapshot, type CapState } from '../budget/snapshot';
import { healthOf, splitBudget, DEFAULT_RESERVE_BP } from '../budget/health';
import { dueAlerts, type AlertCandidate } from '../budget/rules';
import type { Health } from '../model/views';
import type { Projection } from '../budget/forecast';
import { exactNano } from './totals';
import type { SharedQuery } from './pg';
import { BurnrateError } from '../model/errors';

/** A team's budgets: the personal budget's shape (docs/budget.md) plus whether proxies enforce it. */
export interface TeamBudgets {
  daily: Nano | null;
  monthly: Nano | null;
  reserveBp: number;
  enforce: boolean;
  caps: Record<string, Nano>;
}

export interface TeamBudgetRow {
  scope: string;
  provider: string;
  amount_nano: string;
  reserve_bp: number;
  enforce: boolean;
}

/** The columns of team_budgets a read needs (amounts as text: exact). */
export const TEAM_BUDGET_COLUMNS = 'scope, provider, amount_nano::text AS amount_nano, reserve_bp, enforce';

export async function readTeamBudgets(db: SharedQuery, teamId: string): Promise<TeamBudgets> {
  const rows = await db.query<TeamBudgetRow>(`SELECT ${TEAM_BUDGET_COLUMNS} FROM team_budgets WHERE team_id = $1`, [teamId]);
  return teamBudgetsOf(rows.rows);
}

export function teamBudgetsOf(rows: readonly TeamBudgetRow[]): TeamBudgets {
  const out: TeamBudgets = { daily: null, monthly: null, reserveBp: DEFAULT_RESERVE_BP, enforce: false, caps: {} };
  for (const r of rows) {
    if (r.scope === 'daily') out.daily = nanoOfTotal(exactNano(r.amount_nano), 'the team daily budget');
    if (r.scope === 'monthly') out.monthly = nanoOfTotal(exactNano(r.amount_nano), 'the team monthly budget');
    if (r.scope === 'provider_monthly') out.caps[r.provider] = nanoOfTotal(exactNano(r.amount_nano), 'a team cap');
    if (r.scope !== 'provider_monthly') {
      out.reserveBp = r.reserve_bp;
      out.enforce ||= r.enforce;
    }
  }
  return out;
}

export interface TeamBudgetChange {
  /** null clears; undefined leaves as is. */
  daily?: Nano | null;
  monthly?: Nano | null;
  reserveBp?: number;
  enforce?: boolean;
  provider?: string;
}

/** Apply a change in one transaction; a provider's cap when `provider` is given. */
export async function applyTeamBudgetChange(db: SharedQuery, teamId: string, change: TeamBudgetChange): Promise<void> {
  const upsert = async (scope: string, provider: string, amount: Nano | null | undefined) => {
    if (amount === undefined) return;
    if (amount === null) {
      await db.query('DELETE FROM team_budgets WHERE team_id = $1 AND scope = $2 AND provider = $3', [teamId, scope, provider]);
      return;
    }
    await db.query(
      `INSERT INTO team_budgets (team_id, scope, provider, amount_nano) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team_id, scope, provider) DO UPDATE SET amount_nano = excluded.amount_nano, updated_at = now()`,
      [teamId, scope, provider, String(amount)],
    );
  };
  if (change.provider !== undefined) {
    await upsert('provider_monthly', change.provider, change.monthly);
    return;
  }
  await upsert('daily', '', change.daily);
  await upsert('monthly', '', change.monthly);
  if (change.reserveBp !== undefined || change.enforce !== undefined) {
    // The reserve and enforcement are kept on the daily and monthly budgets: without either they
    // would be dropped while the change looked saved (inside the caller's transaction: nothing lands).
    const budgets = await db.query("SELECT 1 FROM team_budgets WHERE team_id = $1 AND scope <> 'provider_monthly' LIMIT 1", [teamId]);
    if (budgets.rows.length === 0) {
      throw new BurnrateError('invalid_input', 'team_budget_missing', 'A team reserve and enforcement apply to the team\'s daily or monthly budget, and the team has neither; set a daily or monthly team budget with them.', {});
    }
  }
  if (change.reserveBp !== undefined) await db.query("UPDATE team_budgets SET reserve_bp = $2 WHERE team_id = $1 AND scope <> 'provider_monthly'", [teamId, change.reserveBp]);
  if (change.enforce !== undefined) await db.query("UPDATE team_budgets SET enforce = $2 WHERE team_id = $1 AND scope <> 'provider_monthly'", [teamId, change.enforce]);
}

export interface TeamFigures {
  today: string;
  month: string;
  daySpent: NanoTotal;
  monthSpent: NanoTotal;
  byProvider: Map<string, { today: NanoTotal; month: NanoTotal }>;
}

export function periodHealth(spent: NanoTotal, budget: Nano | null, reserveBp: number) {
  if (budget === null) return { split: null, spent, health: null as Health | null };
  const split = splitBudget(budget, reserveBp);
  return { split, spent, health: healthOf(spent, split) as Health | null };
}

export function teamCaps(budgets: TeamBudgets, figures: TeamFigures): CapState[] {
  return Object.entries(budgets.caps).map(([provider, cap]) => {
    const spent = figures.byProvider.get(provider)?.month ?? 0n;
    return { provider, cap, spent, usedBp: ratioBp(spent, cap), health: capHealth(spent, cap) };
  });
}

/**
 * The personal alert rules (src/budget/rules.ts) over the team's totals, the forecast rule over the
 * team's forecast (src/team/forecast.ts) when one is given (only with a monthly budget).
 */
export function dueTeamAlerts(budgets: TeamBudgets, figures: TeamFigures, now: Date, forecast: Projection | null = null): AlertCandidate[] {
  const snapshot: BudgetSnapshot = {
    now,
    today: figures.today,
    month: figures.month,
    budgets: { daily: budgets.daily, monthly: budgets.monthly, reserveBp: budgets.reserveBp, caps: budgets.caps, projectCaps: {} },
    day: periodHealth(figures.daySpent, budgets.daily, budgets.reserveBp),
    monthState: periodHealth(figures.monthSpent, budgets.monthly, budgets.reserveBp),
    caps: teamCaps(budgets, figures),
    projectCaps: [], // a team has no project caps yet
    forecast: {
      month: figures.month,
      monthToDate: figures.monthSpent,
      fixedAhead: 0n,
      ...(forecast ?? { forecast: figures.monthSpent, dailyRate: 0n, basisDays: 0, weekdayAware: false, factorsBp: null, runsOutOn: null, alreadyExceeded: false }),
    },
    providers: [],
    unpricedEvents: 0,
  };
  return dueAlerts(snapshot).map((a) => ({ ...a, message: `Team: ${a.message}` }));
}

/**
 * Store every due alert; the insert that creates a row is the one that fires, so across all the
 * team's machines each alert fires once. Returns the new ones, highest of each family only (the
 * personal rule: lower ones due at the same time are not announced).
 */
export async function storeTeamAlerts(db: SharedQuery, teamId: string, machineId: string, due: readonly AlertCandidate[]): Promise<AlertCandidate[]> {
  const fired: AlertCandidate[] = [];
  for (const a of due) {
    const r = await db.query(
      `INSERT INTO team_alerts (team_id, provider, rule, period, level, message, spent_nano, budget_nano, fired_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (team_id, rule, provider, period) DO NOTHING RETURNING id`,
      [teamId, a.provider, a.rule, a.period, a.level, a.message, nanoOf(a.data.spentUsd ?? a.data.forecastUsd), nanoOf(a.data.budgetUsd ?? a.data.capUsd), machineId],
    );
    if (r.rowCount === 1) fired.push(a);
  }
  const top = new Map<string, AlertCandidate>();
  for (const a of fired) if ((top.get(a.family)?.rank ?? 0) < a.rank) top.set(a.family, a);
  return [...top.values()];
}

/** The alert's figures travel as exact decimal text; back to nano text for the BIGINT columns. */
function nanoOf(usd: unknown): string {
  return String(typeof usd === 'string' ? parseUsdTotal(usd, { allowNegative: true }) : 0n);
}
