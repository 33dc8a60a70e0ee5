import type { Database } from 'better-sqlite3';
import { readBudgets } from '../../budget/budgets';
import { forecastMonth } from '../../budget/forecast';
import { countedRollups, providerDays } from '../../ledger/spend';
import { spendSummary } from '../../ledger/summary';
import { addTotal, compareTotals, ratioBp, subTotal, sumTotal, type Nano, type NanoTotal } from '../../money';
import { balanceRunways } from '../../odometer/runway';
import { providerNamer } from '../../providers/names';
import { byProvider, reconcileDays, totalsOf } from '../../reconcile/compute';
import { addDays, eachDay } from '../../time';
import { adjustmentsOf, frozenTotals, type Adjustment } from '../freeze';
import { getClose, monthDays } from '../steps';
import { prunedBefore } from '../retention';

/**
 * Everything the monthly report shows, read from the ledger's read models (rollups, billed rows,
 * reconciliation, readings), so it can be built for any month, also after its raw events were
 * pruned. Amounts stay integer nano-USD here; only the renderers format them.
 */

export interface ReportData {
  month: string;
  timezone: string;
  builtAt: string;
  close: { state: string; closedAt: string | null } | null;
  totalNano: NanoTotal;
  budgetNano: Nano | null;
  /** total / budget in basis points; null without a budget. */
  budgetUsedBp: number | null;
  providers: { provider: string; name: string; countedNano: NanoTotal; frozenNano: NanoTotal | null; tier: string }[];
  models: { provider: string; model: string; costNano: NanoTotal; events: number; unpricedEvents: number }[];
  projects: { project: string; costNano: NanoTotal }[];
  days: { day: string; nano: NanoTotal }[];
  topDays: { day: string; nano: NanoTotal }[];
  drift: { provider: string; billedNano: NanoTotal; estimatedNano: NanoTotal; driftNano: NanoTotal; driftBp: number | null; coveredDays: number; days: number }[];
  forecast: { madeOn: string; forecastNano: NanoTotal; actualNano: NanoTotal; errorNano: NanoTotal; errorBp: number | null } | null;
  subscriptions: { provider: string; name: string; chargedNano: NanoTotal }[];
  balances: { provider: string; balanceNano: Nano; perDayNano: NanoTotal | null; runwayDays: number | null }[];
  unpriced: { provider: string; model: string; events: number }[];
  adjustments: Adjustment[];
  /** The name shown for each provider slug above (the name typed for a subscription's own slug). */
  names: Record<string, string>;
  /** Raw per-request events of this month were pruned: per-request detail (and projects of estimates) is gone. */
  rawPruned: boolean;
}

function tierWord(tiers: Set<string>): string {
  return [...tiers].sort().join(' + ') || '—';
}

