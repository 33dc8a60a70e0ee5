import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayUsd } from '../../../main/lib/format';
import { iconStateOf, renderTray, TRAY_ICON_STATES, type MenuItemSpec, type TrayAction, type TrayState } from '../../../main/lib/tray-render';
import { TrayService, type NativeTrayLike, type Rect } from '../../../main/lib/tray-service';
import { SyncErrors, trayStateFromStatus } from '../../../main/lib/tray-state';

const ASSETS = '/app/assets/tray';
const base: TrayState = {
  health: 'good',
  todaySpentUsd: '1.2345',
  dayBudgetUsd: '2.00',
  syncError: null,
  paused: false,
  openAtLogin: false,
  platform: 'darwin',
};

describe('displayUsd', () => {
  it('rounds to the cent, half to even, with separators', () => {
    expect(displayUsd('1.2345')).toBe('$1.23');
    expect(displayUsd('1.235')).toBe('$1.24');
    expect(displayUsd('1.225')).toBe('$1.22');
    expect(displayUsd('0')).toBe('$0.00');
    expect(displayUsd('1234567.891')).toBe('$1,234,567.89');
    expect(displayUsd('-0.50')).toBe('-$0.50');
  });
  it('never shows a little spend as none', () => {
    expect(displayUsd('0.004')).toBe('<$0.01');
    expect(displayUsd('0.000075')).toBe('<$0.01');
    expect(displayUsd('0.005')).toBe('<$0.01'); // half to even: 0.5 cent → 0
    expect(displayUsd('0.0051')).toBe('$0.01');
  });
});

describe('renderTray', () => {
  it('picks the icon from health, with alarms above a sync error above the rest', () => {
    expect(iconStateOf({ health: 'good', syncError: null })).toBe('good');
    expect(iconStateOf({ health: null, syncError: null })).toBe('none');
    expect(iconStateOf({ health: 'warning', syncError: 'HTTP 401' })).toBe('error');
    expect(iconStateOf({ health: null, syncError: 'HTTP 401' })).toBe('error');
    expect(iconStateOf({ health: 'critical', syncError: 'HTTP 401' })).toBe('critical');
    expect(iconStateOf({ health: 'exceeded', syncError: 'HTTP 401' })).toBe('exceeded');
  });

  it('uses template images on macOS and coloured ones elsewhere', () => {
    for (const health of ['good', 'warning', 'critical', 'exceeded'] as const) {
      expect(renderTray({ ...base, health }, ASSETS).iconPath).toBe(path.join(ASSETS, `tray-${health}Template.png`));
      expect(renderTray({ ...base, health, platform: 'win32' }, ASSETS).iconPath).toBe(path.join(ASSETS, `tray-${health}.png`));
    }
    expect(renderTray({ ...base, health: null, platform: 'linux' }, ASSETS).iconPath).toBe(path.join(ASSETS, 'tray-none.png'));
    expect(TRAY_ICON_STATES).toHaveLength(6);
  });

  it("titles the macOS menu bar with today's spend; no title elsewhere", () => {
    expect(renderTray(base, ASSETS).title).toBe('$1.23');
    expect(renderTray({ ...base, todaySpentUsd: null }, ASSETS).title).toBe('');
    expect(renderTray({ ...base, platform: 'win32' }, ASSETS).title).toBe('');
  });

  it('says the figures, the sync problem and the pause in the tooltip', () => {
    expect(renderTray(base, ASSETS).tooltip).toBe('Burnrate — today $1.23 of $2.00 — on track');
    const view = renderTray({ ...base, health: 'exceeded', todaySpentUsd: '2.5', syncError: 'openai: key refused', paused: true }, ASSETS);
    expect(view.tooltip.split('\n')).toEqual(['Burnrate — today $2.50 of $2.00 — over budget', 'Sync problem: openai: key refused', 'Notifications paused']);
    expect(renderTray({ ...base, health: null, dayBudgetUsd: null }, ASSETS).tooltip).toBe('Burnrate — today $1.23 (no budget set)');
  });

  it('builds the menu: open dashboard, sync now, enter a reading, pause toggle, quit', () => {
    const ids = (menu: MenuItemSpec[]) => menu.filter((i) => i.type !== 'separator').map((i) => ('id' in i ? i.id : ''));
    const mac = renderTray(base, ASSETS);
    expect(ids(mac.menu)).toEqual(['summary', 'open-dashboard', 'sync-now', 'enter-reading', 'toggle-pause', 'toggle-login', 'quit']);
    expect(mac.menuMode).toBe('popup');
    const pause = (menu: MenuItemSpec[]) => menu.find((i) => i.type === 'checkbox' && i.id === 'toggle-pause');
    expect(pause(mac.menu)).toMatchObject({ checked: false });
    expect(pause(renderTray({ ...base, paused: true }, ASSETS).menu)).toMatchObject({ checked: true });

    const linux = renderTray({ ...base, platform: 'linux' }, ASSETS);
    expect(ids(linux.menu)).toContain('open-glance');
    expect(linux.menuMode).toBe('attach');
    expect(renderTray({ ...base, platform: 'win32' }, ASSETS).menuMode).toBe('attach');
  });

  it('is a pure function: equal states give equal views', () => {
    expect(renderTray({ ...base }, ASSETS)).toEqual(renderTray({ ...base }, ASSETS));
  });
});

