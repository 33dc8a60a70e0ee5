import { formatUsd, formatUsdForPeople, type Nano, type NanoTotal } from '../money';
import { displayName } from '../providers/catalog';
import { atLeastShare } from './health';
import type { BudgetSnapshot, PeriodState } from './snapshot';

/**
 * The alert rules. Each fires once per threshold per period (the alerts table's unique key is
 * rule + period + provider):
 *   day_50 / month_50            50 % of spendable          info
 *   day_80 / month_80            80 % of spendable          warning
 *   day_reserve / month_reserve  spending into the reserve   critical
 *   day_exceeded / month_exceeded past the whole budget      critical
 *   cap_80 / cap_100             a provider's monthly cap    warning / critical
 *   project_cap_80 / _100        a project's monthly cap     warning / critical (period YYYY-MM:PROJECT,
 *                                so each project fires once a month; the provider column stays '')
 *   forecast_over                the month will pass its budget at this pace   warning
 * Rules of one family (a budget and its period) are ranked; when several are due at once only the
 * highest is announced and the lower ones are stored as superseded by it.
 */
export type AlertLevel = 'info' | 'warning' | 'critical';

export interface AlertCandidate {
  rule: string;
  period: string;
  provider: string;
  level: AlertLevel;
  message: string;
  /** Rules of one family supersede each other by rank. */
  family: string;
  rank: number;
  data: Record<string, unknown>;
}

/** Each rule's family (a budget and its period) and rank within it. */
export const RULES: Readonly<Record<string, { family: 'day' | 'month' | 'cap' | 'project' | 'forecast'; rank: number }>> = {
  day_50: { family: 'day', rank: 1 },
  day_80: { family: 'day', rank: 2 },
  day_reserve: { family: 'day', rank: 3 },
  day_exceeded: { family: 'day', rank: 4 },
  month_50: { family: 'month', rank: 1 },
  month_80: { family: 'month', rank: 2 },
  month_reserve: { family: 'month', rank: 3 },
  month_exceeded: { family: 'month', rank: 4 },
  cap_80: { family: 'cap', rank: 1 },
  cap_100: { family: 'cap', rank: 2 },
  project_cap_80: { family: 'project', rank: 1 },
  project_cap_100: { family: 'project', rank: 2 },
  forecast_over: { family: 'forecast', rank: 1 },
};

/** Rules of the same family ranked below `rule`. */
export function lowerRules(rule: string): string[] {
  const me = RULES[rule];
  if (!me) return [];
  return Object.entries(RULES)
    .filter(([, r]) => r.family === me.family && r.rank < me.rank)
    .map(([name]) => name);
}

/** Rules of the same family ranked above `rule`. */
export function higherRules(rule: string): string[] {
  const me = RULES[rule];
  if (!me) return [];
  return Object.entries(RULES)
    .filter(([, r]) => r.family === me.family && r.rank > me.rank)
    .map(([name]) => name);
}

/** The forecast needs a few complete days before it may raise an alarm. */
export const MIN_FORECAST_BASIS_DAYS = 3;

const usd = (n: Nano | NanoTotal) => formatUsdForPeople(n);

function budgetRules(kind: 'day' | 'month', periodKey: string, state: PeriodState): AlertCandidate[] {
  const split = state.split;
  if (!split || state.spent <= 0) return [];
  const spent = state.spent;
  const whose = kind === 'day' ? "Today's spend" : "This month's spend";
  const which = kind === 'day' ? 'daily' : 'monthly';
  const data = { spentUsd: formatUsd(spent), budgetUsd: formatUsd(split.budget), spendableUsd: formatUsd(split.spendable), reserveUsd: formatUsd(split.reserve) };
  const out: AlertCandidate[] = [];
  const add = (suffix: string, rank: number, level: AlertLevel, message: string) =>
    out.push({ rule: `${kind}_${suffix}`, period: periodKey, provider: '', level, message, family: kind, rank, data });
  for (const [pct, rank, level] of [
    [50, 1, 'info'],
    [80, 2, 'warning'],
  ] as const) {
    if (atLeastShare(spent, split.spendable, pct * 100)) {
      add(String(pct), rank, level, `${whose} reached ${pct}% of the spendable ${which} budget: ${usd(spent)} of ${usd(split.spendable)}.`);
    }
  }
  if (spent > split.spendable) {
    add('reserve', 3, 'critical', `${whose} is into the reserve: ${usd(spent)} of the ${usd(split.budget)} ${which} budget (${usd(split.spendable)} spendable).`);
  }
  if (spent > split.budget) {
    add('exceeded', 4, 'critical', `${whose} exceeded the ${which} budget: ${usd(spent)} of ${usd(split.budget)}.`);
  }
  return out;
}

/** Every alert whose condition holds now (the store keeps only the first of each). */
export function dueAlerts(s: BudgetSnapshot): AlertCandidate[] {
  const out = [...budgetRules('day', s.today, s.day), ...budgetRules('month', s.month, s.monthState)];
  for (const cap of s.caps) {
    const name = (s.names ?? displayName)(cap.provider);
    const data = { spentUsd: formatUsd(cap.spent), capUsd: formatUsd(cap.cap) };
    const family = `cap:${cap.provider}`;
    if (cap.health !== 'good') {
      out.push({
        rule: 'cap_80', period: s.month, provider: cap.provider, level: 'warning', family, rank: 1, data,
        message: `${name} reached 80% of its monthly cap: ${usd(cap.spent)} of ${usd(cap.cap)}.`,
      });
    }
    if (cap.health === 'critical' || cap.health === 'exceeded') {
      out.push({
        rule: 'cap_100', period: s.month, provider: cap.provider, level: 'critical', family, rank: 2, data,
        message: `${name} reached its monthly cap: ${usd(cap.spent)} of ${usd(cap.cap)}.`,
      });
    }
  }
  for (const cap of s.projectCaps) {
    const data = { project: cap.project, spentUsd: formatUsd(cap.spent), capUsd: formatUsd(cap.cap) };
    const base = { period: `${s.month}:${cap.project}`, provider: '', family: `project:${cap.project}`, data };
    if (cap.health !== 'good') {
      out.push({ ...base, rule: 'project_cap_80', level: 'warning', rank: 1, message: `Project "${cap.project}" reached 80% of its monthly cap: ${usd(cap.spent)} of ${usd(cap.cap)}.` });
    }
    if (cap.health === 'critical' || cap.health === 'exceeded') {
      out.push({ ...base, rule: 'project_cap_100', level: 'critical', rank: 2, message: `Project "${cap.project}" reached its monthly cap: ${usd(cap.spent)} of ${usd(cap.cap)}.` });
    }
  }
  const f = s.forecast;
  const monthly = s.budgets.monthly;
  if (monthly !== null && f.runsOutOn !== null && f.basisDays >= MIN_FORECAST_BASIS_DAYS) {
    out.push({
      rule: 'forecast_over', period: s.month, provider: '', level: 'warning', family: 'forecast', rank: 1,
      data: { forecastUsd: formatUsd(f.forecast), budgetUsd: formatUsd(monthly), runsOutOn: f.runsOutOn },
      message: `At this pace the month will exceed its budget of ${usd(monthly)} on ${f.runsOutOn} (forecast ${usd(f.forecast)} by month end).`,
    });
  }
  return out;
}
