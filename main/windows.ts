import { BrowserWindow, screen } from 'electron';
import type { TrustedSenders } from './lib/ipc-gateway';
import { PopoverController } from './lib/popover-controller';
import type { Rect } from './lib/popover-position';
import { hashOf, type Route } from '../renderer/src/routes';
import { pageUrl, POPOVER_PAGE, WINDOW_PAGE } from './lib/pages';
import { secureWebPreferences } from './lib/web-preferences';
import { fitToDisplays, MIN_WINDOW_SIZE, type WindowStateFile } from './lib/window-state';

/**
 * The two surfaces: the tray popover (frameless, no taskbar entry, hidden on blur) and the
 * dashboard window (remembers its size). Both are created lazily, get their webPreferences from
 * the one factory, and are registered as trusted IPC senders.
 */

export const POPOVER_SIZE = Object.freeze({ width: 360, height: 520 });

export interface SurfacesDeps {
  preload: string;
  devTools: boolean;
  senders: TrustedSenders;
  windowState: WindowStateFile;
  /** Deliver a navigate event to one page (through the IPC gateway). */
  navigate(contents: Electron.WebContents, route: Route): void;
  trayBounds(): Rect | null;
}

export class Surfaces {
  private popoverWindow: BrowserWindow | null = null;
  private dashboard: BrowserWindow | null = null;
  readonly popover: PopoverController;

  constructor(private readonly deps: SurfacesDeps) {
    this.popover = new PopoverController({
      window: () => this.ensurePopover({ surface: 'popover' }),
      screen,
      trayBounds: () => deps.trayBounds(),
      now: () => performance.now(),
    });
  }

  /** Show a route: the popover or the window, on the right view. */
  open(route: Route, trayClickBounds?: Rect): void {
    if (route.surface === 'popover') {
      const created = !this.popoverWindow;
      const win = this.ensurePopover(route);
      if (!created) this.deliver(win, route);
      this.popover.show(trayClickBounds);
      return;
    }
    const created = !this.dashboard;
    const win = this.ensureDashboard(route);
    if (!created) this.deliver(win, route);
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  /** Save the dashboard's size now (before quit). */
  saveWindowState(): void {
    if (this.dashboard && !this.dashboard.isDestroyed()) this.remember(this.dashboard);
  }

  destroyAll(): void {
    for (const win of [this.popoverWindow, this.dashboard]) if (win && !win.isDestroyed()) win.destroy();
  }

  private deliver(win: BrowserWindow, route: Route): void {
    const send = () => this.deps.navigate(win.webContents, route);
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', send);
    else send();
  }

  private ensurePopover(route: Route): BrowserWindow {
    if (this.popoverWindow && !this.popoverWindow.isDestroyed()) return this.popoverWindow;
    // webPreferences come from the one factory (main/lib/web-preferences.ts: contextIsolation, sandbox,
    // Auxclick off …), proven by test/unit/main/web-preferences.test.ts and by scripts/electronegativity.mjs
    // scanning its output; the scanner cannot follow the call, hence the annotation.
    const win = new BrowserWindow({ /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK PRELOAD_JS_CHECK */
      ...POPOVER_SIZE,
      show: false,
      frame: false,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      title: 'Burnrate',
      webPreferences: secureWebPreferences({ preload: this.deps.preload, devTools: this.deps.devTools, kind: 'popover' }), // eng-disable PRELOAD_JS_CHECK (reviewed: main/preload.ts exposes only createBridgeApi)
    });
    // Follow the user across Spaces on macOS, as menubar does.
    if (process.platform === 'darwin') win.setVisibleOnAllWorkspaces(true, { skipTransformProcessType: true });
    win.on('blur', () => this.popover.onBlur());
    win.on('closed', () => {
      this.popoverWindow = null;
    });
    this.deps.senders.add(win.webContents);
    void win.loadURL(pageUrl(POPOVER_PAGE, hashOf(route)));
    this.popoverWindow = win;
    return win;
  }

  private ensureDashboard(route: Route): BrowserWindow {
    if (this.dashboard && !this.dashboard.isDestroyed()) return this.dashboard;
    const state = fitToDisplays(this.deps.windowState.load(), screen.getAllDisplays());
    // webPreferences: the one factory, as for the popover above.
    const win = new BrowserWindow({ /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK PRELOAD_JS_CHECK */
      width: state.width,
      height: state.height,
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      show: false,
      title: 'Burnrate',
      webPreferences: secureWebPreferences({ preload: this.deps.preload, devTools: this.deps.devTools, kind: 'window' }), // eng-disable PRELOAD_JS_CHECK (reviewed: as above)
    });
    if (state.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    win.on('close', () => this.remember(win));
    win.on('closed', () => {
      this.dashboard = null;
    });
    this.deps.senders.add(win.webContents);
    void win.loadURL(pageUrl(WINDOW_PAGE, hashOf(route)));
    this.dashboard = win;
    return win;
  }

  private remember(win: BrowserWindow): void {
    const bounds = win.getNormalBounds();
    try {
      this.deps.windowState.save({ ...bounds, maximized: win.isMaximized() });
    } catch {
      // A read-only data folder must not stop the window from closing.
    }
  }
}
