import type { Core } from '../model/context';
import { providerDays, type ProviderDay } from '../ledger/spend';
import { spendSummary } from '../ledger/summary';
import { addTotal, ratioBp, type Nano, type NanoTotal } from '../money';
import { firstDayOfMonth, localDay } from '../time';
import { compareSlugs } from '../model/slug-order';
import { providerNamer, type ProviderNamer } from '../providers/names';
import { readBudgets, type Budgets } from './budgets';
import { forecastMonth, type MonthForecast } from './forecast';
import { atLeastShare, healthOf, splitBudget, type BudgetSplit, type Health } from './health';

/**
 * Where every budget stands right now: one read of the ledger that status, `budget show`, the
 * alert rules and the attention list all share, so they can never disagree.
 */
export interface PeriodState {
  split: BudgetSplit | null;
  /** A sum: exact at any size (money.ts). */
  spent: NanoTotal;
  health: Health | null;
}

/** A cap has no reserve: reaching it exactly is critical (as a budget spent to its last cent), past it exceeded. */
export type CapHealth = 'good' | 'warning' | 'critical' | 'exceeded';

export interface CapState {
  provider: string;
  cap: Nano;
  spent: NanoTotal;
  /** spent / cap in basis points. */
  usedBp: number | null;
  /** warning from 80 % of the cap, critical at the cap exactly, exceeded past it. */
  health: CapHealth;
}

/** A project's monthly cap: the same health as a provider's, over the spend filed under that project. */
export interface ProjectCapState {
  project: string;
  cap: Nano;
  spent: NanoTotal;
  usedBp: number | null;
  health: CapHealth;
}

export interface ProviderMonth {
  provider: string;
  month: NanoTotal;
  today: NanoTotal;
  unpricedEvents: number;
  days: ProviderDay[];
}

export interface BudgetSnapshot {
  now: Date;
  today: string;
  month: string;
  budgets: Budgets;
  day: PeriodState;
  monthState: PeriodState;
  caps: CapState[];
  projectCaps: ProjectCapState[];
  forecast: MonthForecast;
  providers: ProviderMonth[];
  unpricedEvents: number;
  /** How the sentences built from this snapshot name a provider (a subscription by its typed name); absent: the catalogue's names. */
  names?: ProviderNamer;
}

export const CAP_WARNING_BP = 8000;

function period(spent: NanoTotal, budget: Nano | null, reserveBp: number): PeriodState {
  if (budget === null) return { split: null, spent, health: null };
  const split = splitBudget(budget, reserveBp);
  return { split, spent, health: healthOf(spent, split) };
}

export function capHealth(amount: Nano | NanoTotal, cap: Nano): CapHealth {
  const spent = BigInt(amount);
  if (spent > cap) return 'exceeded';
  if (spent === BigInt(cap) && spent > 0n) return 'critical';
  if (spent > 0n && atLeastShare(spent, cap, CAP_WARNING_BP)) return 'warning';
  return 'good';
}

/** Project spend of this month (counted, as the project grouping of the summary shows it), read only when a project has a cap. */
function projectCapStates(core: Core, budgets: Budgets, from: string, today: string): ProjectCapState[] {
  const entries = Object.entries(budgets.projectCaps);
  if (entries.length === 0) return [];
  const spentBy = new Map(spendSummary(core.db, from, today, 'project').groups.map((g) => [g.key, g.costNano]));
  return entries.map(([project, cap]) => {
    const spent = spentBy.get(project) ?? 0n;
    return { project, cap, spent, usedBp: ratioBp(spent, cap), health: capHealth(spent, cap) };
  });
}

export function budgetSnapshot(core: Core): BudgetSnapshot {
  const now = core.clock.now();
  const today = localDay(now, core.timeZone);
  const month = today.slice(0, 7);
  const budgets = readBudgets(core.db);
  const byProvider = new Map<string, ProviderMonth>();
  let daySpent = 0n;
  let monthSpent = 0n;
  let unpriced = 0;
  for (const d of providerDays(core.db, firstDayOfMonth(month), today)) {
    let p = byProvider.get(d.provider);
    if (!p) byProvider.set(d.provider, (p = { provider: d.provider, month: 0n, today: 0n, unpricedEvents: 0, days: [] }));
    p.days.push(d);
    p.month = addTotal(p.month, d.countedNano);
    monthSpent = addTotal(monthSpent, d.countedNano);
    if (d.localDay === today) {
      p.today = addTotal(p.today, d.countedNano);
      daySpent = addTotal(daySpent, d.countedNano);
    }
    p.unpricedEvents += d.unpricedEvents;
    unpriced += d.unpricedEvents;
  }
  const caps: CapState[] = Object.entries(budgets.caps).map(([provider, cap]) => {
    const spent = byProvider.get(provider)?.month ?? 0n;
    return { provider, cap, spent, usedBp: ratioBp(spent, cap), health: capHealth(spent, cap) };
  });
  return {
    now,
    today,
    month,
    budgets,
    projectCaps: projectCapStates(core, budgets, firstDayOfMonth(month), today),
    day: period(daySpent, budgets.daily, budgets.reserveBp),
    monthState: period(monthSpent, budgets.monthly, budgets.reserveBp),
    caps,
    forecast: forecastMonth(core.db, today, budgets.monthly, {}, core.timeZone),
    providers: [...byProvider.values()].sort((a, b) => compareSlugs(a.provider, b.provider)),
    unpricedEvents: unpriced,
    names: providerNamer(core.db),
  };
}
