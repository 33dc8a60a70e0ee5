/**
 * A provider's local day: the unit that rollups, budget checks and re-derivation work on. Writers
 * report the keys whose totals changed ("touched"), and listeners re-check only those.
 */
export interface DayKey {
  localDay: string;
  provider: string;
}

/** One string per key, for maps and sets. */
export function dayKeyId(key: DayKey): string {
  return `${key.localDay}|${key.provider}`;
}

/** Each key once, in first-seen order, as plain `{ localDay, provider }` objects. */
export function uniqueDayKeys(keys: Iterable<DayKey>): DayKey[] {
  const seen = new Map<string, DayKey>();
  for (const k of keys) {
    const id = dayKeyId(k);
    if (!seen.has(id)) seen.set(id, { localDay: k.localDay, provider: k.provider });
  }
  return [...seen.values()];
}
