import { formatUsd, type Nano } from '../money';
import { displayName } from '../providers/catalog';
import { offsetMs } from '../time';

/** Wording shared by messages: every sentence says what happened and what to do. */

export function usd(nano: Nano): string {
  return `$${formatUsd(nano)}`;
}

/** "2026-03-20 12:00 (UTC)" in the given zone. */
export function when(ms: number, tz: string): string {
  const local = new Date(ms + offsetMs(ms, tz)).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} (${tz})`;
}

export function nameOf(provider: string): string {
  return displayName(provider);
}
