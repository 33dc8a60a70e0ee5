import type { Database } from 'better-sqlite3';
import { addTotal, compareTotals, type NanoTotal } from '../money';
import { dayKeyId } from '../model/day-key';
import { eachDay } from '../time';
import { agentSpendRule } from './agent-billing';
import { rollupSourceOfEvent, tierOf, type Source } from './sources';
import { countedRollups, providerDays } from './spend';
import { dueRows } from './view';

/**
 * The spend summary: counted spend of a day range grouped by provider, model, project or local day,
 * following THE RULE FOR TOTALS (sources.ts) so that the groups add up, to the nano-dollar, to the
 * total status and budgets show for the same range.
 *
 * Provider, model and day come from the counted rollups (spend.ts). Rollups have no project
 * column, so the project grouping is the one read model here that reads raw rows: usage_events and
 * billed_costs, each kept only when its (local day, provider) tier is the one that counts
 * (`countedRule`, shared with the export's "counted" column). Every rollup is the sum of exactly
 * those rows, so both paths give the same total, events and tokens.
 */

export type SummaryGrouping = 'provider' | 'model' | 'project' | 'day' | 'agent';

export interface SummaryGroupTotals {
  /** provider slug, model, project, YYYY-MM-DD or coding agent; '' for spend without a model, a project or an agent. */
  key: string;
  /** Set when the group belongs to one provider (provider and model groupings). */
  provider?: string;
  costNano: NanoTotal;
  /** Usage events, readings, fees and billed buckets that counted. */
  events: number;
  /** Fresh (uncached) input tokens, as recorded. */
  inputTokens: number;
  outputTokens: number;
  /** Of its events, those without a known price: in no amount (a group of only those is unpriced, not $0). */
  unpricedEvents: number;
}

export interface SummaryTotals {
  totalNano: NanoTotal;
  groups: SummaryGroupTotals[];
  /** Counted events whose cost is unknown: not in any amount (never $0). */
  unpricedEvents: number;
}

/** Whether a raw ledger row counts toward totals, by THE RULE FOR TOTALS. */
export interface CountedRule {
  /** A usage_events row of `source` and `model`, filed on `localDay`. */
  usage(localDay: string, provider: string, source: Source, model: string): boolean;
  /** A billed_costs row filed on `localDay`. */
  billed(localDay: string, provider: string): boolean;
}

/**
 * The rule for raw rows of the days from..to: a row counts when its tier is the one that won its
 * (local day, provider), as providerDays decides it; subscriptions always count.
 */
export function countedRule(db: Database, from: string, to: string): CountedRule {
  const winners = new Map(providerDays(db, from, to).map((d) => [dayKeyId(d), d.countedTier]));
  const counts = (day: string, provider: string, rollupSource: string): boolean => {
    const tier = tierOf(rollupSource);
    return tier === 'subscription' || winners.get(dayKeyId({ localDay: day, provider })) === tier;
  };
  const agents = agentSpendRule(db);
  return {
    usage: (day, provider, source, model) => agents.counts(source, provider, model) && counts(day, provider, rollupSourceOfEvent(source)),
    billed: (day, provider) => counts(day, provider, 'billing_api'),
  };
}

interface Part {
  key: string;
  provider?: string;
  costNano: NanoTotal;
  events: number;
  inputTokens: number;
  outputTokens: number;
  unpricedEvents: number;
}

/** Adds parts into groups by key (and provider, when the grouping has one). */
class Groups {
  private readonly groups = new Map<string, SummaryGroupTotals>();

  add(part: Part): void {
    const id = part.provider === undefined ? part.key : `${part.provider}\u0000${part.key}`;
    let g = this.groups.get(id);
    if (!g) {
      g = { key: part.key, ...(part.provider !== undefined ? { provider: part.provider } : {}), costNano: 0n, events: 0, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 };
      this.groups.set(id, g);
    }
    g.costNano = addTotal(g.costNano, part.costNano);
    g.events += part.events;
    g.inputTokens += part.inputTokens;
    g.outputTokens += part.outputTokens;
    g.unpricedEvents += part.unpricedEvents;
  }

  /** Empty groups to show even without spend (every day of a day grouping). */
  seed(key: string): void {
    this.add({ key, costNano: 0n, events: 0, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 });
  }

  /** Largest first; ties by key, then provider, so the order is stable. */
  bySpend(): SummaryGroupTotals[] {
    return [...this.groups.values()].sort(
      (a, b) => compareTotals(b.costNano, a.costNano) || a.key.localeCompare(b.key) || (a.provider ?? '').localeCompare(b.provider ?? ''),
    );
  }

  /** In insertion order (the day grouping seeds every day in date order). */
  inOrder(): SummaryGroupTotals[] {
    return [...this.groups.values()];
  }
}

function fromRollups(db: Database, from: string, to: string, groupBy: Exclude<SummaryGrouping, 'project' | 'agent'>): { groups: SummaryGroupTotals[]; unpricedEvents: number } {
  const groups = new Groups();
  if (groupBy === 'day') for (const day of eachDay(from, to)) groups.seed(day);
  let unpricedEvents = 0;
  for (const r of countedRollups(db, from, to)) {
    const part = { costNano: r.costNano, events: r.events, inputTokens: r.inputTokens, outputTokens: r.outputTokens, unpricedEvents: r.unpricedEvents };
    if (groupBy === 'provider') groups.add({ key: r.provider, provider: r.provider, ...part });
    else if (groupBy === 'model') groups.add({ key: r.model, provider: r.provider, ...part });
    else groups.add({ key: r.localDay, ...part });
    unpricedEvents += r.unpricedEvents;
  }
  return { groups: groupBy === 'day' ? groups.inOrder() : groups.bySpend(), unpricedEvents };
}

