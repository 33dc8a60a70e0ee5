import type { Database } from 'better-sqlite3';
import { TIER_RANK, tierOf, type Tier } from '../ledger/sources';
import { providerDays } from '../ledger/spend';
import { absTotal, addTotal, compareTotals, ratioBp, subTotal, type NanoTotal } from '../money';

/**
 * Billed vs estimated for one provider and local day. Computed from the same read model as every
 * total (providerDays over daily_rollups), so reconciliation sees exactly what the rule for totals
 * sees: the billed tier is what counted, and `estimatedNano` is what would have counted without it.
 */
export interface ReconciledDay {
  provider: string;
  localDay: string;
  billedNano: NanoTotal;
  /**
   * The strongest non-billed tier's amount (readings, else reported, else estimates): what would have
   * counted without the bill. Never two tiers added together; null when there is none.
   */
  estimatedNano: NanoTotal | null;
  estimateTier: 'readings' | 'reported' | 'estimates' | null;
  /** estimated - billed (positive: the estimate was above the bill); null without an estimate. */
  driftNano: NanoTotal | null;
  /** driftNano / billed in basis points; null when billed is 0 or there is no estimate. */
  driftBp: number | null;
  /** Share of billed spend that had an estimate: 10000 or 0 per day; null when billed is 0. */
  coverageBp: number | null;
  /** Events of the estimate tier that had no price: the estimate misses their cost. */
  unpricedEvents: number;
  /** Every non-billed rollup source present that day (api_usage, manual, odometer, …), in nano. */
  bySource: Record<string, NanoTotal>;
}

type Ranked = Exclude<Tier, 'subscription'>;