class FakeTray implements NativeTrayLike {
  calls: string[] = [];
  contextMenu: unknown = undefined;
  popped: unknown[] = [];
  private readonly listeners = new Map<string, (bounds: Rect | undefined) => void>();
  constructor(readonly initialIcon: string) {}
  setImage(p: string) { this.calls.push(`image ${path.basename(p)}`); }
  setTitle(t: string) { this.calls.push(`title ${t}`); }
  setToolTip(t: string) { this.calls.push(`tooltip ${t.split('\n')[0]}`); }
  setContextMenu(m: unknown) { this.calls.push('menu'); this.contextMenu = m; }
  popUpContextMenu(m: unknown) { this.popped.push(m); }
  getBounds(): Rect { return { x: 100, y: 0, width: 22, height: 22 }; }
  on(event: 'click' | 'right-click', listener: (bounds: Rect | undefined) => void) { this.listeners.set(event, listener); }
  destroy() { this.calls.push('destroy'); }
  fire(event: 'click' | 'right-click', bounds?: Rect) { this.listeners.get(event)?.(bounds); }
}

function service(platform: NodeJS.Platform = 'win32') {
  const trays: FakeTray[] = [];
  const menus: { spec: readonly MenuItemSpec[]; onAction: (a: TrayAction) => void }[] = [];
  const actions: TrayAction[] = [];
  const clicks: (Rect | undefined)[] = [];
  const svc = new TrayService({
    createTray: (icon) => {
      const t = new FakeTray(icon);
      trays.push(t);
      return t;
    },
    buildMenu: (spec, onAction) => {
      const menu = { spec, onAction };
      menus.push(menu);
      return menu;
    },
    assetsDir: ASSETS,
    onAction: (a) => actions.push(a),
    onClick: (b) => clicks.push(b),
  });
  const state = { ...base, platform };
  return { svc, trays, menus, actions, clicks, state };
}

