import { z } from '../../model/zod';
import { method } from '../define';
import { isoDate, isoInstant, noFields, printableText, providerSlug, tokenCount, type Usd, usdAmount } from '../schemas';

// ---- results ------------------------------------------------------------------------------------

import type { AlertView, AttentionItem, Health, ProviderStatus, Reminder, Status } from '../../model/views';
export type { AlertView, AttentionItem, Health, ProviderStatus, Reminder, Status };

export interface RecordResult {
  id: string;
  outcome: 'inserted' | 'updated' | 'unchanged';
  provider: string;
  model: string;
  costUsd: Usd | null;
  priced: 'catalogue' | 'given' | 'unpriced';
  localDay: string;
}

export interface ExportResult {
  format: 'csv' | 'json';
  from: string;
  to: string;
  rows: number;
  /** The document itself (CSV text, or JSON text). */
  content: string;
}

export interface UsageRow {
  id: number;
  source: string;
  provider: string;
  model: string;
  project: string;
  occurredAt: string;
  localDay: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  costUsd: Usd | null;
  costOrigin: string;
  externalId: string;
}

export interface HistoryPage {
  rows: UsageRow[];
  total: number;
  /** The cost of every row the filters match (all pages), priced rows only. */
  totalCostUsd: Usd;
  /** Matching rows without a price: in no amount. */
  unpricedRows: number;
  /** Pass as `before` to get the next (older) page; null at the end. */
  nextCursor: string | null;
}

export interface DailySeries {
  from: string;
  to: string;
  days: string[];
  /** Counted spend per provider per day (same order as days). */
  providers: { provider: string; dailyUsd: Usd[] }[];
  byModel: { provider: string; model: string; costUsd: Usd }[];
  dailyBudgetUsd: Usd | null;
}

/** How spendSummary groups spend. */
export const SUMMARY_GROUPS = ['provider', 'model', 'project', 'agent', 'day'] as const;
export type SummaryGroupBy = (typeof SUMMARY_GROUPS)[number];

export interface SpendSummaryGroup {
  /** The provider slug, model, project or local day (YYYY-MM-DD); '' for spend without a model or a project. */
  key: string;
  /** Set when the group belongs to one provider: the provider and model groupings. */
  provider?: string;
  costUsd: Usd;
  /** Counted rows: usage events, readings, fees and billed buckets. */
  events: number;
  /** Fresh (uncached) input tokens. */
  inputTokens: number;
  outputTokens: number;
  /** Of its events, those without a known price: in no amount. All of them: the group is unpriced, not $0. */
  unpricedEvents: number;
}

export interface SpendSummary {
  from: string;
  to: string;
  timezone: string;
  groupBy: SummaryGroupBy;
  /** Counted spend of the range: the sum of the groups, the same whatever the grouping. */
  totalUsd: Usd;
  /** Largest first (ties by key); the day grouping lists every day of the range in date order. */
  groups: SpendSummaryGroup[];
  /** Counted events without a known price: in no amount (never $0). */
  unpricedEvents: number;
}

// ---- methods ------------------------------------------------------------------------------------

const recordInput = () =>
  z
    .object({
      provider: providerSlug(),
      // Printable: these are printed back by summary, history and the window (an escape sequence would be obeyed).
      model: printableText().trim().min(1, 'must name the model').max(200),
      inputTokens: tokenCount().optional(),
      outputTokens: tokenCount().optional(),
      cachedInputTokens: tokenCount().optional(),
      cacheWriteTokens: tokenCount().optional(),
      cost: usdAmount().optional(),
      at: isoInstant().optional(),
      id: printableText().trim().min(1).max(200).optional(),
      project: printableText().trim().max(200).optional(),
      source: z.enum(['manual', 'proxy', 'agent_log']).default('manual'),
    })
    .strict();

const historyInput = () =>
  z
    .object({
      provider: providerSlug().optional(),
      model: z.string().max(200).optional(),
      project: z.string().max(200).optional(),
      source: z.string().max(40).optional(),
      from: isoDate().optional(),
      to: isoDate().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      before: z.string().max(100).optional(),
    })
    .strict();

export const coreMethods = {
  status: method<Status>()({
    kind: 'read',
    description: "Today's and this month's spend against the budgets, per provider, with reminders, alerts and what needs attention.",
    input: noFields,
  }),
  record: method<RecordResult>()({
    kind: 'write',
    description: 'Record one usage event (tokens, or a known cost). The same id twice counts once.',
    input: recordInput,
  }),
  export: method<ExportResult>()({
    kind: 'read',
    description: 'Export usage rows and billed costs of a date range as CSV or JSON (money as decimal strings).',
    input: () => z
      .object({
        format: z.enum(['csv', 'json']).default('csv'),
        from: isoDate().optional(),
        to: isoDate().optional(),
      })
      .strict(),
  }),
  history: method<HistoryPage>()({
    kind: 'read',
    description: 'Usage rows, newest first, filtered and paginated by cursor.',
    input: historyInput,
  }),
  series: method<DailySeries>()({
    kind: 'read',
    description: 'Counted spend per day and provider, and by model, for charts.',
    input: () => z.object({ from: isoDate().optional(), to: isoDate().optional(), days: z.coerce.number().int().min(1).max(366).optional() }).strict(),
  }),
  spendSummary: method<SpendSummary>()({
    kind: 'read',
    description:
      'Counted spend of a range of local days (default: this month to today) grouped by provider, model, project or day; the groups add up exactly to the counted total.',
    input: () => z
      .object({
        from: isoDate().optional(),
        to: isoDate().optional(),
        groupBy: z.enum(SUMMARY_GROUPS, { message: `must be one of ${SUMMARY_GROUPS.join(', ')}` }).default('provider'),
      })
      .strict(),
  }),
};