/** Unpriced events per (day, provider, rollup source): providerDays only counts them for the counted tier. */
function unpricedBySource(db: Database, from: string, to: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT local_day, provider, source, SUM(unpriced_events) AS n FROM daily_rollups
       WHERE local_day BETWEEN ? AND ? AND unpriced_events > 0 GROUP BY local_day, provider, source`,
    )
    .all(from, to) as { local_day: string; provider: string; source: string; n: number }[];
  return new Map(rows.map((r) => [`${r.local_day}|${r.provider}|${r.source}`, r.n]));
}

/**
 * Every (provider, local day) in [from, to] that has billed data, with its estimate and drift.
 * Sorted by provider, then day, so the result (and its fingerprint) is deterministic.
 */
export function reconcileDays(db: Database, from: string, to: string): ReconciledDay[] {
  const unpriced = unpricedBySource(db, from, to);
  const out: ReconciledDay[] = [];
  for (const day of providerDays(db, from, to)) {
    const billed = day.byTier.billed;
    if (billed === undefined) continue;
    // The estimate that would have counted without the bill: the strongest ranked tier below billed
    // (readings > reported > estimates). Tiers are never added together here either: a usage API's
    // api_usage already holds every request a proxy or agent log saw, so adding them counts twice.
    let tier: Ranked | null = null;
    for (const candidate of ['readings', 'reported', 'estimates'] as const) {
      if (day.byTier[candidate] !== undefined && (tier === null || TIER_RANK[candidate] < TIER_RANK[tier])) tier = candidate;
    }
    const bySource: Record<string, NanoTotal> = {};
    let unpricedEvents = 0;
    for (const [source, amount] of Object.entries(day.bySource)) {
      const t = tierOf(source);
      if (t === 'billed' || t === 'subscription') continue;
      bySource[source] = amount;
      if (t === tier) unpricedEvents += unpriced.get(`${day.localDay}|${day.provider}|${source}`) ?? 0;
    }
    const estimated = tier === null ? null : (day.byTier[tier] ?? 0n);
    const drift = estimated === null ? null : subTotal(estimated, billed);
    out.push({
      provider: day.provider,
      localDay: day.localDay,
      billedNano: billed,
      estimatedNano: estimated,
      estimateTier: tier === 'readings' || tier === 'reported' || tier === 'estimates' ? tier : null,
      driftNano: drift,
      driftBp: drift === null ? null : ratioBp(drift, billed),
      coverageBp: billed === 0n ? null : estimated === null ? 0 : 10_000,
      unpricedEvents,
      bySource: sortedRecord(bySource),
    });
  }
  return out.sort((a, b) => a.provider.localeCompare(b.provider) || a.localDay.localeCompare(b.localDay));
}

function sortedRecord(r: Record<string, NanoTotal>): Record<string, NanoTotal> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}

/** Aggregate drift over a set of reconciled days (one provider, or one source of it). */
export interface DriftTotals {
  /** Days with billed data. */
  days: number;
  /** Of those, days that had an estimate. */
  coveredDays: number;
  billedNano: NanoTotal;
  /** Billed spend on days that had an estimate: what the drift figures speak for. */
  coveredBilledNano: NanoTotal;
  estimatedNano: NanoTotal;
  /** Σ estimated - Σ covered billed: over- and under-estimates of different days offset. */
  driftNano: NanoTotal;
  driftBp: number | null;
  /** Σ |estimated - billed| per day: the day-by-day error, which does not offset. */
  absDriftNano: NanoTotal;
  absDriftBp: number | null;
  coverageBp: number | null;
  unpricedEvents: number;
}

export function totalsOf(days: readonly ReconciledDay[]): DriftTotals {
  let billed = 0n;
  let covered = 0n;
  let estimated = 0n;
  let abs = 0n;
  let coveredDays = 0;
  let unpricedEvents = 0;
  for (const d of days) {
    billed = addTotal(billed, d.billedNano);
    if (d.estimatedNano === null || d.driftNano === null) continue;
    coveredDays++;
    covered = addTotal(covered, d.billedNano);
    estimated = addTotal(estimated, d.estimatedNano);
    abs = addTotal(abs, absTotal(d.driftNano));
    unpricedEvents += d.unpricedEvents;
  }
  const drift = subTotal(estimated, covered);
  return {
    days: days.length,
    coveredDays,
    billedNano: billed,
    coveredBilledNano: covered,
    estimatedNano: estimated,
    driftNano: drift,
    driftBp: coveredDays === 0 ? null : ratioBp(drift, covered),
    absDriftNano: abs,
    absDriftBp: coveredDays === 0 ? null : ratioBp(abs, covered),
    coverageBp: ratioBp(covered, billed),
    unpricedEvents,
  };
}

/** Drift of one estimate source on its own, over the days where it was present. */
export interface SourceDrift {
  source: string;
  days: number;
  billedNano: NanoTotal;
  estimatedNano: NanoTotal;
  driftNano: NanoTotal;
  driftBp: number | null;
}

export function sourceDrifts(days: readonly ReconciledDay[]): SourceDrift[] {
  const by = new Map<string, SourceDrift>();
  for (const d of days) {
    for (const [source, amount] of Object.entries(d.bySource)) {
      const s = by.get(source) ?? { source, days: 0, billedNano: 0n, estimatedNano: 0n, driftNano: 0n, driftBp: null };
      s.days++;
      s.billedNano = addTotal(s.billedNano, d.billedNano);
      s.estimatedNano = addTotal(s.estimatedNano, amount);
      by.set(source, s);
    }
  }
  return [...by.values()]
    .map((s) => {
      const drift = subTotal(s.estimatedNano, s.billedNano);
      return { ...s, driftNano: drift, driftBp: ratioBp(drift, s.billedNano) };
    })
    .sort((a, b) => a.source.localeCompare(b.source));
}

/** Group by provider, keeping the input order inside each group. */
export function byProvider(days: readonly ReconciledDay[]): Map<string, ReconciledDay[]> {
  const m = new Map<string, ReconciledDay[]>();
  for (const d of days) {
    const list = m.get(d.provider);
    if (list) list.push(d);
    else m.set(d.provider, [d]);
  }
  return new Map([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Days with the largest relative drift first (then the largest absolute), covered days with a bill only. */
export function worstDays(days: readonly ReconciledDay[], limit: number): ReconciledDay[] {
  return days
    .filter((d) => d.driftBp !== null && d.driftNano !== null)
    .sort(
      (a, b) =>
        Math.abs(b.driftBp!) - Math.abs(a.driftBp!) ||
        compareTotals(absTotal(b.driftNano!), absTotal(a.driftNano!)) ||
        a.localDay.localeCompare(b.localDay) ||
        a.provider.localeCompare(b.provider),
    )
    .slice(0, limit);
}
