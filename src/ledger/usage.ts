import { isPrunedDay, prunedBefore } from './pruned';
import type { Database, Statement } from 'better-sqlite3';
import { uniqueDayKeys, type DayKey } from '../model/day-key';
import { RollupBatch, type RollupContribution } from './rollups';
import { rollupSourceOfEvent, type Source } from './sources';
import type { UsageEventInput, WriteResult } from '../model/ledger';
import { COLUMNS, rowOfValues, shapeRowValues, shapeUsageRow, V, type PreparedRow, type PriceLookup, type RowValues } from './usage-row';

export type { UsageEventInput, WriteResult } from '../model/ledger';
export { costOfUsage, validateEvent, type PreparedRow, type PriceLookup, type RowValues, type TokenCounts, type UnitPrices } from './usage-row';

interface StoredRow {
  id: number;
  model: string;
  project: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cost_total_nano: number | null;
  cost_origin: string;
  occurred_at: string;
  local_day: string;
  metadata: string;
}

/**
 * The one write path for usage events: prices each row, upserts it by (source, provider,
 * external_id) and keeps the daily rollups current, all in one transaction per call.
 */
export class UsageWriter {
  private readonly insert: Statement;
  private readonly select: Statement;
  private readonly update: Statement;
  private readonly removeRow: Statement;

  constructor(
    private readonly db: Database,
    private readonly prices: PriceLookup,
    private readonly timeZone: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.insert = db.prepare(
      `INSERT INTO usage_events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (source, provider, external_id) DO NOTHING`,
    );
    this.select = db.prepare(
      `SELECT id, model, project, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
              cost_total_nano, cost_origin, occurred_at, local_day, metadata
       FROM usage_events WHERE source = ? AND provider = ? AND external_id = ?`,
    );
    this.update = db.prepare(
      `UPDATE usage_events SET ${COLUMNS.filter((c) => !['source', 'provider', 'external_id', 'recorded_at'].includes(c))
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE id = @id`,
    );
    this.removeRow = db.prepare('DELETE FROM usage_events WHERE id = ?');
  }

  /** Price and shape one event. Pure apart from the price lookup. */
  prepare(event: UsageEventInput, recordedAt: string): PreparedRow {
    return shapeUsageRow(event, this.prices, this.timeZone, recordedAt);
  }

  /** The row ready to bind, in COLUMNS order; recorded_at is left for writeValues to set. */
  shape(event: UsageEventInput): RowValues {
    return shapeRowValues(event, this.prices, this.timeZone, '');
  }

  /** Write a batch of events in one transaction. Re-writing an identical event changes nothing. */
  write(events: readonly UsageEventInput[]): WriteResult {
    const recordedAt = this.now().toISOString();
    // Each event is priced right before its insert, inside the transaction: a bad event still
    // rolls the whole call back, and a million-event import keeps no million prepared rows alive.
    return this.db.transaction(() => this.writePrepared(events.length, (i) => shapeRowValues(events[i]!, this.prices, this.timeZone, recordedAt)))();
  }

  /**
   * Write rows already priced and shaped (`shape`), in one transaction; their recorded_at is set
   * here, to this write's time. The bulk path of agent-log import: this thread only binds values.
   */
  writeValues(rows: readonly RowValues[]): WriteResult {
    const recordedAt = this.now().toISOString();
    return this.db.transaction(() =>
      this.writePrepared(rows.length, (i) => {
        const values = rows[i]!;
        values[V.recordedAt] = recordedAt;
        return values;
      }),
    )();
  }

