import { formatUsdExactForPeople, type Nano } from '../money';
import type { LedgerDb } from '../model/ports';
import { providerNamer } from '../providers/names';
import { offsetMs } from '../time';

/** Wording shared by messages: every sentence says what happened and what to do. */

/** The exact figure (readings: every digit matters), thousands grouped as everywhere people read money. */
export function usd(nano: Nano): string {
  return formatUsdExactForPeople(nano);
}

/** "2026-03-20 12:00 (UTC)" in the given zone. */
export function when(ms: number, tz: string): string {
  const local = new Date(ms + offsetMs(ms, tz)).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} (${tz})`;
}

/** The provider's name in a sentence: as everywhere people read it (a subscription by its typed name). */
export function nameOf(core: { db: LedgerDb }, provider: string): string {
  return providerNamer(core.db)(provider);
}
