import type { AttentionItem } from '../model/views';
import type { Core } from '../model/context';
import { getSetting } from '../ledger/settings';
import { absTotal, formatPercentForPeople, formatUsdForPeople, parseUsd, type Nano } from '../money';
import { providerNamer } from '../providers/names';
import { addDays, localDay } from '../time';
import { byProvider, sourceDrifts, totalsOf, worstDays, type DriftTotals, type ReconciledDay, type SourceDrift } from './compute';
import { latestDays, latestRun, type StoredRun } from './store';

/** Settings key of the attention threshold, in basis points of the billed spend (500 = 5 %). */
export const DRIFT_THRESHOLD_KEY = 'drift_threshold_bp';
export const DEFAULT_DRIFT_THRESHOLD_BP = 500;
/** A drift smaller than this in dollars is noise, whatever its percentage (a cent on a two-cent day). */
export const MIN_ATTENTION_DRIFT_NANO: Nano = parseUsd('0.10');

export function driftThresholdBp(core: Core): number {
  const raw = getSetting<unknown>(core.db, DRIFT_THRESHOLD_KEY, DEFAULT_DRIFT_THRESHOLD_BP);
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_DRIFT_THRESHOLD_BP;
}

/** 1234 bp → "12.34%", exactly (integer arithmetic). */
export function percentText(bp: number): string {
  const abs = Math.abs(bp);
  return `${bp < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

export interface ProviderAccuracy {
  provider: string;
  last7: DriftTotals;
  last30: DriftTotals;
  /** Each estimate source on its own against the bill, over the last 30 days. */
  sources: SourceDrift[];
  /** The window the attention check used (7 days when it has covered days, else 30), or null. */
  checked: '7d' | '30d' | null;
  exceeds: boolean;
}

export interface Accuracy {
  asOf: string;
  timezone: string;
  thresholdBp: number;
  lastRun: StoredRun | null;
  last7: { from: string; to: string };
  last30: { from: string; to: string };
  providers: ProviderAccuracy[];
  worstDays: ReconciledDay[];
  attention: AttentionItem[];
}

/**
 * Drift per provider over the last 7 and 30 complete local days, from the latest reconciliation of
 * each day (the stored runs: figures the user can trace to a run, and which do not flicker with
 * every write to an open day). Late data shows up after the next run (daily, or `burnrate reconcile`).
 */
export function accuracy(core: Core, options: { provider?: string; worst?: number } = {}): Accuracy {
  const now = core.clock.now();
  const yesterday = addDays(localDay(now, core.timeZone), -1);
  const last7 = { from: addDays(yesterday, -6), to: yesterday };
  const last30 = { from: addDays(yesterday, -29), to: yesterday };
  const thresholdBp = driftThresholdBp(core);
  let days = latestDays(core.db, core.timeZone, last30.from, last30.to);
  if (options.provider) days = days.filter((d) => d.provider === options.provider);

  const providers: ProviderAccuracy[] = [];
  const attention: AttentionItem[] = [];
  const nameOf = providerNamer(core.db);
  for (const [provider, pdays] of byProvider(days)) {
    const t7 = totalsOf(pdays.filter((d) => d.localDay >= last7.from));
    const t30 = totalsOf(pdays);
    const checked = t7.coveredDays > 0 ? '7d' : t30.coveredDays > 0 ? '30d' : null;
    const window = checked === '7d' ? t7 : t30;
    const exceeds =
      checked !== null &&
      window.driftBp !== null &&
      Math.abs(window.driftBp) > thresholdBp &&
      absTotal(window.driftNano) >= MIN_ATTENTION_DRIFT_NANO;
    providers.push({ provider, last7: t7, last30: t30, sources: sourceDrifts(pdays), checked, exceeds });
    if (exceeds) attention.push(attentionItem(nameOf(provider), provider, window, checked === '7d' ? 7 : 30));
  }
  return {
    asOf: now.toISOString(),
    timezone: core.timeZone,
    thresholdBp,
    lastRun: latestRun(core.db, core.timeZone),
    last7,
    last30,
    providers,
    worstDays: worstDays(days, options.worst ?? 5),
    attention,
  };
}

function attentionItem(name: string, provider: string, t: DriftTotals, windowDays: number): AttentionItem {
  const direction = t.driftNano < 0 ? 'below' : 'above';
  const unpriced = t.unpricedEvents > 0 ? ` ${t.unpricedEvents} estimated event${t.unpricedEvents === 1 ? ' has' : 's have'} no price.` : '';
  return {
    kind: 'drift',
    severity: 'warning',
    provider,
    message:
      `${name} estimates ran ${formatPercentForPeople(Math.abs(t.driftBp ?? 0))} ${direction} the bill over the last ${windowDays} days ` +
      `(${formatUsdForPeople(t.estimatedNano)} estimated, ${formatUsdForPeople(t.coveredBilledNano)} billed); totals use the billed figures.${unpriced}` +
      ' The accuracy report has the details.',
  };
}

/**
 * The "what needs attention" lines for drift above the threshold (settings key drift_threshold_bp,
 * default 5 %): one per provider, for the status document.
 */
export function driftAttention(core: Core): AttentionItem[] {
  return accuracy(core, { worst: 0 }).attention;
}
