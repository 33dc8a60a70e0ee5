import type { Database } from 'better-sqlite3';
import { addTotal, type NanoTotal } from '../money';
import { agentSpendRule } from './agent-billing';
import { TIER_RANK, tierOf, type Tier } from './sources';
import { withDueRollups, type RollupRow } from './view';

/**
 * Read models over daily_rollups that follow THE RULE FOR TOTALS (see sources.ts): per provider and
 * local day, only the strongest tier present counts; subscriptions always count. Every figure the
 * product shows (status, budgets, charts, exports' "counted" column) goes through here.
 */

export interface ProviderDay {
  localDay: string;
  provider: string;
  /** What counts for this provider and day (a sum: exact at any size). */
  countedNano: NanoTotal;
  /** The tier that counted, or 'subscription' when only a subscription fee is there. */
  countedTier: Tier;
  /** Sum of every tier, counted or not, for drift and "shown apart". */
  byTier: Partial<Record<Tier, NanoTotal>>;
  /** Sum per rollup source. */
  bySource: Record<string, NanoTotal>;
  /** Unpriced events in the counted tier (their cost is unknown, never $0). */
  unpricedEvents: number;
  events: number;
}


function rollupRows(db: Database, from: string, to: string, provider?: string): RollupRow[] {
  const sql = `SELECT local_day, provider, model, source, events, input_tokens, output_tokens, cached_input_tokens,
                      cache_write_tokens, cost_nano, unpriced_events
               FROM daily_rollups WHERE local_day BETWEEN ? AND ? ${provider ? 'AND provider = ?' : ''}
               ORDER BY local_day, provider`;
  const params: string[] = provider ? [from, to, provider] : [from, to];
  // Amounts are read as 64-bit integers (a rollup row is a sum and may pass 2^53); counts are small.
  const rows = (db.prepare(sql).safeIntegers(true).all(...params) as Record<keyof RollupRow, string | bigint>[]).map(rollupRowOf);
  // A read's view of the ledger adds the rows the catch-up would store now (view.ts).
  const counted = withDueRollups(db, rows, from, to, provider);
  // Agent logs of a subscription-billed agent or model family are value, not spend (agent-billing.ts).
  const agents = agentSpendRule(db);
  return agents.allCount ? counted : counted.filter((r) => agents.counts(r.source, r.provider, r.model));
}

function rollupRowOf(r: Record<keyof RollupRow, string | bigint>): RollupRow {
  return {
    local_day: r.local_day as string,
    provider: r.provider as string,
    model: r.model as string,
    source: r.source as string,
    events: Number(r.events),
    input_tokens: Number(r.input_tokens),
    output_tokens: Number(r.output_tokens),
    cached_input_tokens: Number(r.cached_input_tokens),
    cache_write_tokens: Number(r.cache_write_tokens),
    cost_nano: r.cost_nano as bigint,
    unpriced_events: Number(r.unpriced_events),
  };
}

/** Which ranked tier wins for each (day, provider) key. */
function winningTiers(rows: readonly RollupRow[]): Map<string, Exclude<Tier, 'subscription'> | null> {
  const best = new Map<string, Exclude<Tier, 'subscription'> | null>();
  for (const r of rows) {
    const key = `${r.local_day}|${r.provider}`;
    const tier = tierOf(r.source);
    if (!best.has(key)) best.set(key, null);
    if (tier === 'subscription') continue;
    const current = best.get(key);
    if (current === null || current === undefined || TIER_RANK[tier] < TIER_RANK[current]) best.set(key, tier);
  }
  return best;
}

function counts(tier: Tier, winner: Exclude<Tier, 'subscription'> | null | undefined): boolean {
  return tier === 'subscription' || tier === winner;
}

/** Per local day and provider: what counts, and every tier apart. */
export function providerDays(db: Database, from: string, to: string, provider?: string): ProviderDay[] {
  const rows = rollupRows(db, from, to, provider);
  const winners = winningTiers(rows);
  const out = new Map<string, ProviderDay>();
  for (const r of rows) {
    const key = `${r.local_day}|${r.provider}`;
    const winner = winners.get(key);
    let day = out.get(key);
    if (!day) {
      day = {
        localDay: r.local_day,
        provider: r.provider,
        countedNano: 0n,
        countedTier: winner ?? 'subscription',
        byTier: {},
        bySource: {},
        unpricedEvents: 0,
        events: 0,
      };
      out.set(key, day);
    }
    const tier = tierOf(r.source);
    day.byTier[tier] = addTotal(day.byTier[tier] ?? 0n, r.cost_nano);
    day.bySource[r.source] = addTotal(day.bySource[r.source] ?? 0n, r.cost_nano);
    if (counts(tier, winner)) {
      day.countedNano = addTotal(day.countedNano, r.cost_nano);
      day.unpricedEvents += r.unpriced_events;
      day.events += r.events;
    }
  }
  return [...out.values()];
}

export interface CountedRollup {
  localDay: string;
  provider: string;
  model: string;
  source: string;
  events: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  costNano: NanoTotal;
  unpricedEvents: number;
}

/** The rollup rows that count (for charts by model and exports), following the same rule. */
export function countedRollups(db: Database, from: string, to: string): CountedRollup[] {
  const rows = rollupRows(db, from, to);
  const winners = winningTiers(rows);
  return rows
    .filter((r) => counts(tierOf(r.source), winners.get(`${r.local_day}|${r.provider}`)))
    .map((r) => ({
      localDay: r.local_day,
      provider: r.provider,
      model: r.model,
      source: r.source,
      events: r.events,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cachedInputTokens: r.cached_input_tokens,
      cacheWriteTokens: r.cache_write_tokens,
      costNano: r.cost_nano,
      unpricedEvents: r.unpriced_events,
    }));
}

/** Total that counts over a day range, optionally for one provider. */
export function countedTotal(db: Database, from: string, to: string, provider?: string): NanoTotal {
  let total = 0n;
  for (const d of providerDays(db, from, to, provider)) total = addTotal(total, d.countedNano);
  return total;
}

/** Counted spend per local day over a range (days with nothing are absent). */
export function countedByDay(db: Database, from: string, to: string): Map<string, NanoTotal> {
  const byDay = new Map<string, NanoTotal>();
  for (const d of providerDays(db, from, to)) byDay.set(d.localDay, addTotal(byDay.get(d.localDay) ?? 0n, d.countedNano));
  return byDay;
}
