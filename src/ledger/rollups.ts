import { PRUNABLE_ROLLUP_SOURCES, prunedBefore } from './pruned';
import type { Database } from 'better-sqlite3';
import { absTotal, LEDGER_CEILING_NANO, type Nano, type NanoTotal } from '../money';
import { uniqueDayKeys, type DayKey } from '../model/day-key';
import { localDay } from '../time';
import { billedLocalDay } from './billed-day';
import { applyCeilingChange, ceilingError, forgetCeilingTotal, rollupAbsTotal } from './ceiling';
import { statement } from './statements';
import { getSetting, setSetting } from './settings';
import { LedgerError } from './errors';

/** The contribution of one row to the daily read model. */
export interface RollupContribution {
  localDay: string;
  provider: string;
  model: string;
  source: string;
  events: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  costNano: Nano;
  unpricedEvents: number;
}

/** A batch's change to one rollup row: its amount is a sum of many rows, so a total (BigInt). */
interface RollupDelta extends Omit<RollupContribution, 'costNano'> {
  costNano: NanoTotal;
}

/**
 * Accumulates rollup changes inside one write transaction and applies them once at the end, so a
 * batch of 10,000 events touches the rollup table a few times instead of 10,000.
 */
export class RollupBatch {
  private readonly deltas = new Map<string, RollupDelta>();
  /** provider → model → source → day → delta: lookups on short strings, no key built per event. */
  private readonly index = new Map<string, Map<string, Map<string, Map<string, RollupDelta>>>>();

  add(c: RollupContribution, sign: 1 | -1): void {
    const d = this.deltaFor(c.localDay, c.provider, c.model, c.source);
    d.events += sign * c.events;
    d.inputTokens += sign * c.inputTokens;
    d.outputTokens += sign * c.outputTokens;
    d.cachedInputTokens += sign * c.cachedInputTokens;
    d.cacheWriteTokens += sign * c.cacheWriteTokens;
    d.costNano += BigInt(sign * c.costNano);
    d.unpricedEvents += sign * c.unpricedEvents;
  }

  /** One event's contribution, without building an object per event (the bulk-import path). */
  addRow(
    localDay: string,
    provider: string,
    model: string,
    source: string,
    input: number,
    output: number,
    cached: number,
    cacheWrite: number,
    costNano: Nano,
    unpriced: boolean,
    sign: 1 | -1,
  ): void {
    const d = this.deltaFor(localDay, provider, model, source);
    d.events += sign;
    d.inputTokens += sign * input;
    d.outputTokens += sign * output;
    d.cachedInputTokens += sign * cached;
    d.cacheWriteTokens += sign * cacheWrite;
    if (costNano !== 0) d.costNano += BigInt(sign * costNano);
    if (unpriced) d.unpricedEvents += sign;
  }

  private deltaFor(localDay: string, provider: string, model: string, source: string): RollupDelta {
    let byModel = this.index.get(provider);
    if (!byModel) this.index.set(provider, (byModel = new Map()));
    let bySource = byModel.get(model);
    if (!bySource) byModel.set(model, (bySource = new Map()));
    let byDay = bySource.get(source);
    if (!byDay) bySource.set(source, (byDay = new Map()));
    let d = byDay.get(localDay);
    if (!d) {
      d = { localDay, provider, model, source, events: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, costNano: 0n, unpricedEvents: 0 };
      byDay.set(localDay, d);
      this.deltas.set(`${localDay}\u0000${provider}\u0000${model}\u0000${source}`, d);
    }
    return d;
  }

  get size(): number {
    return this.deltas.size;
  }

  /** The (day, provider) pairs this batch changed: callers use them to decide what to re-check. */
  touched(): DayKey[] {
    return uniqueDayKeys(this.deltas.values());
  }

