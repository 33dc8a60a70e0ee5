import type { Database } from 'better-sqlite3';

/** A row of price_overrides (migration 001): prices in nano-USD per million tokens. */
export interface OverrideRow {
  model: string;
  provider: string;
  input_price: number;
  output_price: number;
  cached_input_price: number | null;
  cache_write_price: number | null;
  updated_at: string;
}

export function readOverrides(db: Database): OverrideRow[] {
  return db
    .prepare(
      `SELECT model, provider, input_price, output_price, cached_input_price, cache_write_price, updated_at
       FROM price_overrides ORDER BY provider, model`,
    )
    .all() as OverrideRow[];
}

export function readOverride(db: Database, model: string): OverrideRow | null {
  return (
    (db
      .prepare(
        `SELECT model, provider, input_price, output_price, cached_input_price, cache_write_price, updated_at
         FROM price_overrides WHERE model = ?`,
      )
      .get(model) as OverrideRow | undefined) ?? null
  );
}

/** Insert or replace the override of a model (one per model name: the table's key). */
export function writeOverride(db: Database, row: OverrideRow): void {
  db.prepare(
    `INSERT INTO price_overrides (model, provider, input_price, output_price, cached_input_price, cache_write_price, updated_at)
     VALUES (@model, @provider, @input_price, @output_price, @cached_input_price, @cache_write_price, @updated_at)
     ON CONFLICT (model) DO UPDATE SET provider = excluded.provider, input_price = excluded.input_price,
       output_price = excluded.output_price, cached_input_price = excluded.cached_input_price,
       cache_write_price = excluded.cache_write_price, updated_at = excluded.updated_at`,
  ).run(row);
}

export function deleteOverride(db: Database, model: string): boolean {
  return db.prepare('DELETE FROM price_overrides WHERE model = ?').run(model).changes === 1;
}
