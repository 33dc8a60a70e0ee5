import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from '../ledger/settings';
import { addNano, type Nano } from '../money';

/**
 * Emergency overrides: `burnrate override --usd 5 --for 2h` lifts every enforced line by $5 for two
 * hours. Each one is kept (the log of who spent past a line, how much and when), newest last; the
 * list is trimmed to the last MAX_KEPT so the setting stays small.
 */
export interface Override {
  id: number;
  amountNano: Nano;
  startsAt: string;
  endsAt: string;
  note: string;
}

export const OVERRIDE_SETTING = 'budget_overrides';
const MAX_KEPT = 200;

function isOverride(v: unknown): v is Override {
  const o = v as Override;
  return !!o && typeof o === 'object' && Number.isSafeInteger(o.id) && Number.isSafeInteger(o.amountNano) && o.amountNano > 0 &&
    typeof o.startsAt === 'string' && typeof o.endsAt === 'string' && typeof o.note === 'string';
}

export function readOverrides(db: Database): Override[] {
  const stored = getSetting<unknown>(db, OVERRIDE_SETTING, []);
  return Array.isArray(stored) ? stored.filter(isOverride) : [];
}

/** Overrides in force at `now`. */
export function activeOverrides(list: readonly Override[], now: Date): Override[] {
  const t = now.getTime();
  return list.filter((o) => Date.parse(o.startsAt) <= t && t < Date.parse(o.endsAt));
}

/** How far every line is lifted at `now`: the sum of the overrides in force. */
export function overrideLift(list: readonly Override[], now: Date): Nano {
  let lift = 0;
  for (const o of activeOverrides(list, now)) lift = addNano(lift, o.amountNano);
  return lift;
}

/** Add an override from now for `durationMs`; returns it. */
export function addOverride(db: Database, amountNano: Nano, durationMs: number, note: string, now: Date): Override {
  return db.transaction(() => {
    const list = readOverrides(db);
    const override: Override = {
      id: (list.at(-1)?.id ?? 0) + 1,
      amountNano,
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + durationMs).toISOString(),
      note,
    };
    setSetting(db, OVERRIDE_SETTING, [...list, override].slice(-MAX_KEPT), now);
    return override;
  })();
}

/** "2h", "90m", "1d", "30s" → milliseconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})\s*(s|m|h|d)$/i.exec(text.trim());
  if (!m) return null;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
  const ms = Number(m[1]) * unit;
  return ms > 0 && ms <= 31 * 86_400_000 ? ms : null;
}
