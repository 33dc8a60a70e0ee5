import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from './ledger/settings';

/**
 * User settings that are not budgets, kept in the ledger's settings table so the tray app, the
 * CLI and `burnrate serve` agree. Each has a key, a default and a meaning.
 */
export interface AppSettings {
  /** Default interval between provider syncs (a provider may override it). */
  syncIntervalMinutes: number;
  /** No native notifications or webhooks while paused (alerts are still stored). */
  notificationsPaused: boolean;
  /** Start the tray app at login (applied by the desktop app). */
  startAtLogin: boolean;
  /** Drift above this share (basis points) is listed under "needs attention". */
  driftThresholdBp: number;
  /** Start the metering proxy with the tray app and `burnrate serve` (docs/proxy.md). */
  proxyEnabled: boolean;
  /**
   * The metering proxy's port when the process is not given one (BURNRATE_PROXY_PORT, serve's
   * --proxy-port); 0 is any free port; null: the default (4318, or a free one beside a serve on one).
   */
  proxyPort: number | null;
}

export const SETTING_KEYS: { [K in keyof AppSettings]: { key: string; fallback: AppSettings[K] } } = {
  syncIntervalMinutes: { key: 'sync_minutes_default', fallback: 60 },
  notificationsPaused: { key: 'notifications_paused', fallback: false },
  startAtLogin: { key: 'start_at_login', fallback: false },
  driftThresholdBp: { key: 'drift_threshold_bp', fallback: 500 },
  proxyEnabled: { key: 'proxy_enabled', fallback: true },
  proxyPort: { key: 'proxy_port', fallback: null },
};

export function readSettings(db: Database): AppSettings {
  const out = {} as Record<string, unknown>;
  for (const [name, { key, fallback }] of Object.entries(SETTING_KEYS)) out[name] = getSetting(db, key, fallback);
  return out as unknown as AppSettings;
}

export function writeSettings(db: Database, patch: Partial<AppSettings>, now: Date): AppSettings {
  db.transaction(() => {
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const spec = SETTING_KEYS[name as keyof AppSettings];
      setSetting(db, spec.key, value, now);
    }
  })();
  return readSettings(db);
}
