import { isPrunedDay, prunedBefore } from './pruned';
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { addNano, costOfTokens, type Nano } from '../money';
import { localDay } from '../time';
import { LedgerError } from './errors';
import { uniqueDayKeys, type DayKey } from '../model/day-key';
import { RollupBatch, type RollupContribution } from './rollups';
import { isSource, rollupSourceOfEvent, type Source } from './sources';
import type { UsageEventInput, WriteResult } from '../model/ledger';

export type { UsageEventInput, WriteResult } from '../model/ledger';

/** Unit prices in nano-USD per million tokens. */
export interface UnitPrices {
  input: number;
  output: number;
  cachedInput: number | null; // null: cached input billed as input
  cacheWrite: number | null; // null: cache writes billed as input
  /** Anthropic's 1-hour cache writes; null or absent: billed as cacheWrite. */
  cacheWrite1h?: number | null;
}

/** Token counts of one event, as the ledger counts them (input is fresh input only). */
export interface TokenCounts {
  input: number;
  output: number;
  cached: number;
  cacheWrite: number;
  /** The part of cacheWrite written to a 1-hour cache. */
  cacheWrite1h: number;
}

/** Cost of one event's tokens at unit prices: input side (fresh, cached, cache writes by TTL) and output. */
export function costOfUsage(p: UnitPrices, t: TokenCounts): { costIn: Nano; costOut: Nano } {
  const write1h = Math.min(t.cacheWrite1h, t.cacheWrite);
  const writePrice = p.cacheWrite ?? p.input;
  const costIn = addNano(
    addNano(costOfTokens(t.input, p.input), costOfTokens(t.cached, p.cachedInput ?? p.input)),
    addNano(costOfTokens(t.cacheWrite - write1h, writePrice), costOfTokens(write1h, p.cacheWrite1h ?? writePrice)),
  );
  return { costIn, costOut: costOfTokens(t.output, p.output) };
}

/** What the write path needs from the price catalogue. */
export interface PriceLookup {
  /** Prices for a model at an instant (DeepSeek's depend on the hour), or null when unknown. */
  priceFor(provider: string, model: string, at: Date, promptTokens: number): UnitPrices | null;
}



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

export interface PreparedRow {
  source: Source;
  provider: string;
  account: string;
  external_id: string;
  model: string;
  project: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  total_tokens: number;
  input_price: number | null;
  output_price: number | null;
  cached_input_price: number | null;
  cache_write_price: number | null;
  cost_input_nano: number | null;
  cost_output_nano: number | null;
  cost_total_nano: number | null;
  cost_origin: 'catalogue' | 'given' | 'unpriced';
  occurred_at: string;
  local_day: string;
  metadata: string;
  recorded_at: string;
}

const COLUMNS = [
  'source', 'provider', 'account', 'external_id', 'model', 'project', 'input_tokens', 'output_tokens',
  'cached_input_tokens', 'cache_write_tokens', 'total_tokens', 'input_price', 'output_price',
  'cached_input_price', 'cache_write_price', 'cost_input_nano', 'cost_output_nano', 'cost_total_nano',
  'cost_origin', 'occurred_at', 'local_day', 'metadata', 'recorded_at',
] as const;

