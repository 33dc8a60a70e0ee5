import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, dialog, powerMonitor, session } from 'electron';
import { dispatch, toApiError } from '../src/api/dispatch';
import { openCore, type Core } from '../src/app/open';
import { watchExternalChanges } from '../src/app/change-watcher';
import { watchAgentLogs } from '../src/agents/watch';
import { ProxyService } from '../src/app/proxy-service';
import { coreEnv } from './lib/core-env';
import { startJobs } from '../src/jobs';
import type { Notice } from '../src/notify/notifier';
import { resolveHome } from '../src/paths';
import type { SecretStore } from '../src/secrets/store';
import { registerAppSchemePrivileges, serveAppProtocol } from './app-protocol';
import { hardenAllWebContents, hardenSession } from './hardening';
import { installIpc } from './ipc';
import { coalesce } from './lib/coalesce';
import { DesktopNotifier } from './lib/desktop-notifier';
import { TrustedSenders, type Gateway } from './lib/ipc-gateway';
import { applyLoginItem } from './lib/login-item';
import { resolveNativeBinding } from './lib/native-binding';
import { readPrefs } from './lib/prefs';
import { createShutdown, type JobsLike } from './lib/shutdown';
import { TRAY_ROUTES, type TrayAction } from './lib/tray-render';
import { TrayService } from './lib/tray-service';
import { SyncErrors, trayStateFromStatus } from './lib/tray-state';
import { WindowStateFile } from './lib/window-state';
import { createElectronNotification, notificationsSupported } from './notifications';
import { openExternalSafely } from './safe-open';
import { buildElectronMenu, createElectronTray } from './tray';
import { Surfaces } from './windows';

/**
 * The desktop app's lifecycle. Everything with logic lives in main/lib (tested under Node); this
 * file only wires Electron to it, in the order Electron needs: scheme privileges and paths before
 * `ready`; then the core, IPC handlers, and only then the tray and windows.
 */

const log = (line: string) => console.log(`[burnrate] ${line}`);
const STATUS_REFRESH_MS = 60_000; // the title must roll over to a new day even when nothing syncs
const SHUTDOWN_TIMEOUT_MS = 10_000;

// ---- before ready ---------------------------------------------------------------------------

registerAppSchemePrivileges();
app.enableSandbox();
// One data folder for the app and the CLI (BURNRATE_HOME, else the platform's app-data folder);
// Chromium's own files go in a subfolder so the ledger's folder stays readable.
const home = resolveHome(process.env);
app.setPath('userData', home);
app.setPath('sessionData', path.join(home, 'chromium'));

let shutdown: (() => Promise<void>) | null = null;
let shutdownComplete = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(start, fatal);
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log(`could not start: ${message}`);
  dialog.showErrorBox('Burnrate could not start', message);
  shutdownComplete = true;
  app.exit(1);
}

async function loadSecrets(): Promise<SecretStore | null> {
  try {
    const { systemKeychain } = await import('../src/secrets/keychain');
    return systemKeychain(process.env);
  } catch (error) {
    log(`the OS keychain is not available (${String(error)}); syncing with stored keys is off`);
    return null;
  }
}

// ---- ready ----------------------------------------------------------------------------------

