import type { ProviderStatus } from '../../../src/api/contract';
import { hoursBetween, relativeTime } from '../format/time';

/** A typed-in figure older than this is worth refreshing from the console. */
export const STALE_READING_HOURS = 48;
/** A billing API syncs every few hours: a day without a good sync means something is wrong. */
export const STALE_SYNC_HOURS = 26;

export interface SourceAge {
  /** "reading 3 days ago", "synced 2 h ago", "last usage 2026-11-27", "flat monthly fee". */
  text: string;
  stale: boolean;
  /** The instant or day the text is about (a tooltip), if any. */
  at: string | null;
}

/**
 * How old a provider's figure really is, by the source its mode relies on: the latest reading for
 * odometer and balance figures, the latest good sync for billed ones, the latest recorded usage for
 * estimates.
 * Not when a row was last written: a three-day-old reading entered today is three days old.
 */
export function sourceAge(p: Pick<ProviderStatus, 'source' | 'mode' | 'lastReadingAt' | 'lastSyncAt' | 'lastUsageDay'>, asOf: string): SourceAge {
  const timed = (what: string, at: string | null, limit: number, never: string): SourceAge => {
    const hours = hoursBetween(at, asOf);
    if (at === null || hours === null) return { text: never, stale: true, at: null };
    return { text: `${what} ${relativeTime(at, asOf)}`, stale: hours > limit, at };
  };
  // The source that counted says what the figure rests on; before anything counted, the mode does.
  const basis = p.source === 'billed' ? 'api' : p.source === 'estimate' ? 'manual' : p.source === 'none' ? p.mode : p.source;
  switch (basis) {
    case 'odometer':
    case 'balance':
      return timed('reading', p.lastReadingAt, STALE_READING_HOURS, 'no reading yet');
    case 'api':
      return timed('synced', p.lastSyncAt, STALE_SYNC_HOURS, 'never synced');
    case 'subscription':
      return { text: 'flat monthly fee', stale: false, at: null };
    default:
      // Manual records, proxy and agent logs arrive when there is usage: their age is not a fault.
      return p.lastUsageDay ? { text: `last usage ${p.lastUsageDay}`, stale: false, at: p.lastUsageDay } : { text: 'no usage yet', stale: false, at: null };
  }
}