function tokens(n: number | undefined): number {
  return n ?? 0;
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
    validateEvent(event);
    const input = tokens(event.inputTokens);
    const output = tokens(event.outputTokens);
    const cached = tokens(event.cachedInputTokens);
    const cacheWrite = tokens(event.cacheWriteTokens);
    const row: PreparedRow = {
      source: event.source,
      provider: event.provider,
      account: event.account ?? 'default',
      external_id: event.externalId ?? randomUUID(),
      model: event.model,
      project: event.project ?? '',
      input_tokens: input,
      output_tokens: output,
      cached_input_tokens: cached,
      cache_write_tokens: cacheWrite,
      total_tokens: input + output + cached + cacheWrite,
      input_price: null,
      output_price: null,
      cached_input_price: null,
      cache_write_price: null,
      cost_input_nano: null,
      cost_output_nano: null,
      cost_total_nano: null,
      cost_origin: 'unpriced',
      occurred_at: event.occurredAt.toISOString(),
      local_day: localDay(event.occurredAt, this.timeZone),
      metadata: event.metadata ? JSON.stringify(event.metadata) : '{}',
      recorded_at: recordedAt,
    };
    if (event.costNano !== undefined) {
      row.cost_total_nano = event.costNano;
      row.cost_origin = 'given';
      return row;
    }
    const p = this.prices.priceFor(event.provider, event.model, event.occurredAt, input + cached + cacheWrite);
    if (!p) return row; // unpriced: never $0, counted apart so status can say so
    const { costIn, costOut } = costOfUsage(p, { input, output, cached, cacheWrite, cacheWrite1h: tokens(event.cacheWrite1hTokens) });
    row.input_price = p.input;
    row.output_price = p.output;
    row.cached_input_price = p.cachedInput;
    row.cache_write_price = p.cacheWrite;
    row.cost_input_nano = costIn;
    row.cost_output_nano = costOut;
    row.cost_total_nano = addNano(costIn, costOut);
    row.cost_origin = 'catalogue';
    return row;
  }

  /** Write a batch of events in one transaction. Re-writing an identical event changes nothing. */
  write(events: readonly UsageEventInput[]): WriteResult {
    const recordedAt = this.now().toISOString();
    // Each event is priced right before its insert, inside the transaction: a bad event still
    // rolls the whole call back, and a million-event import keeps no million prepared rows alive.
    return this.db.transaction(() => this.writePrepared(events.length, (i) => this.prepare(events[i]!, recordedAt)))();
  }

  private writePrepared(count: number, rowAt: (i: number) => PreparedRow): WriteResult {
    const batch = new RollupBatch();
    const result: WriteResult = { inserted: 0, updated: 0, unchanged: 0, unpriced: 0, touched: [] };
    const marker = prunedBefore(this.db);
    for (let i = 0; i < count; i++) {
      const row = rowAt(i);
      // Raw events of a pruned day are gone and its rollups are the record: a second copy of the
      // same event would be counted twice, since there is no row left to recognise it by.
      if (isPrunedDay(marker, row.source, row.local_day)) {
        result.unchanged++;
        result.prunedSkipped = (result.prunedSkipped ?? 0) + 1;
        continue;
      }
      if (row.cost_origin === 'unpriced') result.unpriced++;
      // Positional binding: measurably faster than named parameters on the bulk-import path.
      if (this.insert.run(rowValues(row)).changes === 1) {
        batch.addRow(row.local_day, row.provider, row.model, rollupSourceOfEvent(row.source), row, row.cost_total_nano ?? 0, row.cost_origin === 'unpriced', 1);
        result.inserted++;
        continue;
      }
      // A revision of a row we already have (providers revise recent days): replace its contribution.
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
    const prepared = events.map((e) => this.prepare(e, recordedAt));
    return this.db.transaction(() => {
      const keep = new Set(prepared.map((r) => r.external_id));
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
      const result = this.writePrepared(prepared.length, (i) => prepared[i]!);
      result.touched = uniqueDayKeys([...touchedBefore, ...result.touched]);
      return result;
    })();
  }
}

/** The insert's values in COLUMNS order, spelled out: the bulk path runs this a million times. */
function rowValues(r: PreparedRow): unknown[] {
  return [
    r.source, r.provider, r.account, r.external_id, r.model, r.project, r.input_tokens, r.output_tokens,
    r.cached_input_tokens, r.cache_write_tokens, r.total_tokens, r.input_price, r.output_price,
    r.cached_input_price, r.cache_write_price, r.cost_input_nano, r.cost_output_nano, r.cost_total_nano,
    r.cost_origin, r.occurred_at, r.local_day, r.metadata, r.recorded_at,
  ];
}

function checkTokens(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new LedgerError('invalid', `${name} must be a whole number, zero or more (got ${String(value)}).`);
  }
}

/**
 * Every event is checked before it is written, whoever produced it (CLI, sync, proxy): a bad row
 * from a provider's garbage answer is refused instead of stored.
 */
export function validateEvent(event: UsageEventInput): void {
  if (!isSource(event.source)) throw new LedgerError('invalid', `"${String(event.source)}" is not a source of spend Burnrate knows.`);
  if (!event.provider) throw new LedgerError('invalid', 'A usage event needs a provider.');
  if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) {
    throw new LedgerError('invalid', `The usage event of ${event.provider} has no valid time.`);
  }
  checkTokens(event.inputTokens, 'Input tokens');
  checkTokens(event.outputTokens, 'Output tokens');
  checkTokens(event.cachedInputTokens, 'Cached input tokens');
  checkTokens(event.cacheWriteTokens, 'Cache write tokens');
  checkTokens(event.cacheWrite1hTokens, '1-hour cache write tokens');
  if (event.costNano !== undefined && !Number.isSafeInteger(event.costNano)) {
    throw new LedgerError('invalid', `The cost of a ${event.provider} usage event is not an exact amount.`);
  }
  if (event.externalId !== undefined && (event.externalId.length === 0 || event.externalId.length > 500)) {
    throw new LedgerError('invalid', 'An external id must be 1 to 500 characters.');
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
