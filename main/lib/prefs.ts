import type { Database } from 'better-sqlite3';
import { readSettings } from '../../src/settings';

/**
 * The two settings the desktop shell acts on, read from the app settings (src/settings.ts, the
 * ledger's settings table). The tray menu changes them through the contract (settingsSet), like
 * the window's settings page, so both change the same value.
 */
export interface DesktopPrefs {
  notificationsPaused: boolean;
  /** The settings' `startAtLogin`, named as Electron's login item names it. */
  openAtLogin: boolean;
}

export function readPrefs(db: Database): DesktopPrefs {
  const settings = readSettings(db);
  return { notificationsPaused: settings.notificationsPaused === true, openAtLogin: settings.startAtLogin === true };
}