  /**
   * Apply to the table; call inside the same transaction as the row writes. Refuses (throwing, so
   * the caller's transaction rolls back and nothing lands) a change that would take the ledger past
   * its money ceiling (ceiling.ts): the check reads each changed row's new amount from the upsert
   * itself and one stored figure, never the whole table.
   */
  flush(db: Database, writtenAt: string = new Date().toISOString()): void {
    if (this.deltas.size === 0) return;
    // Cached per connection (statements.ts): this runs once per write, hundreds a second through the proxy.
    const activity = statement(
      db,
      `INSERT INTO provider_activity (provider, last_write_at) VALUES (?, ?)
       ON CONFLICT (provider) DO UPDATE SET last_write_at = MAX(last_write_at, excluded.last_write_at)`,
    );
    for (const provider of new Set([...this.deltas.values()].map((d) => d.provider))) activity.run(provider, writtenAt);
    const upsert = statement(
      db,
      `INSERT INTO daily_rollups (local_day, provider, model, source, events, input_tokens, output_tokens,
                                   cached_input_tokens, cache_write_tokens, cost_nano, unpriced_events)
        VALUES (@localDay, @provider, @model, @source, @events, @inputTokens, @outputTokens,
                @cachedInputTokens, @cacheWriteTokens, @costNano, @unpricedEvents)
        ON CONFLICT (local_day, provider, model, source) DO UPDATE SET
          events = events + excluded.events,
          input_tokens = input_tokens + excluded.input_tokens,
          output_tokens = output_tokens + excluded.output_tokens,
          cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
          cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
          cost_nano = cost_nano + excluded.cost_nano,
          unpriced_events = unpriced_events + excluded.unpriced_events
        RETURNING cost_nano`,
    ).safeIntegers(true);
    const before = rollupAbsTotal(db);
    let change = 0n;
    for (const d of this.deltas.values()) {
      if (d.events === 0 && d.costNano === 0n && d.inputTokens === 0 && d.outputTokens === 0 && d.unpricedEvents === 0 && d.cachedInputTokens === 0 && d.cacheWriteTokens === 0) continue;
      if (absTotal(d.costNano) > LEDGER_CEILING_NANO) throw ceilingError();
      const after = (upsert.get(d) as { cost_nano: bigint | number }).cost_nano;
      // SQLite turns an integer sum past int64 into a float instead of failing: that row overflowed.
      if (typeof after !== 'bigint') throw ceilingError();
      change += absTotal(after) - absTotal(after - d.costNano);
    }
    applyCeilingChange(db, before, change, writtenAt);
    statement(db, 'DELETE FROM daily_rollups WHERE events <= 0 AND cost_nano = 0').run();
    this.deltas.clear();
    this.index.clear();
  }
}

/**
 * Recompute the whole read model from the rows in `timeZone` (after a change of zone, or to verify
 * it), filing rows on local days exactly as the write paths do.
 */
export function rebuildRollups(db: Database, timeZone: string): void {
  // SQL functions let SQLite rewrite every row in place (no iterate-while-updating).
  db.function('burnrate_local_day', { deterministic: true }, (iso: unknown) => localDay(new Date(String(iso)), timeZone));
  db.function('burnrate_billed_day', { deterministic: true }, (start: unknown, end: unknown) =>
    billedLocalDay(new Date(String(start)), new Date(String(end)), timeZone),
  );
  db.transaction(() => {
    db.exec('UPDATE usage_events SET local_day = burnrate_local_day(occurred_at)');
    db.exec('UPDATE billed_costs SET local_day = burnrate_billed_day(bucket_start, bucket_end)');
    // Rollups of pruned days are the only record of their raw events: they stay as filed.
    const marker = prunedBefore(db);
    const kept = PRUNABLE_ROLLUP_SOURCES.map((s) => `'${s}'`).join(', ');
    if (marker === null) db.exec('DELETE FROM daily_rollups');
    else db.prepare(`DELETE FROM daily_rollups WHERE NOT (local_day < ? AND source IN (${kept}))`).run(marker);
    db.exec(`
      INSERT INTO daily_rollups (local_day, provider, model, source, events, input_tokens, output_tokens,
                                 cached_input_tokens, cache_write_tokens, cost_nano, unpriced_events)
      SELECT local_day, provider, model, CASE source WHEN 'billing_api' THEN 'api_usage' ELSE source END,
             COUNT(*), SUM(input_tokens), SUM(output_tokens),
             SUM(cached_input_tokens), SUM(cache_write_tokens), COALESCE(SUM(cost_total_nano), 0),
             SUM(CASE WHEN cost_origin = 'unpriced' THEN 1 ELSE 0 END)
      FROM usage_events WHERE true GROUP BY 1, 2, 3, 4
      ON CONFLICT (local_day, provider, model, source) DO UPDATE SET
        events = events + excluded.events, input_tokens = input_tokens + excluded.input_tokens,
        output_tokens = output_tokens + excluded.output_tokens, cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
        cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens, cost_nano = cost_nano + excluded.cost_nano,
        unpriced_events = unpriced_events + excluded.unpriced_events`);
    db.exec(`
      INSERT INTO daily_rollups (local_day, provider, model, source, events, cost_nano)
      SELECT local_day, provider, model, 'billing_api', COUNT(*), SUM(amount_nano)
      FROM billed_costs GROUP BY local_day, provider, model
      ON CONFLICT (local_day, provider, model, source) DO UPDATE SET
        events = events + excluded.events, cost_nano = cost_nano + excluded.cost_nano`);
    forgetCeilingTotal(db); // recomputed from the rebuilt rows by the next write
  })();
}

/**
 * Local days are stored with each row for fast rollups. When the user's zone changes (travel, a
 * new TZ), every stored day and rollup is recomputed once, in one transaction.
 */
export function ensureRollupZone(db: Database, timeZone: string): boolean {
  const stored = getSetting<string | null>(db, 'rollup_tz', null);
  if (stored === timeZone) return false; // nothing to write: opening changes no byte of the file
  if (db.readonly) {
    throw new LedgerError(
      'not_writable',
      `The ledger is read-only and its days were filed in the time zone ${stored ?? '(none yet)'}, not ${timeZone}; run Burnrate with TZ=${stored ?? timeZone}, or open the ledger once where it is writable.`,
    );
  }
  if (stored !== null) rebuildRollups(db, timeZone);
  setSetting(db, 'rollup_tz', timeZone);
  return stored !== null;
}
