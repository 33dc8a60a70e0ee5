import path from 'node:path';
import type { Health } from '../../src/budget/health';
import { displayUsd } from './format';
import type { Route } from '../../renderer/src/routes';

/**
 * The tray, as a pure function of state (Signal's SystemTrayService#render is the model): icon,
 * macOS title, tooltip and menu. main/lib/tray-service.ts applies the result to a native tray.
 */

export type TrayIconState = Health | 'none' | 'error';
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['good', 'warning', 'critical', 'exceeded', 'none', 'error'];

export interface TrayState {
  /** Today's health (else the month's when only a monthly budget is set); null: no budget. */
  health: Health | null;
  todaySpentUsd: string | null;
  /** Today's budget, for the tooltip. */
  dayBudgetUsd: string | null;
  /** Why the last sync (or reading the status) failed; null when all is well. */
  syncError: string | null;
  paused: boolean;
  openAtLogin: boolean;
  platform: NodeJS.Platform;
}

export type TrayAction = 'open-dashboard' | 'open-glance' | 'sync-now' | 'enter-reading' | 'toggle-pause' | 'toggle-login' | 'quit';

/** The menu items that only show a view, and the route (the renderer's own, renderer/src/routes.ts) each opens. */
export const TRAY_ROUTES = {
  'open-dashboard': { surface: 'window', view: 'dashboard' },
  'open-glance': { surface: 'popover' },
  'enter-reading': { surface: 'popover', focus: 'reading' },
} as const satisfies Partial<Record<TrayAction, Route>>;

export type MenuItemSpec =
  | { type: 'separator' }
  | { type: 'normal'; id: TrayAction | 'summary'; label: string; enabled: boolean }
  | { type: 'checkbox'; id: TrayAction; label: string; checked: boolean };

export interface TrayView {
  icon: TrayIconState;
  iconPath: string;
  /** macOS shows it next to the icon; empty elsewhere. */
  title: string;
  tooltip: string;
  menu: MenuItemSpec[];
  /**
   * 'popup': macOS, where an attached menu would swallow the left click that opens the popover,
   * so the menu pops up on right-click. 'attach': Windows and Linux (where AppIndicator trays
   * deliver no clicks at all, so the menu is the only way in).
   */
  menuMode: 'attach' | 'popup';
}

/**
 * Which icon: the budget's alarm states win over a sync error (the money is the point); a sync
 * error wins over good, warning and no budget, because those figures may be stale.
 */
export function iconStateOf(state: Pick<TrayState, 'health' | 'syncError'>): TrayIconState {
  if (state.health === 'exceeded' || state.health === 'critical') return state.health;
  if (state.syncError) return 'error';
  return state.health ?? 'none';
}

export function iconPathOf(icon: TrayIconState, platform: NodeJS.Platform, assetsDir: string): string {
  // macOS template images ("…Template.png", black + alpha) are tinted by the system for light and
  // dark menu bars; Electron picks the @2x file beside each automatically.
  const name = platform === 'darwin' ? `tray-${icon}Template.png` : `tray-${icon}.png`;
  return path.join(assetsDir, name);
}

const HEALTH_WORDS: Record<Health, string> = {
  good: 'on track',
  warning: 'nearing the budget',
  critical: 'into the reserve',
  exceeded: 'over budget',
};

function summaryLine(state: TrayState): string {
  const spent = state.todaySpentUsd === null ? null : displayUsd(state.todaySpentUsd);
  if (spent === null) return 'Today: not known yet';
  if (state.dayBudgetUsd !== null) {
    const health = state.health ? ` — ${HEALTH_WORDS[state.health]}` : '';
    return `Today: ${spent} of ${displayUsd(state.dayBudgetUsd)}${health}`;
  }
  if (state.health) return `Today: ${spent} — month ${HEALTH_WORDS[state.health]}`;
  return `Today: ${spent} (no budget set)`;
}

export function renderTray(state: TrayState, assetsDir: string): TrayView {
  const icon = iconStateOf(state);
  const mac = state.platform === 'darwin';
  const summary = summaryLine(state);
  const tooltipLines = [`Burnrate — ${summary.replace(/^Today: /, 'today ')}`];
  if (state.syncError) tooltipLines.push(`Sync problem: ${state.syncError}`);
  if (state.paused) tooltipLines.push('Notifications paused');

  const menu: MenuItemSpec[] = [
    { type: 'normal', id: 'summary', label: summary, enabled: false },
    ...(state.syncError ? [{ type: 'normal' as const, id: 'summary' as const, label: `Sync problem: ${state.syncError}`, enabled: false }] : []),
    { type: 'separator' },
    // Linux trays often deliver no click, so the glance gets a menu item there.
    ...(state.platform === 'linux' ? [{ type: 'normal' as const, id: 'open-glance' as const, label: "Show Today's Glance", enabled: true }] : []),
    { type: 'normal', id: 'open-dashboard', label: 'Open Dashboard', enabled: true },
    { type: 'normal', id: 'sync-now', label: 'Sync Now', enabled: true },
    { type: 'normal', id: 'enter-reading', label: 'Enter a Reading…', enabled: true },
    { type: 'separator' },
    { type: 'checkbox', id: 'toggle-pause', label: 'Pause Notifications', checked: state.paused },
    { type: 'checkbox', id: 'toggle-login', label: mac ? 'Open at Login' : 'Start at Login', checked: state.openAtLogin },
    { type: 'separator' },
    { type: 'normal', id: 'quit', label: 'Quit Burnrate', enabled: true },
  ];

  return {
    icon,
    iconPath: iconPathOf(icon, state.platform, assetsDir),
    title: mac && state.todaySpentUsd !== null ? displayUsd(state.todaySpentUsd) : '',
    tooltip: tooltipLines.join('\n'),
    menu,
    menuMode: mac ? 'popup' : 'attach',
  };
}
