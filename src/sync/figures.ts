import type { Database } from 'better-sqlite3';
import type { SyncPage } from '../providers/types';

/**
 * Figures a provider reports that are shown but never counted as its spend (table sync_figures,
 * migration 006): OpenRouter's BYOK usage this month is billed by the upstream provider (the
 * user's own OpenAI or Anthropic key), not by OpenRouter. One row per name and billing month:
 * the latest figure, and when it was first seen at that figure.
 */
export type Figure = NonNullable<SyncPage['figures']>[number];

export function recordFigures(db: Database, provider: string, figures: readonly Figure[], runId: number): { changed: boolean } {
  const upsert = db.prepare(
    `INSERT INTO sync_figures (provider, account, name, period, amount_nano, observed_at, run_id)
     VALUES (?, 'default', ?, ?, ?, ?, ?)
     ON CONFLICT (provider, account, name, period) DO UPDATE SET amount_nano = excluded.amount_nano,
       observed_at = excluded.observed_at, run_id = excluded.run_id
     WHERE excluded.amount_nano IS NOT sync_figures.amount_nano AND excluded.observed_at >= sync_figures.observed_at`,
  );
  let changed = false;
  for (const f of figures) changed = upsert.run(provider, f.name, f.period, f.amountNano, f.at.toISOString(), runId).changes > 0 || changed;
  return { changed };
}

/** The figure `name` of each provider for one billing month (YYYY-MM). */
export function figuresOf(db: Database, name: Figure['name'], period: string): Map<string, number> {
  const rows = db
    .prepare("SELECT provider, amount_nano FROM sync_figures WHERE account = 'default' AND name = ? AND period = ?")
    .all(name, period) as { provider: string; amount_nano: number }[];
  return new Map(rows.map((r) => [r.provider, r.amount_nano]));
}
