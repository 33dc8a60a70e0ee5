import { z } from '../../model/zod';
import { method } from '../define';
import { isoDate, providerSlug, type Usd } from '../schemas';
import type { AttentionItem } from './core';

// ---- results ------------------------------------------------------------------------------------

/** One provider and local day that has billed data: billed vs what the estimates said. */
export interface ReconciledDayView {
  provider: string;
  date: string;
  billedUsd: Usd;
  /** The estimate that would have counted without the bill (readings, else reported, else estimates); null: none. */
  estimatedUsd: Usd | null;
  estimateTier: 'readings' | 'reported' | 'estimates' | null;
  /** estimated - billed: positive when the estimate was above the bill. */
  driftUsd: Usd | null;
  /** Drift relative to the bill, in basis points (100 bp = 1 %); null when billed is 0 or no estimate. */
  driftBp: number | null;
  /** Share of the billed spend that had an estimate (10000 = all); null when billed is 0. */
  coverageBp: number | null;
  /** Estimated events without a known price: the estimate misses their cost. */
  unpricedEvents: number;
  /** Every estimate source present that day (api_usage, manual, proxy, agent_log, odometer, balance). */
  bySourceUsd: Record<string, Usd>;
}

/** Drift over several days. Drift figures speak for the covered billed spend only. */
export interface DriftSummary {
  days: number;
  coveredDays: number;
  billedUsd: Usd;
  coveredBilledUsd: Usd;
  estimatedUsd: Usd;
  /** Σ estimated - Σ billed over covered days (over- and under-estimates offset). */
  driftUsd: Usd;
  driftBp: number | null;
  /** Σ |estimated - billed| per day (they do not offset). */
  absDriftUsd: Usd;
  absDriftBp: number | null;
  coverageBp: number | null;
  unpricedEvents: number;
}

export interface SourceDriftView {
  source: string;
  days: number;
  billedUsd: Usd;
  estimatedUsd: Usd;
  driftUsd: Usd;
  driftBp: number | null;
}

export interface ReconcileRunView {
  id: number;
  ranAt: string;
  /** The last time a run confirmed these figures (re-runs on unchanged data only move this). */
  checkedAt: string;
  from: string;
  to: string;
  timezone: string;
}

export interface ReconcileResult {
  run: ReconcileRunView;
  /** False when the figures were identical to the latest run: nothing new was stored. */
  changed: boolean;
  providers: ({ provider: string } & DriftSummary & { sources: SourceDriftView[] })[];
  days: ReconciledDayView[];
}

export interface ProviderAccuracyView {
  provider: string;
  last7: DriftSummary;
  last30: DriftSummary;
  /** Each estimate source on its own against the bill, last 30 days. */
  sources: SourceDriftView[];
  /** Which window the attention check used: the last 7 days when they had estimates, else 30. */
  checked: '7d' | '30d' | null;
  exceedsThreshold: boolean;
}

export interface AccuracySummary {
  asOf: string;
  timezone: string;
  thresholdBp: number;
  lastRun: ReconcileRunView | null;
  last7: { from: string; to: string };
  last30: { from: string; to: string };
  providers: ProviderAccuracyView[];
  worstDays: ReconciledDayView[];
  attention: AttentionItem[];
}

// ---- methods ------------------------------------------------------------------------------------

export const reconcileMethods = {
  reconcile: method<ReconcileResult>()({
    kind: 'write',
    description:
      'Compare billed with estimated spend per provider and local day (default: the last 30 complete days) and store the run; unchanged figures store nothing new.',
    input: () => z.object({ from: isoDate().optional(), to: isoDate().optional() }).strict(),
  }),
  accuracy: method<AccuracySummary>()({
    kind: 'read',
    description: 'How far estimates drifted from the bill per provider over the last 7 and 30 days, the worst days, and what needs attention.',
    input: () => z
      .object({
        provider: providerSlug().optional(),
        worst: z.coerce.number().int().min(0).max(100).default(5),
      })
      .strict(),
  }),
};
