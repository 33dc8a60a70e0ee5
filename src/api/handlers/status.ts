import type { Core } from '../../core';
import { listAlerts } from '../../budget/alerts';
import { readBudgets } from '../../budget/budgets';
import { forecastMonth } from '../../budget/forecast';
import { healthOf, splitBudget } from '../../budget/health';
import { providerDays, type ProviderDay } from '../../ledger/spend';
import { addNano, formatUsd, formatUsdOrNull } from '../../money';
import { activeReminders } from '../../odometer/reminders';
import { defaultModeOf, type TrackingMode } from '../../providers/catalog';
import { firstDayOfMonth, localDay } from '../../time';
import type { AttentionItem, ProviderStatus, Status } from '../contract/core';

const SOURCE_LABEL: Record<string, string> = {
  billed: 'billed',
  readings: 'readings',
  estimates: 'estimate',
  subscription: 'subscription',
};

function modes(core: Core): Map<string, TrackingMode> {
  const rows = core.db.prepare("SELECT provider, mode FROM provider_accounts WHERE account = 'default'").all() as {
    provider: string;
    mode: TrackingMode;
  }[];
  return new Map(rows.map((r) => [r.provider, r.mode]));
}

function sourceLabel(day: ProviderDay): string {
  if (day.countedTier === 'readings') return day.bySource.balance !== undefined ? 'balance' : 'odometer';
  return SOURCE_LABEL[day.countedTier] ?? day.countedTier;
}

/** The status document (design.md: `status --json`). */
export function buildStatus(core: Core): Status {
  const now = core.clock.now();
  const today = localDay(now, core.timeZone);
  const month = today.slice(0, 7);
  const days = providerDays(core.db, firstDayOfMonth(month), today);
  const budgets = readBudgets(core.db);
  const configured = modes(core);
  const activity = new Map(
    (core.db.prepare('SELECT provider, last_write_at FROM provider_activity').all() as { provider: string; last_write_at: string }[]).map(
      (r) => [r.provider, r.last_write_at],
    ),
  );

  const perProvider = new Map<string, ProviderDay[]>();
  for (const d of days) perProvider.set(d.provider, [...(perProvider.get(d.provider) ?? []), d]);
  for (const p of configured.keys()) if (!perProvider.has(p)) perProvider.set(p, []);

  let daySpent = 0;
  let monthSpent = 0;
  let unpriced = 0;
  const providers: ProviderStatus[] = [];
  for (const [provider, pdays] of [...perProvider.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    let m = 0;
    let t = 0;
    let shownApart = 0;
    let hasApart = false;
    let unpricedHere = 0;
    for (const d of pdays) {
      m = addNano(m, d.countedNano);
      if (d.localDay === today) t = addNano(t, d.countedNano);
      unpricedHere += d.unpricedEvents;
      if (d.countedTier === 'billed' && (d.byTier.estimates !== undefined || d.byTier.readings !== undefined)) {
        hasApart = true;
        shownApart = addNano(shownApart, addNano(d.byTier.estimates ?? 0, d.byTier.readings ?? 0));
      }
    }
    const latest = pdays.at(-1);
    daySpent = addNano(daySpent, t);
    monthSpent = addNano(monthSpent, m);
    unpriced += unpricedHere;
    providers.push({
      provider,
      monthSpentUsd: formatUsd(m),
      todaySpentUsd: formatUsd(t),
      source: latest ? sourceLabel(latest) : 'none',
      mode: configured.get(provider) ?? defaultModeOf(provider),
      lastUpdatedAt: activity.get(provider) ?? null,
      unpricedEvents: unpricedHere,
      estimatedMonthUsd: hasApart ? formatUsd(shownApart) : null,
    });
  }

  const daySplit = budgets.daily !== null ? splitBudget(budgets.daily, budgets.reserveBp) : null;
  const monthSplit = budgets.monthly !== null ? splitBudget(budgets.monthly, budgets.reserveBp) : null;
  const forecast = forecastMonth(core.db, today, budgets.monthly);
  const dayHealth = daySplit ? healthOf(daySpent, daySplit) : null;
  const monthHealth = monthSplit ? healthOf(monthSpent, monthSplit) : null;
  const reminders = activeReminders(core);
  const alerts = listAlerts(core.db);

  const attention: AttentionItem[] = [];
  if (dayHealth === 'exceeded' || dayHealth === 'critical') {
    attention.push({ kind: 'budget_day', severity: 'critical', message: `Today's spend is ${dayHealth === 'exceeded' ? 'over the daily budget' : 'into the reserve'}.` });
  }
  if (monthHealth === 'exceeded' || monthHealth === 'critical') {
    attention.push({ kind: 'budget_month', severity: 'critical', message: `This month's spend is ${monthHealth === 'exceeded' ? 'over the monthly budget' : 'into the reserve'}.` });
  }
  if (forecast.runsOutOn) {
    attention.push({ kind: 'forecast', severity: 'warning', message: `At this pace the monthly budget runs out on ${forecast.runsOutOn}.` });
  }
  for (const r of reminders) attention.push({ kind: `reminder_${r.kind}`, severity: 'info', message: r.message, provider: r.provider });
  if (unpriced > 0) {
    attention.push({ kind: 'unpriced', severity: 'warning', message: `${unpriced} usage row${unpriced === 1 ? ' has' : 's have'} no known price this month; add a price (burnrate prices) or record a cost.` });
  }

  return {
    asOf: now.toISOString(),
    timezone: core.timeZone,
    day: {
      date: today,
      spentUsd: formatUsd(daySpent),
      budgetUsd: formatUsdOrNull(daySplit?.budget),
      reserveUsd: formatUsdOrNull(daySplit?.reserve),
      spendableUsd: formatUsdOrNull(daySplit?.spendable),
      health: dayHealth,
    },
    month: {
      month,
      spentUsd: formatUsd(monthSpent),
      budgetUsd: formatUsdOrNull(monthSplit?.budget),
      reserveUsd: formatUsdOrNull(monthSplit?.reserve),
      forecastUsd: formatUsd(forecast.forecast),
      health: monthHealth,
      runsOutOn: forecast.runsOutOn,
    },
    providers,
    reminders,
    alerts,
    attention,
    unpricedEvents: unpriced,
  };
}
