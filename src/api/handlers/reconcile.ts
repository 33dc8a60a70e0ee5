import type { Core } from '../../app/open';
import { formatUsd, formatUsdOrNull } from '../../money';
import { accuracy } from '../../reconcile/accuracy';
import { byProvider, sourceDrifts, totalsOf, type DriftTotals, type ReconciledDay, type SourceDrift } from '../../reconcile/compute';
import { DEFAULT_WINDOW_DAYS, defaultWindow, reconcile } from '../../reconcile/run';
import type { StoredRun } from '../../reconcile/store';
import { addDays, assertDate, daysBetween, localDay } from '../../time';
import type { DriftSummary, ReconcileRunView, ReconciledDayView, SourceDriftView, reconcileMethods } from '../contract/reconcile';
import { invalidInput } from '../../model/errors';
import type { HandlersFor } from '../handler';

const MAX_RANGE_DAYS = 366;

function dayView(d: ReconciledDay): ReconciledDayView {
  return {
    provider: d.provider,
    date: d.localDay,
    billedUsd: formatUsd(d.billedNano),
    estimatedUsd: formatUsdOrNull(d.estimatedNano),
    estimateTier: d.estimateTier,
    driftUsd: formatUsdOrNull(d.driftNano),
    driftBp: d.driftBp,
    coverageBp: d.coverageBp,
    unpricedEvents: d.unpricedEvents,
    bySourceUsd: Object.fromEntries(Object.entries(d.bySource).map(([s, v]) => [s, formatUsd(v)])),
  };
}

function summaryView(t: DriftTotals): DriftSummary {
  return {
    days: t.days,
    coveredDays: t.coveredDays,
    billedUsd: formatUsd(t.billedNano),
    coveredBilledUsd: formatUsd(t.coveredBilledNano),
    estimatedUsd: formatUsd(t.estimatedNano),
    driftUsd: formatUsd(t.driftNano),
    driftBp: t.driftBp,
    absDriftUsd: formatUsd(t.absDriftNano),
    absDriftBp: t.absDriftBp,
    coverageBp: t.coverageBp,
    unpricedEvents: t.unpricedEvents,
  };
}

function sourceView(s: SourceDrift): SourceDriftView {
  return {
    source: s.source,
    days: s.days,
    billedUsd: formatUsd(s.billedNano),
    estimatedUsd: formatUsd(s.estimatedNano),
    driftUsd: formatUsd(s.driftNano),
    driftBp: s.driftBp,
  };
}

function runView(r: StoredRun): ReconcileRunView {
  return { id: r.id, ranAt: r.ranAt, checkedAt: r.checkedAt, from: r.from, to: r.to, timezone: r.timezone };
}

/**
 * Resolve and check the range. Neither date: the last 30 complete days. Only --to: the 30 days
 * ending there. Only --from: up to yesterday (or today, when --from is today).
 */
function rangeOf(core: Core, from?: string, to?: string): { from: string; to: string } {
  const today = localDay(core.clock.now(), core.timeZone);
  const fallback = defaultWindow(core);
  if (from !== undefined) assertDate(from, 'The start date');
  if (to !== undefined) assertDate(to, 'The end date');
  const end = to ?? (from !== undefined && from > fallback.to ? today : fallback.to);
  const start = from ?? addDays(end, -(DEFAULT_WINDOW_DAYS - 1));
  if (start > end) throw invalidInput('range_reversed', `The range starts (${start}) after it ends (${end}).`, { from: start, to: end });
  if (end > today) throw invalidInput('range_in_future', `The range ends on ${end}, after today (${today}); nothing has been billed for the future.`, { to: end, today });
  if (daysBetween(start, end) + 1 > MAX_RANGE_DAYS) {
    throw invalidInput('range_too_long', `The range ${start} to ${end} is longer than ${MAX_RANGE_DAYS} days; reconcile it a year at a time.`, { from: start, to: end, maxDays: MAX_RANGE_DAYS });
  }
  return { from: start, to: end };
}

export const reconcileHandlers: HandlersFor<typeof reconcileMethods> = {
  reconcile: (core, input) => {
    const outcome = reconcile(core, rangeOf(core, input.from, input.to));
    return {
      run: runView(outcome.run),
      changed: outcome.changed,
      providers: [...byProvider(outcome.days)].map(([provider, days]) => ({
        provider,
        ...summaryView(totalsOf(days)),
        sources: sourceDrifts(days).map(sourceView),
      })),
      days: outcome.days.map(dayView),
    };
  },
  accuracy: (core, input) => {
    const a = accuracy(core, { ...(input.provider !== undefined ? { provider: input.provider } : {}), worst: input.worst });
    return {
      asOf: a.asOf,
      timezone: a.timezone,
      thresholdBp: a.thresholdBp,
      lastRun: a.lastRun ? runView(a.lastRun) : null,
      last7: a.last7,
      last30: a.last30,
      providers: a.providers.map((p) => ({
        provider: p.provider,
        last7: summaryView(p.last7),
        last30: summaryView(p.last30),
        sources: p.sources.map(sourceView),
        checked: p.checked,
        exceedsThreshold: p.exceeds,
      })),
      worstDays: a.worstDays.map(dayView),
      attention: a.attention,
    };
  },
};
