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
    expect(status.message).toMatch(new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use .*everything else works\\. .*BURNRATE_PROXY_PORT`));
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

  it('takes its port from BURNRATE_PROXY_PORT, else 4318; a bad value is said and ignored', () => {
    const said: string[] = [];
    expect(proxyPortFrom({ BURNRATE_PROXY_PORT: '0' })).toBe(0);
    expect(proxyPortFrom({})).toBe(DEFAULT_PROXY_PORT);
    expect(proxyPortFrom({ BURNRATE_PROXY_PORT: 'http' }, (l) => said.push(l))).toBe(DEFAULT_PROXY_PORT);
    expect(said).toEqual(['BURNRATE_PROXY_PORT="http" is not a port (0 to 65535); the metering proxy uses 4318.']);
  });
});
