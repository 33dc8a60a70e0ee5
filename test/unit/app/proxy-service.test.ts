import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { watchExternalChanges } from '../../../src/app/change-watcher';
import { openCore, type Core } from '../../../src/app/open';
import { ProxyService, proxyPortFrom } from '../../../src/app/proxy-service';
import { DEFAULT_PROXY_PORT } from '../../../src/proxy/server';
import type { Notice } from '../../../src/notify/notifier';
import { httpStatus } from '../../helpers/http-status';

/**
 * The proxy as the tray app and `burnrate serve` keep it (src/app/proxy-service.ts): the real
 * proxy on real ports, the setting written through the contract as the window's Settings does.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function core(notices: Notice[] = []): Core {
  const c = openCore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-proxy-service-')), env: {}, timeZone: 'UTC', notifier: { notify: (n) => void notices.push(n) } });
  cleanups.push(() => c.close());
  return c;
}

/** Settles once the service announced its next change of state. */
function nextProxyChange(c: Core): Promise<void> {
  return new Promise((resolve) => {
    const off = c.events.on('statusChanged', ({ reason }) => {
      if (reason === 'proxy') {
        off();
        resolve();
      }
    });
  });
}

describe('the metering proxy kept by the app and serve', () => {
  it('starts when the setting is on, stops when it is turned off, starts again when it is turned back on, and stops for good on quit', async () => {
    const c = core();
    const service = new ProxyService(c, { port: 0 });
    const unwatch = service.watch();
    cleanups.push(() => service.stop(), unwatch);
    expect((await dispatch(c, 'proxyStatus', {})).state).toBe('off'); // nothing started yet
    await service.apply();
    const first = await dispatch(c, 'proxyStatus', {});
    expect(first).toMatchObject({ state: 'running', enabled: true, message: null, runHere: true });
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await httpStatus(first.url!)).toBe(404);

    // The window's switch: a settings write, announced as statusChanged, which the service follows.
    let changed = nextProxyChange(c);
    await dispatch(c, 'settingsSet', { proxyEnabled: false });
    await changed;
    expect(await dispatch(c, 'proxyStatus', {})).toMatchObject({ state: 'off', enabled: false, url: null });
    expect(await httpStatus(first.url!)).toBe('refused');

    changed = nextProxyChange(c);
    await dispatch(c, 'settingsSet', { proxyEnabled: true });
    await changed;
    const again = await dispatch(c, 'proxyStatus', {});
    expect(again.state).toBe('running');
    expect(await httpStatus(again.url!)).toBe(404);

    await service.stop();
    expect(await httpStatus(again.url!)).toBe('refused');
    await service.apply(); // a change after quitting starts nothing
    expect(service.status().state).toBe('off');
  });

  it('a port in use: the process keeps working, the state says so in one sentence, and one notification opens Settings', async () => {
    const taken = http.createServer((_req, res) => res.end('someone else'));
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const port = (taken.address() as AddressInfo).port;
    const notices: Notice[] = [];
    const c = core(notices);
    const service = new ProxyService(c, { port });
    cleanups.push(() => service.stop());
    await service.apply();
    const status = await dispatch(c, 'proxyStatus', {});
    expect(status).toMatchObject({ state: 'port-in-use', enabled: true, url: null, port });
    expect(status).toMatchObject({ configuredPort: port, portLocked: true }); // given at start: the setting does not apply
    expect(status.message).toMatch(new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use .*everything else works\\. Stop the other one, or start this Burnrate again with another proxy port\\.$`));
    expect(notices).toEqual([{ kind: 'proxy', title: 'Metering proxy: port in use', body: status.message, target: { view: 'settings' } }]);
    // Other status changes do not retry (and notify) again; the rest of the core works.
    await service.apply();
    expect(notices).toHaveLength(1);
    expect((await dispatch(c, 'budgetSet', { daily: '2' })).day.budgetUsd).toBe('2.00');
    // Once the port is free, turning the switch off and on starts it.
    await new Promise<void>((r) => taken.close(() => r()));
    await dispatch(c, 'settingsSet', { proxyEnabled: false });
    await service.apply();
    await dispatch(c, 'settingsSet', { proxyEnabled: true });
    await service.apply();
    expect(await dispatch(c, 'proxyStatus', {})).toMatchObject({ state: 'running', url: `http://127.0.0.1:${port}` });
  });

  it('follows the setting changed by another process (the CLI), seen through the change watcher', async () => {
    const c = core();
    const cli = openCore({ home: c.home, env: {}, timeZone: 'UTC' });
    cleanups.push(() => cli.close());
    const service = new ProxyService(c, { port: 0 });
    const unwatch = service.watch();
    const watcher = watchExternalChanges(c, { intervalMs: 20 });
    cleanups.push(() => service.stop(), unwatch, () => watcher.stop());
    await service.apply();
    const url = service.status().url!;
    const changed = nextProxyChange(c);
    await dispatch(cli, 'settingsSet', { proxyEnabled: false }); // burnrate settings set --proxy off
    await changed;
    expect(service.status()).toMatchObject({ state: 'off', enabled: false });
    expect(await httpStatus(url)).toBe('refused');
  });

  it('serve --no-proxy runs none whatever the setting; a process without the service says it runs none', async () => {
    const c = core();
    expect(await dispatch(c, 'proxyStatus', {})).toMatchObject({ state: 'off', enabled: true, runHere: false });
    const service = new ProxyService(c, { port: 0, allowed: false });
    await service.apply();
    expect(await dispatch(c, 'proxyStatus', {})).toMatchObject({ state: 'off', enabled: true, runHere: true, message: 'This server was started with its metering proxy turned off, so the switch below has no effect until it is started again with the proxy.' });
  });

  it('takes its port from BURNRATE_PROXY_PORT, else the setting, else 4318; a bad variable is said and ignored', async () => {
    const said: string[] = [];
    expect(proxyPortFrom({ BURNRATE_PROXY_PORT: '0' })).toBe(0);
    expect(proxyPortFrom({})).toBeUndefined();
    expect(proxyPortFrom({ BURNRATE_PROXY_PORT: 'http' }, (l) => said.push(l))).toBeUndefined();
    expect(said).toEqual(['BURNRATE_PROXY_PORT="http" is not a port (0 to 65535); the metering proxy uses the port set in Settings, else 4318.']);
    const c = core();
    expect(new ProxyService(c).status()).toMatchObject({ configuredPort: DEFAULT_PROXY_PORT, portLocked: false });
    await dispatch(c, 'settingsSet', { proxyPort: 5555 });
    expect(new ProxyService(c).status()).toMatchObject({ configuredPort: 5555, portLocked: false });
    const env = openCore({ home: c.home, env: { BURNRATE_PROXY_PORT: '6666' }, timeZone: 'UTC' });
    cleanups.push(() => env.close());
    expect(new ProxyService(env).status()).toMatchObject({ configuredPort: 6666, portLocked: true });
  });

  it('the port setting: a port in use says to pick another in Settings; saving another port restarts the proxy there; a bad port is refused', async () => {
    const taken = http.createServer((_req, res) => res.end('someone else'));
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const busy = (taken.address() as AddressInfo).port;
    const c = core();
    await dispatch(c, 'settingsSet', { proxyPort: busy });
    const service = new ProxyService(c, { defaultPort: 0 });
    const unwatch = service.watch();
    cleanups.push(() => service.stop(), unwatch);
    await service.apply();
    const refused = await dispatch(c, 'proxyStatus', {});
    expect(refused).toMatchObject({ state: 'port-in-use', port: busy, configuredPort: busy, portLocked: false });
    expect(refused.message).toMatch(/Stop the other one, or pick another port under Settings → Metering proxy\.$/);
    expect(refused.message).not.toMatch(/BURNRATE_|burnrate settings/);

    // A free port, as the window's field saves it.
    const free = http.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const next = (free.address() as AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    let changed = nextProxyChange(c);
    await dispatch(c, 'settingsSet', { proxyPort: next });
    await changed;
    await service.apply(); // queued after the restart the statusChanged began
    expect(await dispatch(c, 'proxyStatus', {})).toMatchObject({ state: 'running', url: `http://127.0.0.1:${next}`, configuredPort: next, message: null });
    expect(await httpStatus(`http://127.0.0.1:${next}`)).toBe(404);

    // Running, and moved again: 0 is any free port; the old one is let go.
    changed = nextProxyChange(c);
    await dispatch(c, 'settingsSet', { proxyPort: 0 });
    await changed;
    await service.apply();
    const moved = await dispatch(c, 'proxyStatus', {});
    expect(moved).toMatchObject({ state: 'running', configuredPort: 0 });
    expect(moved.url).not.toBe(`http://127.0.0.1:${next}`);
    expect(await httpStatus(`http://127.0.0.1:${next}`)).toBe('refused');

    for (const bad of [80, 70000, 1.5]) {
      await expect(dispatch(c, 'settingsSet', { proxyPort: bad })).rejects.toThrow(/must be|whole number/);
    }
    expect((await dispatch(c, 'settingsGet', {})).proxyPort).toBe(0);
  });
});
