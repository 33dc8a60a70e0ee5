import type { Core } from '../../app/open';
import { listAlerts, plainView } from '../../budget/alerts';
import { attentionList } from '../../budget/attention';
import { balanceRunways, type ProviderRunway } from '../../odometer/runway';
import { budgetSnapshot, type ProviderMonth } from '../../budget/snapshot';
import { TIER_RANK } from '../../ledger/sources';
import type { ProviderDay } from '../../ledger/spend';
import { addTotal, formatUsd, formatUsdOrNull } from '../../money';
import { dueRows } from '../../ledger/view';
import { activeReminders } from '../../odometer/reminders';
import { defaultModeOf, type TrackingMode } from '../../providers/catalog';
import { figuresOf } from '../../sync/figures';
import { listUnreadable } from '../../sync/unreadable';
import { agesOf, sourceAges, type SourceAges } from '../../ledger/freshness';
import type { ProviderStatus, Status } from '../contract/core';
import { compareSlugs } from '../../model/slug-order';

/** How many open alerts status carries (the alerts method lists them all). */
const STATUS_ALERTS = 20;

const SOURCE_LABEL: Record<string, string> = {
  billed: 'billed',
  readings: 'readings',
  reported: 'reported',
  estimates: 'estimate',
  subscription: 'subscription',
};

const RANKED_TIERS = Object.keys(TIER_RANK) as (keyof typeof TIER_RANK)[];

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

/** What status shows beside a provider's spend: balance and runway, kept-aside rows, BYOK. */
interface ProviderExtras {
  runway: ProviderRunway | undefined;
  unreadable: number;
  byok: number | undefined;
}

function providerStatus(p: ProviderMonth, mode: TrackingMode, lastUpdatedAt: string | null, ages: SourceAges, extras: ProviderExtras): ProviderStatus {
  let shownApart = 0n;
  let hasApart = false;
  // Shown apart (contract: estimates for days where billed data won): on each billed day, the figure
  // that would have counted without the bill, i.e. the next tier down, as reconciliation compares.
  for (const d of p.days) {
    if (d.countedTier !== 'billed') continue;
    const next = RANKED_TIERS.filter((tier) => tier !== 'billed' && d.byTier[tier] !== undefined).sort((a, b) => TIER_RANK[a] - TIER_RANK[b])[0];
    if (next === undefined) continue;
    hasApart = true;
    shownApart = addTotal(shownApart, d.byTier[next]!);
  }
  const latest = p.days.at(-1);
  return {
    provider: p.provider,
    monthSpentUsd: formatUsd(p.month),
    todaySpentUsd: formatUsd(p.today),
    source: latest ? sourceLabel(latest) : 'none',
    mode,
    lastUpdatedAt,
    ...ages,
    unpricedEvents: p.unpricedEvents,
    estimatedMonthUsd: hasApart ? formatUsd(shownApart) : null,
    balanceUsd: extras.runway ? formatUsd(extras.runway.balance) : null,
    runwayDays: extras.runway?.runway.runwayDays ?? null,
    unreadableRows: extras.unreadable,
    byokMonthUsd: extras.byok === undefined ? null : formatUsd(extras.byok),
  };
}

/** The status document (design.md: `status --json`). Reads only; alerts fire from the checks. */
export function buildStatus(core: Core): Status {
  // Reads never write: what the catch-up would store now (subscription days, reminders due) comes
  // on the fly through the read's view of the ledger (ledger/view.ts) and activeReminders.
  const s = budgetSnapshot(core);
  const configured = modes(core);
  const activity = new Map(
    (core.db.prepare('SELECT provider, last_write_at FROM provider_activity').all() as { provider: string; last_write_at: string }[]).map(
      (r) => [r.provider, r.last_write_at],
    ),
  );
  // A row due now is written at the catch-up, which stamps its provider's activity with now.
  const nowIso = s.now.toISOString();
  for (const { provider } of dueRows(core.db)) {
    const last = activity.get(provider);
    if (last === undefined || last < nowIso) activity.set(provider, nowIso);
  }
  const providers = new Map(s.providers.map((p) => [p.provider, p]));
  const ages = sourceAges(core.db);
  // A row due now (a subscription's day) is usage the caught-up ledger has: its day counts as recorded usage.
  for (const r of dueRows(core.db)) {
    const a = agesOf(ages, r.provider);
    if (a.lastUsageDay === null || a.lastUsageDay < r.local_day) ages.set(r.provider, { ...a, lastUsageDay: r.local_day });
  }
  const runways = new Map(balanceRunways(core.db, s.now.getTime(), core.timeZone).map((r) => [r.provider, r]));
  const unreadable = new Map<string, number>();
  for (const row of listUnreadable(core.db)) unreadable.set(row.provider, (unreadable.get(row.provider) ?? 0) + 1);
  // BYOK usage is per the provider's (UTC) billing month.
  const byok = figuresOf(core.db, 'byok_month', s.now.toISOString().slice(0, 7));
  for (const slug of new Set([...configured.keys(), ...runways.keys(), ...unreadable.keys(), ...byok.keys()])) {
    if (!providers.has(slug)) providers.set(slug, { provider: slug, month: 0n, today: 0n, unpricedEvents: 0, days: [] });
  }
  const daySplit = s.day.split;
  const monthSplit = s.monthState.split;
  return {
    asOf: s.now.toISOString(),
    timezone: core.timeZone,
    day: {
      date: s.today,
      spentUsd: formatUsd(s.day.spent),
      budgetUsd: formatUsdOrNull(daySplit?.budget),
      reserveUsd: formatUsdOrNull(daySplit?.reserve),
      spendableUsd: formatUsdOrNull(daySplit?.spendable),
      health: s.day.health,
    },
    month: {
      month: s.month,
      spentUsd: formatUsd(s.monthState.spent),
      budgetUsd: formatUsdOrNull(monthSplit?.budget),
      reserveUsd: formatUsdOrNull(monthSplit?.reserve),
      forecastUsd: formatUsd(s.forecast.forecast),
      health: s.monthState.health,
      runsOutOn: s.forecast.runsOutOn,
    },
    providers: [...providers.values()]
      .sort((a, b) => compareSlugs(a.provider, b.provider))
      .map((p) =>
        providerStatus(p, configured.get(p.provider) ?? defaultModeOf(p.provider), activity.get(p.provider) ?? null, agesOf(ages, p.provider), {
          runway: runways.get(p.provider),
          unreadable: unreadable.get(p.provider) ?? 0,
          byok: byok.get(p.provider),
        }),
      ),
    reminders: activeReminders(core),
    alerts: listAlerts(core.db, { limit: STATUS_ALERTS }).map(plainView),
    attention: attentionList(core, s),
    unpricedEvents: s.unpricedEvents,
    unreadableRows: [...unreadable.values()].reduce((a, b) => a + b, 0),
  };
}
