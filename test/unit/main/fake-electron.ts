/**
 * A stand-in for the `electron` module, for the wiring test of dist/main/main.cjs: the API
 * surface main/ uses, recording what the app does with it. Electron's binary cannot run on these
 * machines; this lets the real bundle boot under Node so its wiring (order, handlers, shutdown)
 * is exercised. Behaviour is Electron's documented one, reduced to what the app relies on.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: never[]) => unknown;

class Emitter extends EventEmitter {
  override on(event: string | symbol, listener: Listener): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
}

let nextId = 1;

export class FakeWebContents extends Emitter {
  readonly id = nextId++;
  url = '';
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  private destroyed = false;
  isLoading() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...structuredClone(args)]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export function createFakeElectron(options: { appPath: string }) {
  const app = new Emitter() as Emitter & Record<string, unknown> & { getPath(name: string): string; quit(): void };
  const paths = new Map<string, string>();
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const record = {
    quitCalls: 0,
    exitCode: null as number | null,
    loginItems: [] as unknown[],
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    permissionRequest: null as null | ((...args: unknown[]) => void),
    ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
    windows: [] as FakeBrowserWindow[],
    trays: [] as FakeTray[],
    menus: [] as { template: Record<string, unknown>[] }[],
    notifications: [] as FakeNotification[],
    opened: [] as string[],
    errors: [] as string[],
    powerMonitor: new Emitter(),
  };

  Object.assign(app, {
    isPackaged: false,
    dock: { hide: () => undefined },
    enableSandbox: () => undefined,
    setPath: (name: string, value: string) => paths.set(name, value),
    getPath: (name: string) => paths.get(name) ?? `/fake/${name}`,
    getAppPath: () => options.appPath,
    requestSingleInstanceLock: () => true,
    whenReady: () => ready,
    setLoginItemSettings: (s: unknown) => record.loginItems.push(s),
    quit: () => {
      record.quitCalls++;
      // Electron emits before-quit; a listener may prevent it.
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) app.emit('will-quit');
    },
    exit: (code: number) => {
      record.exitCode = code;
    },
  });

  class FakeBrowserWindow extends Emitter {
    readonly webContents = new FakeWebContents();
    visible = false;
    position: number[] = [0, 0];
    private destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      record.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.webContents.url = url;
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {}
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    maximize() {}
    isMaximized() {
      return false;
    }
    getSize() {
      return [Number(this.options.width ?? 800), Number(this.options.height ?? 600)];
    }
    setPosition(x: number, y: number) {
      this.position = [x, y];
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: Number(this.options.width), height: Number(this.options.height) };
    }
    setVisibleOnAllWorkspaces() {}
    destroy() {
      this.destroyed = true;
      this.webContents.destroy();
      this.emit('closed');
    }
  }

  class FakeTray extends Emitter {
    title = '';
    tooltip = '';
    image: unknown;
    contextMenu: unknown = null;
    destroyed = false;
    constructor(image: unknown) {
      super();
      this.image = image;
      record.trays.push(this);
    }
    setImage(image: unknown) {
      this.image = image;
    }
    setTitle(title: string) {
      this.title = title;
    }
    setToolTip(tooltip: string) {
      this.tooltip = tooltip;
    }
    setContextMenu(menu: unknown) {
      this.contextMenu = menu;
    }
    popUpContextMenu() {}
    setIgnoreDoubleClickEvents() {}
    getBounds() {
      return { x: 1200, y: 0, width: 22, height: 24 };
    }
    destroy() {
      this.destroyed = true;
    }
  }

  class FakeNotification extends Emitter {
    shown = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      record.notifications.push(this);
    }
    static isSupported() {
      return true;
    }
    show() {
      this.shown = true;
    }
  }

  const session = {
    defaultSession: {
      protocol: { handle: (scheme: string, handler: (request: Request) => Promise<Response>) => record.protocolHandlers.set(scheme, handler) },
      setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => (record.permissionRequest = handler),
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
    },
  };

  const display = { bounds: { x: 0, y: 0, width: 1440, height: 900 }, workArea: { x: 0, y: 25, width: 1440, height: 875 } };

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: {
      buildFromTemplate: (template: Record<string, unknown>[]) => {
        const menu = { template };
        record.menus.push(menu);
        return menu;
      },
    },
    nativeImage: { createFromPath: (file: string) => ({ file, setTemplateImage: () => undefined }) },
    protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => record.privilegedSchemes.push(...schemes) },
    session,
    screen: { getAllDisplays: () => [display], getCursorScreenPoint: () => ({ x: 700, y: 5 }) },
    powerMonitor: record.powerMonitor,
    dialog: { showErrorBox: (title: string, message: string) => record.errors.push(`${title}: ${message}`) },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => record.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => record.ipcHandlers.delete(channel),
    },
    shell: {
      openExternal: async (url: string) => {
        record.opened.push(url);
      },
    },
  };

  return { electron, record, app, ready: () => resolveReady() };
}
