import { z } from '../../model/zod';
import { method } from '../define';
import type { PruneResult } from '../../close/retention';
import { isoMonth, noFields, type Usd } from '../schemas';

// ---- results ------------------------------------------------------------------------------------

export type MonthCloseState = 'open' | 'not_closed' | 'running' | 'waiting' | 'retrying' | 'closed';

export interface CloseStepView {
  step: 'finals' | 'sync' | 'reconcile' | 'freeze' | 'report' | 'send';
  status: 'done' | 'current' | 'pending';
  finishedAt: string | null;
  /** What the step found (providers synced, totals frozen, channels sent to). */
  detail: Record<string, unknown> | null;
}

/** Why a close stopped at a step, as data: the window words it from these, never from lastError. */
export interface CloseFailureView {
  step: CloseStepView['step'];
  /** The provider whose sync failed (the sync step); null for the other steps. */
  provider: string | null;
  /** The step's error, without the step's or the provider's name. */
  message: string;
}

export interface AdjustmentView {
  id: number;
  provider: string;
  /** Signed: the change to the month's counted total after it was frozen. */
  deltaUsd: Usd;
  /** What wrote it: reading, record, sync, prices, subscription, … */
  reason: string;
  createdAt: string;
}

export interface MonthCloseView {
  month: string;
  state: MonthCloseState;
  /** The step it stands at (null when never started; 'done' once closed). */
  step: string | null;
  steps: CloseStepView[];
  attempts: number;
  nextAttemptAt: string | null;
  /**
   * One line, as the CLI prints it: a wait's sentence, or a failed step's code and error
   * ("send: the report is still waiting for …", "sync: openai: …").
   */
  lastError: string | null;
  /** The failed step, its provider and its error; null while nothing failed (a wait is no failure). */
  failure: CloseFailureView | null;
  startedAt: string | null;
  closedAt: string | null;
  /** What counts now for the month (frozen total plus adjustments, once closed). */
  totalUsd: Usd;
  /** The counted total when the month was frozen; null before. */
  frozenUsd: Usd | null;
  adjustments: AdjustmentView[];
  reportBuiltAt: string | null;
  deliveries: { channelId: number; kind: string; status: 'pending' | 'delivered' | 'failed'; attempts: number; lastError: string | null; deliveredAt: string | null }[];
  /** Per-request events of (part of) the month were pruned: history comes from daily rollups. */
  rawDetail: 'kept' | 'pruned';
}

export interface MonthStatusResult {
  asOf: string;
  timezone: string;
  months: MonthCloseView[];
  settings: { afterDays: number; finalsWaitHours: number; retentionDays: number };
  /** Raw events of local days before this were pruned; null: none ever. */
  prunedBefore: string | null;
}

export interface ReportResult {
  month: string;
  format: 'html' | 'csv';
  /** 'stored': as built by the close (and sent); 'built': built now from the ledger. */
  origin: 'stored' | 'built';
  content: string;
}

/** What a prune removed (or would), and the space: src/close/retention.ts. */
export type { PruneResult as PruneView } from '../../close/retention';

// ---- methods ------------------------------------------------------------------------------------

const flag = () => z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

export const closeMethods = {
  monthClose: method<MonthCloseView>()({
    kind: 'write',
    description:
      'Close a month (default: the previous one): wait for missing final figures, sync every API provider for the month, reconcile, freeze its figures, build the report and send it to the channels that take reports. Resumes a close that stopped.',
    input: () => z.object({ month: isoMonth().optional(), skipFinals: flag().optional() }).strict(),
  }),
  monthStatus: method<MonthStatusResult>()({
    kind: 'read',
    description: 'Where each month stands: open, not closed, being closed (with the step, its error and next try) or closed (with adjustments made since).',
    input: noFields,
  }),
  report: method<ReportResult>()({
    kind: 'read',
    description: "A month's report as self-contained HTML (inline SVG charts, printable) or CSV.",
    input: () => z.object({ month: isoMonth(), format: z.enum(['html', 'csv']).default('html'), fresh: flag().optional() }).strict(),
  }),
  prune: method<PruneResult>()({
    kind: 'write',
    description: 'Remove raw usage events older than the retention period (90 days) of closed months, keeping their daily rollups; dryRun says what would go and the space it frees.',
    input: () => z.object({ dryRun: flag().optional() }).strict(),
  }),
  closeSettingsSet: method<MonthStatusResult['settings']>()({
    kind: 'write',
    description: 'Days after a month ends that the scheduler closes it, hours a close waits for final figures, days raw events are kept.',
    input: () => z
      .object({
        afterDays: z.coerce.number().int().min(0).max(28).optional(),
        finalsWaitHours: z.coerce.number().int().min(0).max(24 * 28).optional(),
        retentionDays: z.coerce.number().int().min(35, 'must be at least 35 days (a month and its close)').max(3650).optional(),
      })
      .strict(),
  }),
};
