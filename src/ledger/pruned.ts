import type { Database } from 'better-sqlite3';
import { getSetting } from './settings';

/**
 * The retention marker (src/close/retention.ts prunes; docs/month-close.md). Per-request usage
 * events of local days before `retention.pruned_before` are gone; their daily rollups stay and are
 * the record from then on. Derived rows (odometer, balance, subscription) are never pruned: they
 * are one per day and readings re-derive them.
 */
export const PRUNED_BEFORE_KEY = 'retention.pruned_before';

/** usage_events sources that are per-request (or per-bucket) detail, and their rollup sources. */
export const PRUNABLE_EVENT_SOURCES = ['billing_api', 'manual', 'proxy', 'agent_log'] as const;
export const PRUNABLE_ROLLUP_SOURCES = ['api_usage', 'manual', 'proxy', 'agent_log'] as const;

/** The first local day whose raw events are all kept, or null when nothing was ever pruned. */
export function prunedBefore(db: Database): string | null {
  return getSetting<string | null>(db, PRUNED_BEFORE_KEY, null);
}

/** Whether a usage event of `source` on `localDay` falls where raw events were pruned. */
export function isPrunedDay(marker: string | null, source: string, localDay: string): boolean {
  return marker !== null && localDay < marker && (PRUNABLE_EVENT_SOURCES as readonly string[]).includes(source);
}
