import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { fixedClock } from '../../../src/time';
import { coalesce } from '../../../main/lib/coalesce';
import { applyLoginItem, autostartEntry } from '../../../main/lib/login-item';
import { NATIVE_BINARY, resolveNativeBinding } from '../../../main/lib/native-binding';
import { dispatch } from '../../../src/api/dispatch';
import { readPrefs } from '../../../main/lib/prefs';
import { createShutdown, type JobsLike } from '../../../main/lib/shutdown';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('shutdown', () => {
  function setup(jobs: JobsLike | null, timeoutMs = 60_000) {
    const events: string[] = [];
    const shutdown = createShutdown({
      jobs: () => jobs,
      steps: [() => events.push('save window'), () => events.push('remove ipc')],
      closeCore: () => events.push('close db'),
      timeoutMs,
      log: (line) => events.push(`log: ${line}`),
    });
    return { events, shutdown };
  }

  it('waits for the running job before closing the database', async () => {
    const stopped = deferred();
    let stopCalls = 0;
    const { events, shutdown } = setup({
      stop: () => {
        stopCalls++;
        events.push('stop jobs');
        return stopped.promise;
      },
      catchUp: () => undefined,
    });
    const first = shutdown();
    const second = shutdown();
    expect(second).toBe(first);
    await Promise.resolve();
    expect(events).toEqual(['stop jobs']); // nothing closed while the job still writes
    events.push('job wrote');
    stopped.resolve();
    await first;
    expect(events).toEqual(['stop jobs', 'job wrote', 'save window', 'remove ipc', 'close db']);
    expect(stopCalls).toBe(1);
  });

  it('closes anyway when a job does not stop in time, and says so', async () => {
    const { events, shutdown } = setup({ stop: () => new Promise(() => undefined), catchUp: () => undefined }, 5);
    await shutdown();
    expect(events[0]).toMatch(/^log: shutdown: the running job did not finish within 5 ms/);
    expect(events.at(-1)).toBe('close db');
  });

  it('closes when stopping fails, when a step fails, and when there are no jobs', async () => {
    const failing = setup({ stop: () => Promise.reject(new Error('boom')), catchUp: () => undefined });
    await failing.shutdown();
    expect(failing.events).toEqual(['log: shutdown: stopping the jobs failed: boom', 'save window', 'remove ipc', 'close db']);

    const none = setup(null);
    await none.shutdown();
    expect(none.events).toEqual(['save window', 'remove ipc', 'close db']);

    const events: string[] = [];
    await createShutdown({
      jobs: () => null,
      steps: [() => { throw new Error('disk full'); }],
      closeCore: () => events.push('close db'),
      timeoutMs: 10,
      log: (l) => events.push(l),
    })();
    expect(events).toEqual(['shutdown: a step failed: disk full', 'close db']);
  });

  it('really closes the ledger of a real core', async () => {
    const core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone: 'UTC' });
    await createShutdown({ jobs: () => null, steps: [], closeCore: () => core.close(), timeoutMs: 10, log: () => undefined })();
    expect(core.db.open).toBe(false);
  });
});

describe('coalesce', () => {
  it('folds calls made during a run into one more run', async () => {
    const runs: ReturnType<typeof deferred<void>>[] = [];
    const refresh = coalesce(() => {
      const d = deferred<void>();
      runs.push(d);
      return d.promise;
    });
    const a = refresh();
    const b = refresh();
    const c = refresh();
    expect(runs).toHaveLength(1);
    expect(b).toBe(c);
    runs[0]!.resolve();
    await a;
    await Promise.resolve();
    expect(runs).toHaveLength(2);
    runs[1]!.resolve();
    await b;
    expect(runs).toHaveLength(2);
    const d = refresh();
    expect(runs).toHaveLength(3);
    runs[2]!.resolve();
    await d;
  });

  it('runs again after a failed run', async () => {
    let n = 0;
    const refresh = coalesce(async () => {
      n++;
      if (n === 1) throw new Error('first fails');
    });
    await expect(refresh()).rejects.toThrow('first fails');
    await refresh();
    expect(n).toBe(2);
  });
});

describe('native binding', () => {
  it('uses the Electron build in native/electron in development, when it was built', () => {
    const input = { isPackaged: false, appPath: '/repo', resourcesPath: '/unused', exists: (f: string) => f === path.join('/repo', 'native', 'electron', NATIVE_BINARY) };
    expect(resolveNativeBinding(input)).toBe(path.join('/repo', 'native', 'electron', NATIVE_BINARY));
    expect(resolveNativeBinding({ ...input, exists: () => false })).toBeUndefined();
  });
  it('uses the shipped resource when packaged', () => {
    const file = path.join('/Applications/Burnrate.app/Contents/Resources', 'native', NATIVE_BINARY);
    expect(resolveNativeBinding({ isPackaged: true, appPath: '/x/app.asar', resourcesPath: '/Applications/Burnrate.app/Contents/Resources', exists: (f) => f === file })).toBe(file);
  });
});

describe('desktop preferences and start at login', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-login-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads pause and start-at-login from the app settings the contract writes', async () => {
    const core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone: 'UTC' });
    expect(readPrefs(core.db)).toEqual({ notificationsPaused: false, openAtLogin: false });
    await dispatch(core, 'settingsSet', { notificationsPaused: true });
    expect(readPrefs(core.db)).toEqual({ notificationsPaused: true, openAtLogin: false });
    await dispatch(core, 'settingsSet', { startAtLogin: true, notificationsPaused: false });
    expect(readPrefs(core.db)).toEqual({ notificationsPaused: false, openAtLogin: true });
    core.close();
  });

  it('macOS and Windows use the login item API', () => {
    const calls: unknown[] = [];
    applyLoginItem({ openAtLogin: true, platform: 'darwin', execPath: '/x', env: {}, setLoginItemSettings: (s) => calls.push(s) }, dir);
    applyLoginItem({ openAtLogin: false, platform: 'win32', execPath: 'C:\\x.exe', env: {}, setLoginItemSettings: (s) => calls.push(s) }, dir);
    expect(calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  });

  it('Linux writes and removes an XDG autostart entry that launches the AppImage', () => {
    const env = { XDG_CONFIG_HOME: path.join(dir, 'config'), APPIMAGE: '/home/me/Apps/Burnrate 1.0.AppImage' };
    const file = path.join(dir, 'config', 'autostart', 'burnrate.desktop');
    const never = () => {
      throw new Error('not on Linux');
    };
    applyLoginItem({ openAtLogin: true, platform: 'linux', execPath: '/tmp/.mount_x/burnrate', env, setLoginItemSettings: never }, dir);
    expect(fs.readFileSync(file, 'utf8')).toContain('Exec="/home/me/Apps/Burnrate 1.0.AppImage"\n');
    applyLoginItem({ openAtLogin: false, platform: 'linux', execPath: '/x', env, setLoginItemSettings: never }, dir);
    expect(fs.existsSync(file)).toBe(false);
    expect(autostartEntry('/opt/Burnrate/burnrate')).toContain('Exec=/opt/Burnrate/burnrate\n');
    expect(autostartEntry('/a/"quoted" $x')).toContain('Exec="/a/\\"quoted\\" \\$x"\n');
  });
});
