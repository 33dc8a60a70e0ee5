import type { Database, Statement } from 'better-sqlite3';
import type { Nano } from '../money';
import { billedLocalDay } from './billed-day';
import { RollupBatch } from './rollups';
import type { BilledCostInput, BilledWriteResult } from '../model/ledger';

export type { BilledCostInput, BilledWriteResult } from '../model/ledger';
export { billedLocalDay } from './billed-day';



interface StoredBilled {
  id: number;
  local_day: string;
  model: string;
  amount_nano: number;
  bucket_start: string;
  bucket_end: string;
  line_item: string;
  project: string;
  metadata: string;
}

/**
 * Writes provider-billed buckets with idempotent upserts (providers revise recent days) and keeps
 * the rollups current. A bucket belongs to the local day holding its midpoint (billedLocalDay).
 */
export class BilledWriter {
  private readonly insert: Statement;
  private readonly select: Statement;
  private readonly update: Statement;

  constructor(
    private readonly db: Database,
    private readonly timeZone: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.insert = db.prepare(`
      INSERT INTO billed_costs (provider, account, external_id, bucket_start, bucket_end, local_day, model,
                                line_item, project, amount_nano, metadata, fetched_at)
      VALUES (@provider, @account, @external_id, @bucket_start, @bucket_end, @local_day, @model,
              @line_item, @project, @amount_nano, @metadata, @fetched_at)
      ON CONFLICT (provider, account, external_id) DO NOTHING`);
    this.select = db.prepare(
      `SELECT id, local_day, model, amount_nano, bucket_start, bucket_end, line_item, project, metadata
       FROM billed_costs WHERE provider = ? AND account = ? AND external_id = ?`,
    );
    this.update = db.prepare(`
      UPDATE billed_costs SET bucket_start = @bucket_start, bucket_end = @bucket_end, local_day = @local_day,
        model = @model, line_item = @line_item, project = @project, amount_nano = @amount_nano,
        metadata = @metadata, fetched_at = @fetched_at WHERE id = @id`);
  }

  /** Write one page of buckets in one transaction. */
  write(rows: readonly BilledCostInput[]): BilledWriteResult {
    const fetchedAt = this.now().toISOString();
    return this.db.transaction(() => {
      const batch = new RollupBatch();
      const result: BilledWriteResult = { inserted: 0, updated: 0, unchanged: 0, touched: [] };
      for (const input of rows) {
        const row = {
          provider: input.provider,
          account: input.account ?? 'default',
          external_id: input.externalId,
          bucket_start: input.bucketStart.toISOString(),
          bucket_end: input.bucketEnd.toISOString(),
          local_day: billedLocalDay(input.bucketStart, input.bucketEnd, this.timeZone),
          model: input.model ?? '',
          line_item: input.lineItem ?? '',
          project: input.project ?? '',
          amount_nano: input.amountNano,
          metadata: input.metadata ? JSON.stringify(input.metadata) : '{}',
          fetched_at: fetchedAt,
        };
        if (this.insert.run(row).changes === 1) {
          batch.add(contributionOf(row.local_day, row.provider, row.model, row.amount_nano), 1);
          result.inserted++;
          continue;
        }
        const old = this.select.get(row.provider, row.account, row.external_id) as StoredBilled;
        if (
          old.amount_nano === row.amount_nano &&
          old.local_day === row.local_day &&
          old.model === row.model &&
          old.bucket_start === row.bucket_start &&
          old.bucket_end === row.bucket_end &&
          old.line_item === row.line_item &&
          old.project === row.project &&
          old.metadata === row.metadata
        ) {
          result.unchanged++;
          continue;
        }
        batch.add(contributionOf(old.local_day, row.provider, old.model, old.amount_nano), -1);
        this.update.run({ ...row, id: old.id });
        batch.add(contributionOf(row.local_day, row.provider, row.model, row.amount_nano), 1);
        result.updated++;
      }
      result.touched = batch.touched();
      batch.flush(this.db, this.now().toISOString());
      return result;
    })();
  }

  /**
   * Remove billed buckets a provider's newer answer made obsolete (by external id; ids not stored
   * are ignored), keeping the rollups current. Returns how many went and the days they touched.
   */
  remove(provider: string, externalIds: readonly string[], account = 'default'): { removed: number; touched: { localDay: string; provider: string }[] } {
    return this.db.transaction(() => {
      const batch = new RollupBatch();
      const del = this.db.prepare('DELETE FROM billed_costs WHERE id = ?');
      let removed = 0;
      for (const id of externalIds) {
        const old = this.select.get(provider, account, id) as StoredBilled | undefined;
        if (!old) continue;
        batch.add(contributionOf(old.local_day, provider, old.model, old.amount_nano), -1);
        del.run(old.id);
        removed++;
      }
      const touched = batch.touched();
      batch.flush(this.db, this.now().toISOString());
      return { removed, touched };
    })();
  }
}


function contributionOf(day: string, provider: string, model: string, amount: Nano) {
  return {
    localDay: day,
    provider,
    model,
    source: 'billing_api',
    events: 1,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    costNano: amount,
    unpricedEvents: 0,
  };
}
