import { z } from 'zod';
import type { DailySeries, ExportResult } from '../api/contract/core';
import type { Usd } from '../api/schemas';
import { addNano, formatUsd, parseUsd, type Nano } from '../money';

/**
 * The spend summary tool's grouping of contract results. The contract has no "summary by
 * provider / model / project / day" method yet, so this regroups what `series` (counted spend per
 * provider and day, and per model) and `export` (counted rows with their project) return. It adds
 * exact amounts with the money helpers and decides nothing: which rows count is the contract's
 * answer (THE RULE FOR TOTALS), taken as given. When a summary method lands in the contract, the
 * tool should call it and this file should go.
 */

export const SUMMARY_GROUPS = ['provider', 'model', 'project', 'day'] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];

export interface SpendGroup {
  provider?: string;
  model?: string;
  project?: string;
  date?: string;
  spentUsd: Usd;
  /** Day grouping: each provider's counted spend that day (providers with none are left out). */
  byProvider?: Record<string, Usd>;
}

export interface SpendSummary {
  from: string;
  to: string;
  groupBy: SummaryGroup;
  /** Counted spend over the whole range (the same figure whatever the grouping). */
  totalUsd: Usd;
  dailyBudgetUsd: Usd | null;
  groups: SpendGroup[];
}

/** Label for spend without a project, as `series` labels a missing model "(unspecified)". */
export const NO_PROJECT = '(no project)';

const usd = (text: string): Nano => parseUsd(text, { allowNegative: true, label: 'an amount from the ledger' });

function total(series: DailySeries): Nano {
  let sum = 0;
  for (const p of series.providers) for (const d of p.dailyUsd) sum = addNano(sum, usd(d));
  return sum;
}

/** Largest first; ties by name, so the order is stable. */
function bySpend<T extends { nano: Nano; name: string }>(a: T, b: T): number {
  return b.nano - a.nano || a.name.localeCompare(b.name);
}

function byProvider(series: DailySeries): SpendGroup[] {
  return series.providers
    .map((p) => ({ name: p.provider, nano: p.dailyUsd.reduce((s, d) => addNano(s, usd(d)), 0) }))
    .sort(bySpend)
    .map((p) => ({ provider: p.name, spentUsd: formatUsd(p.nano) }));
}

function byModel(series: DailySeries): SpendGroup[] {
  return series.byModel.map((m) => ({ provider: m.provider, model: m.model, spentUsd: m.costUsd }));
}

function byDay(series: DailySeries): SpendGroup[] {
  return series.days.map((date, i) => {
    let sum = 0;
    const providers: Record<string, Usd> = {};
    for (const p of series.providers) {
      const amount = p.dailyUsd[i];
      if (amount === undefined) continue;
      const nano = usd(amount);
      if (nano === 0) continue;
      providers[p.provider] = amount;
      sum = addNano(sum, nano);
    }
    return { date, spentUsd: formatUsd(sum), byProvider: providers };
  });
}

/** The part of `export --format json` this grouping reads; anything else in a row is ignored. */
const exportDocument = z.object({
  rows: z.array(
    z.object({
      project: z.string(),
      counted: z.boolean(),
      cost_usd: z.string(),
    }),
  ),
});

function byProject(exported: ExportResult): SpendGroup[] {
  const doc = exportDocument.parse(JSON.parse(exported.content));
  const sums = new Map<string, Nano>();
  for (const row of doc.rows) {
    // Rows that do not count (a lower tier on a day with a better source) and rows without a
    // known price (cost "") add nothing, exactly as in the counted total.
    if (!row.counted || row.cost_usd === '') continue;
    const name = row.project === '' ? NO_PROJECT : row.project;
    sums.set(name, addNano(sums.get(name) ?? 0, usd(row.cost_usd)));
  }
  return [...sums.entries()]
    .map(([name, nano]) => ({ name, nano }))
    .sort(bySpend)
    .map((p) => ({ project: p.name, spentUsd: formatUsd(p.nano) }));
}

/** `exported` is needed for the project grouping only (export as JSON over the series' range). */
export function summarise(groupBy: SummaryGroup, series: DailySeries, exported?: ExportResult): SpendSummary {
  let groups: SpendGroup[];
  switch (groupBy) {
    case 'provider':
      groups = byProvider(series);
      break;
    case 'model':
      groups = byModel(series);
      break;
    case 'day':
      groups = byDay(series);
      break;
    case 'project':
      if (!exported) throw new Error('The project grouping needs the export of the same range.');
      groups = byProject(exported);
      break;
  }
  return { from: series.from, to: series.to, groupBy, totalUsd: formatUsd(total(series)), dailyBudgetUsd: series.dailyBudgetUsd, groups };
}
