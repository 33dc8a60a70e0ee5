import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burnrate, burnrateAsync } from '../../helpers/cli';
import { httpStatus } from '../../helpers/http-status';
import { commitClock, EXTERNAL_CHANGE_BOUND_MS } from '../../helpers/commit-clock';
import { createFakeElectron } from './fake-electron';

/**
 * The real dist/main/main.cjs, booted under Node against a stand-in of Electron's API
 * (./fake-electron.ts) and a real ledger in a temp folder: start-up order, the IPC door, the
 * tray, the popover, preferences, hardening and a clean shutdown, end to end.
 */
const ROOT = path.resolve(__dirname, '../../..');
const BUNDLE = path.join(ROOT, 'dist', 'main', 'main.cjs');

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

describe('the desktop app, booted against a stand-in of Electron', () => {
  let home: string;
  let fake: ReturnType<typeof createFakeElectron>;
  const logs: string[] = [];
  const originalLoad = moduleInternals._load;
  const originalLog = console.log;
  const savedEnv = { ...process.env };
  let ready: Promise<void>;
  let proxyUrl = '';

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), 'main'], { cwd: ROOT, stdio: 'pipe' });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-shell-'));
    process.env.BURNRATE_HOME = home;
    process.env.BURNRATE_NOW = '2026-03-10T12:00:00Z';
    process.env.TZ = 'UTC';
    process.env.BURNRATE_PROXY_PORT = '0'; // the metering proxy on a free port, not the user's 4318
    fake = createFakeElectron({ appPath: ROOT });
    moduleInternals._load = function (request, parent, isMain) {
      if (request === 'electron') return fake.electron;
      return originalLoad.call(this, request, parent, isMain);
    };
    ready = new Promise((resolve) => {
      console.log = (...args: unknown[]) => {
        const line = args.map(String).join(' ');
        logs.push(line);
        if (line.startsWith('[burnrate] ready')) resolve();
      };
    });
    createRequire(import.meta.url)(BUNDLE);
    fake.ready();
    await ready;
  });

  afterAll(() => {
    moduleInternals._load = originalLoad;
    console.log = originalLog;
    process.env = savedEnv;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('registers the app:// scheme before ready and uses the data folder', () => {
    expect(fake.record.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(fake.electron.app.getPath('userData')).toBe(home);
    expect(fs.existsSync(path.join(home, 'ledger.sqlite'))).toBe(true);
    expect(fake.record.errors).toEqual([]);
  });

  it('listens on one IPC channel and refuses a stranger', async () => {
    expect([...fake.record.ipcHandlers.keys()]).toEqual(['burnrate:call']);
    const handler = fake.record.ipcHandlers.get('burnrate:call')!;
    const reply = await handler({ sender: { id: 999 }, senderFrame: { url: 'app://burnrate/index.html', parent: null } }, 'status', {});
    expect(reply).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it("shows the tray with today's state, and the popover on click, as a trusted page", async () => {
    const tray = fake.record.trays[0]!;
    expect(fake.record.trays).toHaveLength(1);
    const iconFile = (tray.image as { file: string }).file;
    expect(path.basename(iconFile)).toMatch(/^tray-none(Template)?\.png$/); // no budget yet
    expect(fs.existsSync(iconFile)).toBe(true);

    tray.emit('click', {}, { x: 1200, y: 0, width: 22, height: 24 });
    const popover = fake.record.windows[0]!;
    expect(popover.options).toMatchObject({ frame: false, skipTaskbar: true, webPreferences: expect.objectContaining({ sandbox: true, contextIsolation: true }) });
    expect(popover.webContents.url).toBe('app://burnrate/index.html#/popover');
    expect(popover.visible).toBe(true);

    const handler = fake.record.ipcHandlers.get('burnrate:call')!;
    const reply = (await handler({ sender: { id: popover.webContents.id }, senderFrame: { url: popover.webContents.url, parent: null } }, 'status', {})) as {
      result: { day: { date: string } };
    };
    expect(reply.result.day.date).toBe('2026-03-10');

    popover.emit('blur');
    expect(popover.visible).toBe(false);
  });

  it('denies new windows and navigation, routing our own pages and safe links', () => {
    const popover = fake.record.windows[0]!;
    expect(popover.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(popover.webContents.windowOpenHandler!({ url: 'https://console.groq.com/usage' })).toEqual({ action: 'deny' });
    expect(fake.record.opened).toEqual(['https://console.groq.com/usage']);

    expect(popover.webContents.windowOpenHandler!({ url: 'app://burnrate/index.html#/accounts' })).toEqual({ action: 'deny' });
    const dashboard = fake.record.windows[1]!;
    expect(dashboard.webContents.url).toBe('app://burnrate/index.html#/accounts');

    let prevented = false;
    popover.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
  });

  it('serves pages through app:// and refuses traversal', async () => {
    const handle = fake.record.protocolHandlers.get('app')!;
    const refused = await handle(new Request('app://burnrate/..%2f..%2fpackage.json'));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a link inside the renderer folder that points outside it (issue 14)', async () => {
    const handle = fake.record.protocolHandlers.get('app')!;
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-outside-')), 'secret.js');
    fs.writeFileSync(outside, 'the secret');
    const inside = path.join(ROOT, 'dist', 'renderer', `escape-${process.pid}.js`);
    const real = path.join(ROOT, 'dist', 'renderer', `real-${process.pid}.js`);
    fs.symlinkSync(outside, inside);
    fs.writeFileSync(real, 'ours');
    try {
      const refused = await handle(new Request(`app://burnrate/escape-${process.pid}.js`));
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain('the secret');
      const served = await handle(new Request(`app://burnrate/real-${process.pid}.js`));
      expect(served.status).toBe(200);
      expect(await served.text()).toBe('ours');
    } finally {
      fs.rmSync(inside);
      fs.rmSync(real);
    }
  });

  it('starts the metering proxy with the app (issue 17), follows the setting, and the window reads its state', async () => {
    const started = /^\[burnrate\] metering proxy on (http:\/\/127\.0\.0\.1:\d+) /;
    await expect.poll(() => logs.some((l) => started.test(l))).toBe(true);
    const url = started.exec(logs.find((l) => started.test(l))!)![1]!;
    proxyUrl = url;
    expect(await httpStatus(url)).toBe(404); // the proxy's answer to a path that names no provider
    // The window's Settings switch: settingsSet through IPC as a page sends it, then proxyStatus.
    const page = fake.record.windows[0]!.webContents; // the popover, a trusted page (opened above)
    const handler = fake.record.ipcHandlers.get('burnrate:call')!;
    const call = async (method: string, input: unknown) =>
      ((await handler({ sender: { id: page.id }, senderFrame: { url: page.url, parent: null } }, method, input)) as { result: { state: string; url: string; enabled: boolean } }).result;
    expect(await call('proxyStatus', {})).toMatchObject({ state: 'running', url, enabled: true });
    await call('settingsSet', { proxyEnabled: false });
    await expect.poll(async () => (await call('proxyStatus', {})).state).toBe('off');
    expect(await httpStatus(url)).toBe('refused');
    await call('settingsSet', { proxyEnabled: true });
    await expect.poll(async () => (await call('proxyStatus', {})).state).toBe('running');
    proxyUrl = (await call('proxyStatus', {})).url;
    expect(await httpStatus(proxyUrl)).toBe(404);
  });

  it('toggles "pause notifications" from the tray menu through the settings', async () => {
    const lastMenu = () => fake.record.menus.at(-1)!.template;
    const pause = lastMenu().find((item) => item.label === 'Pause Notifications')!;
    expect(pause.checked).toBe(false);
    const menusBefore = fake.record.menus.length;
    (pause.click as () => void)();
    await expect.poll(() => fake.record.menus.length > menusBefore && lastMenu().find((i) => i.label === 'Pause Notifications')!.checked).toBe(true);
  });

  it('turns the tray red within 1 s of a write by another process (the CLI)', async () => {
    const tray = fake.record.trays[0]!;
    const icon = () => path.basename((tray.image as { file: string }).file);
    expect(icon()).toMatch(/^tray-none/);
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: '2026-03-10T12:00:00Z' };
    expect(burnrate(['budget', 'set', '--daily', '2.00'], env).code).toBe(0);
    // The requirement is 1 s from the CLI's commit (issue 12; the watcher polls every 250 ms). The
    // CLI runs asynchronously, so this process (the app's main) keeps polling while it writes.
    const clock = commitClock(path.join(home, 'ledger.sqlite'));
    try {
      const recorded = await burnrateAsync(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '5.00'], env);
      expect(recorded.code, recorded.stderr).toBe(0);
      // expect.poll waits for the state explicitly; its timeout is only the test's give-up point.
      await expect.poll(icon, { timeout: 10_000, interval: 5 }).toMatch(/^tray-exceeded/);
      const redAt = performance.now();
      // The watcher may beat the clock's poll to the commit: then the commit is dated by the red tray.
      expect(redAt - (clock.seenAt() ?? redAt)).toBeLessThanOrEqual(EXTERNAL_CHANGE_BOUND_MS);
    } finally {
      clock.stop();
    }
  });

  it('quits cleanly: holds the quit, closes the ledger, then quits', async () => {
    const tray = fake.record.trays[0]!;
    fake.electron.app.quit();
    await expect.poll(() => fake.record.quitCalls).toBe(2); // the held quit, then the real one
    expect(tray.destroyed).toBe(true);
    expect(fake.record.ipcHandlers.size).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'window-state.json'), 'utf8'))).toMatchObject({ width: 1120, height: 760 });
    expect(await httpStatus(proxyUrl)).toBe('refused'); // the proxy stopped with the app
    // The ledger is closed: its WAL was checkpointed away.
    expect(fs.existsSync(path.join(home, 'ledger.sqlite-wal'))).toBe(false);
  });
});

describe('the preload bundle', () => {
  it('exposes exactly one frozen object, window.burnrate, and requires only electron', async () => {
    // dist/main/preload.cjs was built by the suite above. Run it as Electron runs a sandboxed
    // preload: a plain script with a polyfilled require (electron only) and a dummy module.exports
    // (electron/electron#39484).
    const code = fs.readFileSync(path.join(ROOT, 'dist', 'main', 'preload.cjs'), 'utf8');
    const exposed: [string, unknown][] = [];
    const required: string[] = [];
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { result: { ok: true } };
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
    };
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`module not found: ${name}`);
      return electron;
    };
    vm.runInNewContext(code, { require: sandboxRequire, module: { exports: {} }, exports: {} }, { filename: 'preload.cjs' });
    expect(required).toEqual(['electron']);
    expect(exposed.map(([key]) => key)).toEqual(['burnrate']);
    const api = exposed[0]![1] as { transport: string; call: (m: string, i?: unknown) => Promise<unknown>; on: unknown };
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'transport']);
    expect(api.transport).toBe('ipc');
    await expect(api.call('status')).resolves.toEqual({ ok: true });
    expect(invoked).toEqual([['burnrate:call', 'status', {}]]);
  });
});
