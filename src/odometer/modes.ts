import type { Database } from 'better-sqlite3';
import { defaultModeOf, type TrackingMode } from '../providers/catalog';
import { monthBounds } from './billing';

/** A provider account's tracking mode and billing zone (table provider_accounts, account 'default'). */
export interface ProviderAccount {
  provider: string;
  mode: TrackingMode;
  /** The zone of the provider's billing month (UTC unless configured). */
  billingTz: string;
  /** Whether the user (or Burnrate) stored a row, or these are the catalogue's defaults. */
  configured: boolean;
}

export const MODES: readonly TrackingMode[] = ['api', 'odometer', 'balance', 'subscription', 'manual'];

export function getAccount(db: Database, provider: string): ProviderAccount {
  const row = db
    .prepare("SELECT mode, billing_tz FROM provider_accounts WHERE provider = ? AND account = 'default'")
    .get(provider) as { mode: TrackingMode; billing_tz: string } | undefined;
  return row
    ? { provider, mode: row.mode, billingTz: row.billing_tz, configured: true }
    : { provider, mode: defaultModeOf(provider), billingTz: 'UTC', configured: false };
}

export function listConfigured(db: Database): ProviderAccount[] {
  return (
    db.prepare("SELECT provider, mode, billing_tz FROM provider_accounts WHERE account = 'default' ORDER BY provider").all() as {
      provider: string;
      mode: TrackingMode;
      billing_tz: string;
    }[]
  ).map((r) => ({ provider: r.provider, mode: r.mode, billingTz: r.billing_tz, configured: true }));
}

export function saveAccount(db: Database, account: { provider: string; mode: TrackingMode; billingTz: string }, now: string): void {
  const previous = getAccount(db, account.provider);
  if (previous.mode !== account.mode) recordModeChange(db, account.provider, previous.mode, account.mode, lastFigureOf(db, previous), now);
  db.prepare(
    `INSERT INTO provider_accounts (provider, account, mode, billing_tz, created_at, updated_at)
     VALUES (?, 'default', ?, ?, ?, ?)
     ON CONFLICT (provider, account) DO UPDATE SET mode = excluded.mode, billing_tz = excluded.billing_tz, updated_at = excluded.updated_at`,
  ).run(account.provider, account.mode, account.billingTz, now, now);
}

/**
 * When each mode was in force. A mode applies from the moment it is set; what was counted before
 * stays as it was counted (docs/ledger.md, "Changing a provider's mode"). The changes are kept in
 * the settings table under MODE_CHANGES_KEY as { provider: [{ mode, from }] }, oldest first; `from`
 * null is "since the beginning". A provider that never changed mode has no entry: its current mode
 * was always in force.
 */
export const MODE_CHANGES_KEY = 'mode_changes';

export interface ModeChange {
  mode: TrackingMode;
  /** ISO UTC instant the mode took effect; null for the mode in force since the beginning. */
  from: string | null;
}

type ModeChanges = Record<string, ModeChange[]>;

function readChanges(db: Database): ModeChanges {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(MODE_CHANGES_KEY) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed = JSON.parse(row.value) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as ModeChanges) : {};
  } catch {
    return {};
  }
}

export function modeChanges(db: Database, provider: string): ModeChange[] {
  return readChanges(db)[provider] ?? [];
}

/**
 * Where the measure of `account`'s mode ends: its last odometer figure (a final figure ends at its
 * month's end) or balance figure; null when that mode measured nothing with readings (api,
 * subscription, manual, or no readings yet), so a new reading mode may take figures from any time.
 */
function lastFigureOf(db: Database, account: ProviderAccount): string | null {
  if (account.mode !== 'odometer' && account.mode !== 'balance') return null;
  const kinds = account.mode === 'odometer' ? "('odometer')" : "('balance','topup')";
  const rows = db
    .prepare(`SELECT taken_at, billing_month, is_final FROM readings WHERE provider = ? AND account = 'default' AND deleted_at IS NULL AND kind IN ${kinds}`)
    .all(account.provider) as { taken_at: string; billing_month: string; is_final: 0 | 1 }[];
  let last: number | null = null;
  for (const r of rows) {
    const ms = r.is_final === 1 ? monthBounds(r.billing_month, account.billingTz).endMs : Date.parse(r.taken_at);
    if (last === null || ms > last) last = ms;
  }
  return last === null ? null : new Date(last).toISOString();
}

/**
 * Remember that `provider` left mode `previous` for `next` (call in the write transaction). The
 * new mode counts from where the old one's figures end (`from`, null: from any time), so the
 * spend the old mode measured is never counted twice and figures typed in afterwards for the time
 * after it still count.
 */
export function recordModeChange(db: Database, provider: string, previous: TrackingMode, next: TrackingMode, from: string | null, now: string): void {
  const all = readChanges(db);
  const list = all[provider] ?? [{ mode: previous, from: null }];
  list.push({ mode: next, from });
  all[provider] = list;
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(MODE_CHANGES_KEY, JSON.stringify(all), now);
}

/**
 * The periods of one mode as [startMs, endMs) intervals (−∞/+∞ as ±Infinity). Without any recorded
 * change every time counts: a reading is only accepted in its kind's mode, so each was taken in it.
 */
export function periodsOf(changes: readonly ModeChange[], mode: TrackingMode): { startMs: number; endMs: number }[] {
  if (changes.length === 0) return [{ startMs: -Infinity, endMs: Infinity }];
  const out: { startMs: number; endMs: number }[] = [];
  changes.forEach((c, i) => {
    if (c.mode !== mode) return;
    const next = changes[i + 1];
    out.push({ startMs: c.from === null ? -Infinity : Date.parse(c.from), endMs: next ? (next.from === null ? -Infinity : Date.parse(next.from)) : Infinity });
  });
  return out;
}

/**
 * Whether `mode` was in force at `atMs` (a figure read at the very instant of a switch belongs to
 * both sides: it ends one mode's measure and starts the other's), or at any time in
 * [atMs, untilMs) when untilMs is given.
 */
export function inForce(periods: readonly { startMs: number; endMs: number }[], atMs: number, untilMs?: number): boolean {
  if (untilMs === undefined) return periods.some((p) => p.startMs <= atMs && atMs <= p.endMs);
  return periods.some((p) => p.startMs < untilMs && atMs < p.endMs);
}
