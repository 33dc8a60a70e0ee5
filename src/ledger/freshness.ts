import type { Database } from 'better-sqlite3';

/**
 * How old each provider's figures really are, by where they come from: the latest reading typed in,
 * the latest sync that succeeded, the latest day with recorded usage. provider_activity says when a
 * row was last written, which is "just now" for a reading of three days ago entered today.
 * Reads small tables only (readings, sync_runs, daily_rollups), never the raw usage rows.
 */
export interface SourceAges {
  /** taken_at of the latest reading the user entered (not one a sync derived), ISO UTC. */
  lastReadingAt: string | null;
  /** finished_at of the latest sync that ended well, ISO UTC. */
  lastSyncAt: string | null;
  /** The latest local day with recorded usage events. */
  lastUsageDay: string | null;
}

const EMPTY: SourceAges = { lastReadingAt: null, lastSyncAt: null, lastUsageDay: null };

export function sourceAges(db: Database): Map<string, SourceAges> {
  const ages = new Map<string, SourceAges>();
  const put = (provider: string, patch: Partial<SourceAges>) => ages.set(provider, { ...(ages.get(provider) ?? EMPTY), ...patch });
  const rows = (sql: string) => db.prepare(sql).all() as { provider: string; at: string | null }[];
  for (const r of rows("SELECT provider, MAX(taken_at) AS at FROM readings WHERE deleted_at IS NULL AND origin = 'user' GROUP BY provider")) put(r.provider, { lastReadingAt: r.at });
  for (const r of rows("SELECT provider, MAX(finished_at) AS at FROM sync_runs WHERE outcome = 'ok' GROUP BY provider")) put(r.provider, { lastSyncAt: r.at });
  for (const r of rows('SELECT provider, MAX(local_day) AS at FROM daily_rollups WHERE events > 0 GROUP BY provider')) put(r.provider, { lastUsageDay: r.at });
  return ages;
}

export function agesOf(ages: Map<string, SourceAges>, provider: string): SourceAges {
  return ages.get(provider) ?? EMPTY;
}
