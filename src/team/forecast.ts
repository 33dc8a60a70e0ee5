import { addTotal, subTotal, type NanoTotal } from '../money';
import { projectMonth, type Projection } from '../budget/forecast';
import type { TeamSnapshot } from './snapshot';

/**
 * The team's month-end forecast: the personal forecast's projection (src/budget/forecast.ts,
 * docs/budget.md "Forecast") over the team's counted days instead of one ledger's. Subscription
 * fees are month-to-date but not a burn rate, as for one machine. Two differences, both because
 * the shared store holds daily rollups only: fees a member will still be charged this month are
 * not known to the store (their days are written up to today), and providers measured by readings
 * are projected with the rest rather than as a stream of their own.
 */
export function teamForecast(snapshot: Pick<TeamSnapshot, 'days' | 'figures' | 'historyStart' | 'budgets'>): Projection {
  const variable = new Map<string, NanoTotal>();
  for (const d of snapshot.days) variable.set(d.localDay, addTotal(variable.get(d.localDay) ?? 0n, subTotal(d.countedNano, d.feesNano)));
  return projectMonth({
    today: snapshot.figures.today,
    variable,
    historyStart: snapshot.historyStart,
    monthToDate: snapshot.figures.monthSpent,
    monthly: snapshot.budgets.monthly,
  });
}