async function start(): Promise<void> {
  if (process.platform === 'darwin') app.dock?.hide(); // a menu-bar app: no Dock icon
  const ses = session.defaultSession;
  hardenSession(ses);
  serveAppProtocol(ses, path.join(__dirname, '..', 'renderer'), home);

  const senders = new TrustedSenders();
  let core: Core | null = null;
  let gateway: Gateway | null = null;
  let jobs: JobsLike | null = null;
  const isPaused = () => (core ? readPrefs(core.db).notificationsPaused : false);

  const notifier = new DesktopNotifier({
    create: createElectronNotification,
    isSupported: notificationsSupported,
    isPaused,
    open: (route) => surfaces.open(route),
    platform: process.platform,
    onReply: (notice, text) => void takeReadingReply(notice, text),
    log,
  });

  core = openCore({
    home,
    env: coreEnv(process.env, app.isPackaged),
    notifier,
    secrets: await loadSecrets(),
    nativeBinding: resolveNativeBinding({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      exists: fs.existsSync,
    }),
  });
  const openedCore = core;

  // IPC before any window exists, so no page can call before the gateway listens.
  gateway = installIpc({ core: openedCore, senders, afterWrite: () => void applyPrefs(), log, onTrouble: (error) => void jobs?.noticeTrouble?.(error) });
  const openedGateway = gateway;

  const surfaces = new Surfaces({
    preload: path.join(__dirname, 'preload.cjs'),
    devTools: !app.isPackaged,
    senders,
    windowState: new WindowStateFile(home),
    navigate: (contents, event) => openedGateway.push('navigate', event, contents),
    trayBounds: () => tray.bounds(),
  });
  hardenAllWebContents({ openLink: (url) => void openExternalSafely(url, log), showRoute: (route) => surfaces.open(route), log });

  const syncErrors = new SyncErrors();
  const tray = new TrayService({
    createTray: createElectronTray,
    buildMenu: buildElectronMenu,
    assetsDir: path.join(app.getAppPath(), 'assets', 'tray'),
    onAction: (action) => void onTrayAction(action),
    onClick: (bounds) => surfaces.popover.toggle(bounds),
  });

  const refreshTray = coalesce(async () => {
    let status = null;
    let statusError: string | null = null;
    try {
      status = await dispatch(openedCore, 'status', {});
    } catch (error) {
      statusError = toApiError(error).message;
    }
    const prefs = readPrefs(openedCore.db);
    tray.render(
      trayStateFromStatus(status, {
        syncError: syncErrors.summary(),
        statusError,
        paused: prefs.notificationsPaused,
        openAtLogin: prefs.openAtLogin,
        platform: process.platform,
      }),
    );
  });

  let appliedLogin: boolean | null = null;
  function applyPrefs(): Promise<void> {
    const { openAtLogin } = readPrefs(openedCore.db);
    if (openAtLogin !== appliedLogin) {
      appliedLogin = openAtLogin;
      if (app.isPackaged) {
        applyLoginItem(
          { openAtLogin, platform: process.platform, execPath: process.execPath, env: process.env, setLoginItemSettings: (s) => app.setLoginItemSettings(s) },
          os.homedir(),
        );
      } else {
        log('start at login is applied by the installed app only (this is a development run)');
      }
    }
    return refreshTray();
  }

  async function onTrayAction(action: TrayAction): Promise<void> {
    switch (action) {
      case 'open-dashboard':
      case 'open-glance':
      case 'enter-reading':
        return surfaces.open(TRAY_ROUTES[action]);
      case 'sync-now':
        try {
          await dispatch(openedCore, 'sync', {});
        } catch (error) {
          notifier.notify({ kind: 'sync', title: 'Sync failed', body: toApiError(error).message });
        }
        return void refreshTray();
      case 'toggle-pause':
      case 'toggle-login': {
        // Through the contract, like the window's settings page (it also tells every page).
        const prefs = readPrefs(openedCore.db);
        const patch = action === 'toggle-pause' ? { notificationsPaused: !prefs.notificationsPaused } : { startAtLogin: !prefs.openAtLogin };
        await dispatch(openedCore, 'settingsSet', patch);
        return applyPrefs();
      }
      case 'quit':
        return app.quit();
    }
  }

  async function takeReadingReply(notice: Notice, text: string): Promise<void> {
    const provider = notice.target?.provider;
    if (!provider) return;
    try {
      await dispatch(openedCore, 'readingAdd', { provider, amount: text.trim() });
    } catch (error) {
      notifier.notify({ kind: 'reminder', title: 'Reading not saved', body: toApiError(error).message, target: { view: 'reading', provider } });
    }
  }

  openedCore.events.on('syncFinished', (event) => syncErrors.record(event));
  openedCore.events.onAny(() => void refreshTray());
  const timer = setInterval(() => void refreshTray(), STATUS_REFRESH_MS);
  timer.unref();
  // A CLI or MCP write (another process) reaches the tray and every page as statusChanged too.
  const watcher = watchExternalChanges(openedCore, { onError: (error) => log(`watching the ledger failed: ${String(error)}`) });
  // Coding agents' logs (Claude Code, Codex, Gemini CLI) are imported as they are written.
  const agentWatch = watchAgentLogs(openedCore, { onError: (error) => log(`importing agent logs failed: ${String(error)}`) });

  jobs = startJobs(openedCore, { onError: (job, error) => log(`job ${job} failed: ${String(error)}`) });
  const runningJobs = jobs;
  const catchUp = () => {
    void Promise.resolve(runningJobs.catchUp()).then(() => refreshTray());
  };
  // The metering proxy runs with the app while the setting proxyEnabled is on (Settings in the
  // window); it follows the setting, and a port in use is a notification, not a failed start.
  const proxy = new ProxyService(openedCore, { log });
  const stopProxyWatch = proxy.watch();
  void proxy.apply();
  powerMonitor.on('resume', catchUp);
  powerMonitor.on('unlock-screen', catchUp);

  app.on('second-instance', () => surfaces.open({ surface: 'window', view: 'dashboard' }));
  app.on('window-all-closed', () => {
    // Stay in the tray: closing the window does not quit.
  });

  shutdown = createShutdown({
    jobs: () => jobs,
    services: [() => proxy.stop()],
    steps: [
      () => stopProxyWatch(),
      () => clearInterval(timer),
      () => watcher.stop(),
      () => agentWatch.stop(),
      () => surfaces.saveWindowState(),
      () => openedGateway.dispose(),
      () => tray.destroy(),
    ],
    closeCore: () => openedCore.close(),
    timeoutMs: SHUTDOWN_TIMEOUT_MS,
    log,
  });

  await applyPrefs();
  catchUp();
  log(`ready; data in ${home}`);
}

// ---- quit -----------------------------------------------------------------------------------

app.on('before-quit', (event) => {
  if (shutdownComplete || !shutdown) return;
  // Hold the quit until the job in progress has written and the ledger is closed.
  event.preventDefault();
  void shutdown().finally(() => {
    shutdownComplete = true;
    app.quit();
  });
});
