import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from '../ledger/settings';
import { addTotal, type Nano, type NanoTotal } from '../money';

/**
 * Emergency overrides: `burnrate override --usd 5 --for 2h` lifts every enforced line by $5 for two
 * hours. Each one is kept (the log of who spent past a line, how much and when), newest last; the
 * list is trimmed to the last MAX_KEPT so the setting stays small. One ended early keeps its planned
 * endsAt beside endedAt, so the log shows both what was asked and what happened.
 */
/** Where an override was added or ended: the log says so beside the note. */
export const OVERRIDE_ORIGINS = ['window', 'tray', 'cli', 'mcp', 'api'] as const;
export type OverrideOrigin = (typeof OVERRIDE_ORIGINS)[number];
const isOrigin = (v: unknown): v is OverrideOrigin => (OVERRIDE_ORIGINS as readonly unknown[]).includes(v);

export interface Override {
  id: number;
  amountNano: Nano;
  startsAt: string;
  endsAt: string;
  note: string;
  /** Where it was added; absent in overrides kept before origins were (their note said it). */
  by?: OverrideOrigin;
  /** Set when it was ended before endsAt; it stops lifting from this instant. */
  endedAt?: string;
  /** Where it was ended early. */
  endedBy?: OverrideOrigin;
}

export const OVERRIDE_SETTING = 'budget_overrides';
const MAX_KEPT = 200;

function isOverride(v: unknown): v is Override {
  const o = v as Override;
  return !!o && typeof o === 'object' && Number.isSafeInteger(o.id) && Number.isSafeInteger(o.amountNano) && o.amountNano > 0 &&
    typeof o.startsAt === 'string' && typeof o.endsAt === 'string' && typeof o.note === 'string' &&
    (o.by === undefined || isOrigin(o.by)) && (o.endedAt === undefined || typeof o.endedAt === 'string') && (o.endedBy === undefined || isOrigin(o.endedBy));
}

/** When it stops lifting: ended early, else as planned. */
export function overrideEndsAt(o: Override): string {
  return o.endedAt ?? o.endsAt;
}

export function readOverrides(db: Database): Override[] {
  const stored = getSetting<unknown>(db, OVERRIDE_SETTING, []);
  return Array.isArray(stored) ? stored.filter(isOverride) : [];
}

/** Overrides in force at `now`. */
export function activeOverrides(list: readonly Override[], now: Date): Override[] {
  const t = now.getTime();
  return list.filter((o) => Date.parse(o.startsAt) <= t && t < Date.parse(overrideEndsAt(o)));
}

/** How far every line is lifted at `now`: the sum of the overrides in force. */
/** The lift of the overrides active now, summed as a total: a few large ones may pass what one amount can hold. */
export function overrideLift(list: readonly Override[], now: Date): NanoTotal {
  let lift = 0n;
  for (const o of activeOverrides(list, now)) lift = addTotal(lift, o.amountNano);
  return lift;
}

/** Add an override from now for `durationMs`; returns it. */
export function addOverride(db: Database, amountNano: Nano, durationMs: number, note: string, now: Date, by?: OverrideOrigin): Override {
  return db.transaction(() => {
    const list = readOverrides(db);
    const override: Override = {
      id: (list.at(-1)?.id ?? 0) + 1,
      amountNano,
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + durationMs).toISOString(),
      note,
      ...(by ? { by } : {}),
    };
    setSetting(db, OVERRIDE_SETTING, [...list, override].slice(-MAX_KEPT), now);
    return override;
  })();
}

export type EndOutcome = { ended: Override } | { unknown: true } | { alreadyEnded: Override };

/**
 * End override `id` at `now` (before its planned end). Read and written in one transaction, so two
 * processes cannot both end it; the proxies of every process read the list on each request, so the
 * lift stops counting for all of them at once.
 */
export function endOverride(db: Database, id: number, by: OverrideOrigin, now: Date): EndOutcome {
  return db.transaction((): EndOutcome => {
    const list = readOverrides(db);
    const found = list.find((o) => o.id === id);
    if (!found) return { unknown: true };
    if (activeOverrides([found], now).length === 0) return { alreadyEnded: found };
    const ended: Override = { ...found, endedAt: now.toISOString(), endedBy: by };
    setSetting(db, OVERRIDE_SETTING, list.map((o) => (o.id === id ? ended : o)), now);
    return { ended };
  }).immediate();
}

/** "2h", "90m", "1d", "30s" → milliseconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})\s*(s|m|h|d)$/i.exec(text.trim());
  if (!m) return null;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
  const ms = Number(m[1]) * unit;
  return ms > 0 && ms <= 31 * 86_400_000 ? ms : null;
}