export function reportData(db: Database, month: string, now: Date, timeZone: string): ReportData {
  const { from, to } = monthDays(month);
  const pDays = providerDays(db, from, to);
  const byProv = new Map<string, { nano: NanoTotal; tiers: Set<string> }>();
  const byDay = new Map<string, NanoTotal>();
  for (const d of pDays) {
    const p = byProv.get(d.provider) ?? { nano: 0n, tiers: new Set<string>() };
    p.nano = addTotal(p.nano, d.countedNano);
    p.tiers.add(d.countedTier);
    byProv.set(d.provider, p);
    byDay.set(d.localDay, addTotal(byDay.get(d.localDay) ?? 0n, d.countedNano));
  }
  const totalNano = sumTotal([...byProv.values()].map((p) => p.nano));
  const frozen = frozenTotals(db, month);
  const budgetNano = readBudgets(db).monthly;

  const models = new Map<string, ReportData['models'][number]>();
  const unpriced = new Map<string, ReportData['unpriced'][number]>();
  for (const r of countedRollups(db, from, to)) {
    if (r.source === 'subscription') continue;
    const key = `${r.provider}|${r.model}`;
    const m = models.get(key) ?? { provider: r.provider, model: r.model, costNano: 0n, events: 0, unpricedEvents: 0 };
    m.costNano = addTotal(m.costNano, r.costNano);
    m.events += r.events;
    m.unpricedEvents += r.unpricedEvents;
    models.set(key, m);
    if (r.unpricedEvents > 0) {
      const u = unpriced.get(key) ?? { provider: r.provider, model: r.model, events: 0 };
      u.events += r.unpricedEvents;
      unpriced.set(key, u);
    }
  }

  const days = eachDay(from, to).map((day) => ({ day, nano: byDay.get(day) ?? 0n }));
  const topDays = [...days].filter((d) => d.nano > 0n).sort((a, b) => compareTotals(b.nano, a.nano) || a.day.localeCompare(b.day)).slice(0, 5);

  const drift = [...byProvider(reconcileDays(db, from, to))].map(([provider, list]) => {
    const t = totalsOf(list);
    return { provider, billedNano: t.billedNano, estimatedNano: t.estimatedNano, driftNano: t.driftNano, driftBp: t.driftBp, coveredDays: t.coveredDays, days: t.days };
  });

  // The forecast as it stood mid-month, from what the ledger holds for the days up to then.
  const madeOn = addDays(from, 14);
  let forecast: ReportData['forecast'] = null;
  if (pDays.some((d) => d.localDay <= madeOn)) {
    const f = forecastMonth(db, madeOn, budgetNano, {}, timeZone);
    const errorNano = subTotal(f.forecast, totalNano);
    forecast = { madeOn, forecastNano: f.forecast, actualNano: totalNano, errorNano, errorBp: ratioBp(errorNano, totalNano) };
  }

  const subscriptions = (
    db
      .prepare(
        `SELECT r.provider, COALESCE((SELECT name FROM subscriptions s WHERE s.provider = r.provider ORDER BY id DESC LIMIT 1), r.provider) AS name,
                SUM(r.cost_nano) AS charged
         FROM daily_rollups r WHERE r.source = 'subscription' AND r.local_day BETWEEN ? AND ? GROUP BY r.provider ORDER BY r.provider`,
      )
        .safeIntegers(true)
      .all(from, to) as { provider: string; name: string; charged: NanoTotal }[]
  ).map((s) => ({ provider: s.provider, name: s.name, chargedNano: s.charged }));

  const balances = balanceRunways(db, now.getTime(), timeZone).map((r) => ({
    provider: r.provider,
    balanceNano: r.balance,
    perDayNano: r.runway.perDay,
    runwayDays: r.runway.runwayDays,
  }));

  const close = getClose(db, month);
  const nameOf = providerNamer(db);
  const pruned = prunedBefore(db);
  const adjustments = adjustmentsOf(db, month);
  const slugs = new Set([...byProv.keys(), ...[...models.values(), ...drift, ...subscriptions, ...balances, ...adjustments].map((x) => x.provider)]);
  return {
    month,
    timezone: timeZone,
    builtAt: now.toISOString(),
    close: close ? { state: close.state, closedAt: close.closed_at } : null,
    totalNano,
    budgetNano,
    budgetUsedBp: budgetNano ? ratioBp(totalNano, budgetNano) : null,
    providers: [...byProv.entries()]
      .map(([provider, p]) => ({ provider, name: nameOf(provider), countedNano: p.nano, frozenNano: frozen.get(provider) ?? null, tier: tierWord(p.tiers) }))
      .sort((a, b) => compareTotals(b.countedNano, a.countedNano) || a.provider.localeCompare(b.provider)),
    models: [...models.values()].sort((a, b) => compareTotals(b.costNano, a.costNano) || a.model.localeCompare(b.model)),
    projects: spendSummary(db, from, to, 'project').groups.map((g) => ({ project: g.key, costNano: g.costNano })),
    days,
    topDays,
    drift,
    forecast,
    subscriptions,
    balances,
    unpriced: [...unpriced.values()].sort((a, b) => b.events - a.events),
    adjustments,
    names: Object.fromEntries([...slugs].map((slug) => [slug, nameOf(slug)])),
    rawPruned: pruned !== null && from < pruned,
  };
}