describe('TrayService', () => {
  it('creates the native tray once and sets everything on the first render', () => {
    const { svc, trays, menus, state } = service('win32');
    svc.render(state);
    expect(trays).toHaveLength(1);
    expect(path.basename(trays[0]!.initialIcon)).toBe('tray-good.png');
    expect(trays[0]!.calls).toEqual(['title ', 'tooltip Burnrate — today $1.23 of $2.00 — on track', 'menu']);
    expect(trays[0]!.contextMenu).toBe(menus[0]);
  });

  it('is idempotent: the same state again touches nothing', () => {
    const { svc, trays, menus, state } = service('win32');
    svc.render(state);
    svc.render({ ...state });
    expect(trays).toHaveLength(1);
    expect(trays[0]!.calls).toHaveLength(3);
    expect(menus).toHaveLength(1);
  });

  it('sets only what changed', () => {
    const { svc, trays, menus, state } = service('win32');
    svc.render(state);
    trays[0]!.calls = [];
    svc.render({ ...state, health: 'warning' });
    expect(trays[0]!.calls).toEqual(['image tray-warning.png', 'tooltip Burnrate — today $1.23 of $2.00 — nearing the budget', 'menu']);
    trays[0]!.calls = [];
    svc.render({ ...state, health: 'warning', paused: true });
    expect(trays[0]!.calls).toEqual(['tooltip Burnrate — today $1.23 of $2.00 — nearing the budget', 'menu']);
    expect(menus).toHaveLength(3);
  });

  it('routes menu clicks and icon clicks', () => {
    const { svc, trays, menus, actions, clicks, state } = service('win32');
    svc.render(state);
    menus[0]!.onAction('sync-now');
    trays[0]!.fire('click', { x: 1, y: 2, width: 16, height: 16 });
    expect(actions).toEqual(['sync-now']);
    expect(clicks).toEqual([{ x: 1, y: 2, width: 16, height: 16 }]);
  });

  it('on macOS pops the menu up on right-click instead of attaching it', () => {
    const { svc, trays, menus, state } = service('darwin');
    svc.render(state);
    expect(trays[0]!.calls).not.toContain('menu');
    expect(trays[0]!.calls).toContain('title $1.23');
    trays[0]!.fire('right-click');
    expect(trays[0]!.popped).toEqual([menus[0]]);
    svc.render({ ...state, paused: true });
    trays[0]!.fire('right-click');
    expect(trays[0]!.popped[1]).toBe(menus[1]);
  });

  it('can be destroyed and rendered again', () => {
    const { svc, trays, state } = service('linux');
    svc.render(state);
    svc.destroy();
    expect(trays[0]!.calls).toContain('destroy');
    svc.render(state);
    expect(trays).toHaveLength(2);
  });
});

describe('tray state from status', () => {
  const status = (dayHealth: TrayState['health'], monthHealth: TrayState['health']) => ({
    day: { date: '2026-03-10', spentUsd: '0.80', budgetUsd: dayHealth ? '2.00' : null, reserveUsd: null, spendableUsd: null, health: dayHealth },
    month: { month: '2026-03', spentUsd: '10.00', budgetUsd: null, reserveUsd: null, forecastUsd: '31.00', health: monthHealth, runsOutOn: null },
  });
  const extras = { syncError: null, paused: false, openAtLogin: true, platform: 'darwin' as const };

  it("uses the day's health, else the month's, else none", () => {
    expect(trayStateFromStatus(status('warning', 'good'), extras).health).toBe('warning');
    expect(trayStateFromStatus(status(null, 'critical'), extras).health).toBe('critical');
    expect(trayStateFromStatus(status(null, null), extras).health).toBeNull();
    expect(trayStateFromStatus(status('good', null), extras)).toMatchObject({ todaySpentUsd: '0.80', dayBudgetUsd: '2.00', openAtLogin: true });
  });

  it('shows a status that could not be read as an error', () => {
    const state = trayStateFromStatus(null, { ...extras, statusError: 'The ledger is busy.' });
    expect(state).toMatchObject({ health: null, todaySpentUsd: null, syncError: 'The ledger is busy.' });
    expect(renderTray(state, ASSETS).icon).toBe('error');
  });

  it('keeps a sync error until that provider syncs cleanly', () => {
    const errors = new SyncErrors();
    expect(errors.summary()).toBeNull();
    errors.record({ provider: 'openai', outcome: 'error', rows: 0, message: 'key refused' });
    errors.record({ provider: 'anthropic', outcome: 'ok', rows: 4, message: 'ok' });
    expect(errors.summary()).toBe('openai: key refused');
    errors.record({ provider: 'xai', outcome: 'error', rows: 0, message: 'HTTP 503' });
    expect(errors.summary()).toBe('openai: key refused (and 1 more)');
    errors.record({ provider: 'openai', outcome: 'ok', rows: 2, message: 'ok' });
    errors.record({ provider: 'xai', outcome: 'ok', rows: 2, message: 'ok' });
    expect(errors.summary()).toBeNull();
  });
});
