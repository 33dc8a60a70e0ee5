import type { Database } from 'better-sqlite3';
import type { UnreadableRow } from '../providers/types';

/**
 * Rows of a provider's answer that Burnrate could not read (table sync_unreadable, migration 006).
 * They are kept aside with the provider's raw row and the reason, never counted as $0, and shown in
 * "needs attention" and `status --json` until the provider answers for that bucket again: a page
 * replaces the kept-aside rows of every scope (answer + bucket) it covers.
 */

/** A raw row is stored as JSON, cut at this length (a provider's row is small; a runaway one is not). */
const MAX_RAW_CHARS = 4_000;

export interface UnreadableView {
  provider: string;
  scope: string;
  reason: string;
  raw: string;
  seenAt: string;
}

function rawText(raw: unknown): string {
  const text = JSON.stringify(raw) ?? 'null';
  return text.length > MAX_RAW_CHARS ? `${text.slice(0, MAX_RAW_CHARS)}…` : text;
}

/** Replace the kept-aside rows of the scopes a page covered by the page's own. Call inside the page's transaction. */
export function replaceUnreadable(
  db: Database,
  provider: string,
  page: { scopes: readonly string[]; rows: readonly UnreadableRow[] },
  runId: number,
  now: Date,
): { changed: boolean } {
  const remove = db.prepare("DELETE FROM sync_unreadable WHERE provider = ? AND account = 'default' AND scope = ?");
  const insert = db.prepare(
    `INSERT INTO sync_unreadable (provider, account, scope, position, raw, reason, run_id, seen_at)
     VALUES (?, 'default', ?, ?, ?, ?, ?, ?)
     ON CONFLICT (provider, account, scope, position) DO UPDATE SET raw = excluded.raw, reason = excluded.reason,
       run_id = excluded.run_id, seen_at = excluded.seen_at`,
  );
  let removed = 0;
  for (const scope of new Set([...page.scopes, ...page.rows.map((r) => r.scope)])) removed += remove.run(provider, scope).changes;
  for (const row of page.rows) insert.run(provider, row.scope, row.position, rawText(row.raw), row.reason, runId, now.toISOString());
  return { changed: removed > 0 || page.rows.length > 0 };
}

/** Every kept-aside row, by provider and scope. */
export function listUnreadable(db: Database): UnreadableView[] {
  return db
    .prepare(
      `SELECT provider, scope, reason, raw, seen_at AS seenAt FROM sync_unreadable
       WHERE account = 'default' ORDER BY provider, scope, position`,
    )
    .all() as UnreadableView[];
}