interface UsageByProject {
  local_day: string;
  provider: string;
  source: Source;
  model: string;
  project: string;
  events: number;
  input_tokens: number;
  output_tokens: number;
  cost_nano: NanoTotal;
  unpriced: number;
}

interface BilledByProject {
  local_day: string;
  provider: string;
  project: string;
  events: number;
  cost_nano: NanoTotal;
}

/** The raw-row column a grouping reads: the project, or the coding agent of agent-log rows (metadata). */
const RAW_KEY = {
  project: 'project',
  agent: "CASE WHEN source = 'agent_log' THEN COALESCE(json_extract(metadata, '$.agent'), '') ELSE '' END",
} as const;

function byRawKey(db: Database, from: string, to: string, grouping: keyof typeof RAW_KEY, onlyProject?: string): { groups: SummaryGroupTotals[]; unpricedEvents: number } {
  // One project (the proxy's admission at a project cap): read through the project index only.
  const only = grouping === 'project' && onlyProject !== undefined;
  const rule = countedRule(db, from, to);
  const groups = new Groups();
  let unpricedEvents = 0;
  // Summed per (day, provider, source, project) in SQLite (integer sums, exact), then kept or
  // dropped as a whole: every row of such a bucket shares its tier. Costs and unpriced counts are
  // taken exactly as the rollups take them (rollups.ts), so the totals meet.
  const usage = db
    .prepare(
      `SELECT local_day, provider, source, model, ${RAW_KEY[grouping]} AS project, COUNT(*) AS events, SUM(input_tokens) AS input_tokens,
              SUM(output_tokens) AS output_tokens, COALESCE(SUM(cost_total_nano), 0) AS cost_nano,
              SUM(CASE WHEN cost_origin = 'unpriced' THEN 1 ELSE 0 END) AS unpriced
       FROM usage_events WHERE ${only ? "project = ? AND project <> '' AND " : ''}local_day BETWEEN ? AND ? GROUP BY 1, 2, 3, 4, 5`,
    )
    .safeIntegers(true) // a bucket's cost is a sum: read as a 64-bit integer, counts back to numbers
    .all(...(only ? [onlyProject, from, to] : [from, to]))
    .map((r) => withCounts(r as UsageByProject, ['events', 'input_tokens', 'output_tokens', 'unpriced']));
  // Rows the catch-up would store now (a read's view, view.ts) count like stored ones.
  for (const r of dueRows(db, from, to)) {
    if (only && r.project !== onlyProject) continue;
    usage.push({
      local_day: r.local_day,
      provider: r.provider,
      source: r.source,
      model: r.model,
      project: grouping === 'project' ? r.project : '', // derived rows (readings, fees) come from no agent
      events: 1,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cost_nano: BigInt(r.cost_total_nano ?? 0),
      unpriced: r.cost_origin === 'unpriced' ? 1 : 0,
    });
  }
  for (const u of usage) {
    if (!rule.usage(u.local_day, u.provider, u.source, u.model)) continue;
    groups.add({ key: u.project, costNano: u.cost_nano, events: u.events, inputTokens: u.input_tokens, outputTokens: u.output_tokens, unpricedEvents: u.unpriced });
    unpricedEvents += u.unpriced;
  }
  const billed = db
    .prepare(
      `SELECT local_day, provider, ${grouping === 'project' ? 'project' : "''"} AS project, COUNT(*) AS events, SUM(amount_nano) AS cost_nano
       FROM billed_costs WHERE ${only ? 'project = ? AND ' : ''}local_day BETWEEN ? AND ? GROUP BY 1, 2, 3`,
    )
    .safeIntegers(true)
    .all(...(only ? [onlyProject, from, to] : [from, to]))
    .map((r) => withCounts(r as BilledByProject, ['events']));
  for (const b of billed) {
    if (!rule.billed(b.local_day, b.provider)) continue;
    groups.add({ key: b.project, costNano: b.cost_nano, events: b.events, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 });
  }
  return { groups: groups.bySpend(), unpricedEvents };
}

/** A row read with safeIntegers, its counts (small by nature) turned back into numbers. */
function withCounts<R>(row: R, counts: readonly (keyof R)[]): R {
  for (const key of counts) row[key] = Number(row[key]) as R[keyof R];
  return row;
}

/** Counted spend of one project over the local days from..to: the project grouping's figure for it, read for that project alone. */
export function projectSpend(db: Database, from: string, to: string, project: string): NanoTotal {
  return byRawKey(db, from, to, 'project', project).groups.find((g) => g.key === project)?.costNano ?? 0n;
}

/** Counted spend of the local days from..to (inclusive, valid dates, from <= to), grouped. */
export function spendSummary(db: Database, from: string, to: string, groupBy: SummaryGrouping): SummaryTotals {
  const { groups, unpricedEvents } = groupBy === 'project' || groupBy === 'agent' ? byRawKey(db, from, to, groupBy) : fromRollups(db, from, to, groupBy);
  let totalNano = 0n;
  for (const g of groups) totalNano = addTotal(totalNano, g.costNano);
  return { totalNano, groups, unpricedEvents };
}