  private writePrepared(count: number, rowAt: (i: number) => RowValues): WriteResult {
    const batch = new RollupBatch();
    const result: WriteResult = { inserted: 0, updated: 0, unchanged: 0, unpriced: 0, touched: [] };
    const marker = prunedBefore(this.db);
    for (let i = 0; i < count; i++) {
      const v = rowAt(i);
      const source = v[V.source];
      const day = v[V.localDay];
      // Raw events of a pruned day are gone and its rollups are the record: a second copy of the
      // same event would be counted twice, since there is no row left to recognise it by.
      if (isPrunedDay(marker, source, day)) {
        result.unchanged++;
        result.prunedSkipped = (result.prunedSkipped ?? 0) + 1;
        continue;
      }
      const unpriced = v[V.costOrigin] === 'unpriced';
      if (unpriced) result.unpriced++;
      // Positional binding: measurably faster than named parameters on the bulk-import path.
      if (this.insert.run(v).changes === 1) {
        batch.addRow(day, v[V.provider], v[V.model], rollupSourceOfEvent(source), v[V.input], v[V.output], v[V.cached], v[V.cacheWrite], v[V.costTotal] ?? 0, unpriced, 1);
        result.inserted++;
        continue;
      }
      // A revision of a row we already have (providers revise recent days): replace its contribution.
      const row = rowOfValues(v);
      const old = this.select.get(row.source, row.provider, row.external_id) as StoredRow;
      if (sameContent(old, row)) {
        result.unchanged++;
        continue;
      }
      batch.add(contribution({ ...old, source: row.source, provider: row.provider }), -1);
      this.update.run({ ...row, id: old.id });
      batch.add(contribution(row), 1);
      result.updated++;
    }
    result.touched = batch.touched();
    batch.flush(this.db, this.now().toISOString());
    return result;
  }

  /**
   * Remove single rows by their key (a proxy estimate the agent log's exact figure replaces,
   * src/agents/counted-once.ts), taking their contribution out of the rollups in the same transaction.
   */
  remove(source: Source, provider: string, externalIds: readonly string[]): { removed: number; touched: DayKey[] } {
    return this.db.transaction(() => {
      const batch = new RollupBatch();
      let removed = 0;
      for (const id of externalIds) {
        const old = this.select.get(source, provider, id) as StoredRow | undefined;
        if (!old) continue;
        batch.add(contribution({ ...old, source, provider }), -1);
        this.removeRow.run(old.id);
        removed++;
      }
      const touched = batch.touched();
      batch.flush(this.db, this.now().toISOString());
      return { removed, touched };
    })();
  }

  /**
   * Replace every event of (source, provider) whose external id starts with `prefix` by `events`:
   * how derived rows (odometer spreads, balance drops, subscriptions) are rewritten when a reading
   * changes. One transaction: readers see the old rows or the new ones, never a mix.
   */
  replaceDerived(source: Source, provider: string, prefix: string, events: readonly UsageEventInput[]): WriteResult {
    const recordedAt = this.now().toISOString();
    const rows = events.map((e) => shapeRowValues(e, this.prices, this.timeZone, recordedAt));
    return this.db.transaction(() => {
      const keep = new Set(rows.map((v) => v[V.externalId]));
      const batch = new RollupBatch();
      const stale = this.db
        .prepare(
          `SELECT id, external_id, model, project, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
                  cost_total_nano, cost_origin, occurred_at, local_day, metadata
           FROM usage_events WHERE source = ? AND provider = ? AND substr(external_id, 1, ?) = ?`,
        )
        .all(source, provider, prefix.length, prefix) as (StoredRow & { external_id: string })[];
      for (const old of stale) {
        if (keep.has(old.external_id)) continue;
        batch.add(contribution({ ...old, source, provider }), -1);
        this.removeRow.run(old.id);
      }
      const touchedBefore = batch.touched();
      batch.flush(this.db, this.now().toISOString());
      const result = this.writePrepared(rows.length, (i) => rows[i]!);
      result.touched = uniqueDayKeys([...touchedBefore, ...result.touched]);
      return result;
    })();
  }
}

function sameContent(old: StoredRow, row: PreparedRow): boolean {
  return (
    old.model === row.model &&
    old.project === row.project &&
    old.input_tokens === row.input_tokens &&
    old.output_tokens === row.output_tokens &&
    old.cached_input_tokens === row.cached_input_tokens &&
    old.cache_write_tokens === row.cache_write_tokens &&
    old.cost_total_nano === row.cost_total_nano &&
    old.cost_origin === row.cost_origin &&
    old.occurred_at === row.occurred_at &&
    old.local_day === row.local_day &&
    old.metadata === row.metadata
  );
}

function contribution(row: {
  source: Source;
  provider: string;
  model: string;
  local_day: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cost_total_nano: number | null;
  cost_origin: string;
}): RollupContribution {
  return {
    localDay: row.local_day,
    provider: row.provider,
    model: row.model,
    source: rollupSourceOfEvent(row.source),
    events: 1,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    costNano: row.cost_total_nano ?? 0,
    unpricedEvents: row.cost_origin === 'unpriced' ? 1 : 0,
  };
}
