import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../../src/api/contract';
import { openCore, type Core } from '../../../src/app/open';
import { fixedClock } from '../../../src/time';
import { createBridgeApi } from '../../../main/lib/bridge-api';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../../main/lib/ipc-channels';
import { installIpcGateway, TrustedSenders, type Gateway } from '../../../main/lib/ipc-gateway';
import type { PreloadBridge } from '../../../renderer/src/api/types';
import { FakeIpcMain, FakePage } from './electron-fakes';

describe('the IPC gateway', () => {
  let core: Core;
  let ipcMain: FakeIpcMain;
  let senders: TrustedSenders;
  let gateway: Gateway;
  let writes: string[];
  let logs: string[];

  beforeEach(() => {
    core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone: 'UTC' });
    ipcMain = new FakeIpcMain();
    senders = new TrustedSenders();
    writes = [];
    logs = [];
    gateway = installIpcGateway({ ipcMain, core, senders, afterWrite: (m) => writes.push(m), log: (l) => logs.push(l) });
  });
  afterEach(() => {
    gateway.dispose();
    core.close();
  });

  const trustedPage = (id = 1, url?: string) => {
    const page = new FakePage(id, ipcMain, url);
    senders.add(page);
    return page;
  };

  it('registers exactly one handler, on the call channel', () => {
    expect([...ipcMain.handlers.keys()]).toEqual([CALL_CHANNEL]);
  });

  it('refuses a sender that is not one of our windows, without running the method', async () => {
    const stranger = new FakePage(99, ipcMain);
    const reply = await stranger.ipcRenderer.invoke(CALL_CHANNEL, 'record', { provider: 'openai', model: 'gpt-4o', cost: '1.00' });
    expect(reply).toEqual({ error: { code: 'unauthorized', reason: 'unauthorized', message: expect.stringMatching(/not one of Burnrate's windows/) } });
    const count = core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number };
    expect(count.n).toBe(0);
    expect(logs.join('\n')).toMatch(/refused a call from webContents 99/);
  });

  it('refuses one of our windows once it shows a page of another origin', async () => {
    const page = trustedPage(1, 'https://evil.example/index.html');
    const reply = await page.ipcRenderer.invoke(CALL_CHANNEL, 'status', {});
    expect(reply).toMatchObject({ error: { code: 'unauthorized' } });
    page.url = 'file:///etc/passwd';
    expect(await page.ipcRenderer.invoke(CALL_CHANNEL, 'status', {})).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a call whose frame is gone', async () => {
    trustedPage(1);
    const reply = await ipcMain.invoke(CALL_CHANNEL, { sender: { id: 1 }, senderFrame: null }, 'status', {});
    expect(reply).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a frame inside our page, even one of our own origin: only the main frame may call', async () => {
    trustedPage(1);
    const iframe = { url: 'app://burnrate/index.html', parent: { url: 'app://burnrate/index.html' } };
    const reply = await ipcMain.invoke(CALL_CHANNEL, { sender: { id: 1 }, senderFrame: iframe }, 'status', {});
    expect(reply).toEqual({ error: { code: 'unauthorized', reason: 'unauthorized', message: "Only the main frame of Burnrate's own pages may call Burnrate; a frame inside the page may not." } });
    const unknownParent = await ipcMain.invoke(CALL_CHANNEL, { sender: { id: 1 }, senderFrame: { url: 'app://burnrate/index.html' } }, 'status', {});
    expect(unknownParent).toMatchObject({ error: { code: 'unauthorized' } });
    const main = await ipcMain.invoke(CALL_CHANNEL, { sender: { id: 1 }, senderFrame: { url: 'app://burnrate/index.html', parent: null } }, 'status', {});
    expect(main).not.toHaveProperty('error');
  });

  it("logs an override as the window's or the tray's, whatever origin a page claims", async () => {
    const page = trustedPage();
    const added = await page.ipcRenderer.invoke(CALL_CHANNEL, 'override', { usd: '5', by: 'cli' });
    expect(added).toMatchObject({ result: { overrides: [expect.objectContaining({ by: 'window' })] } });
    const tray = await page.ipcRenderer.invoke(CALL_CHANNEL, 'override', { usd: '2', by: 'tray' });
    expect(tray).toMatchObject({ result: { overrides: expect.arrayContaining([expect.objectContaining({ by: 'tray' })]) } });
    const id = (added as { result: { overrides: { id: number }[] } }).result.overrides[0]!.id;
    const ended = await page.ipcRenderer.invoke(CALL_CHANNEL, 'overrideEnd', { id, by: 'api' });
    expect(ended).toMatchObject({ result: { overrides: expect.arrayContaining([expect.objectContaining({ id, endedBy: 'window' })]) } });
  });

  it('forgets a window when it is destroyed', async () => {
    const page = trustedPage(7);
    page.destroy();
    expect(senders.has(7)).toBe(false);
    const reply = await ipcMain.invoke(CALL_CHANNEL, { sender: { id: 7 }, senderFrame: { url: 'app://burnrate/index.html', parent: null } }, 'status', {});
    expect(reply).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses bad input with the contract\'s clear message, as plain data', async () => {
    const page = trustedPage();
    const reply = await page.ipcRenderer.invoke(CALL_CHANNEL, 'record', { provider: 'openai', model: 'gpt-4o', cost: 'lots', extra: 1 });
    expect(reply).toEqual({
      error: { code: 'invalid_input', reason: 'bad_input', message: expect.stringMatching(/^Invalid input: .*cost.*unknown field extra/), facts: { fields: ['cost', 'extra'] } },
    });
    expect(writes).toEqual([]);
  });

  it('answers an unknown method and a non-string method name with errors, not exceptions', async () => {
    const page = trustedPage();
    expect(await page.ipcRenderer.invoke(CALL_CHANNEL, 'dropTables', {})).toEqual({
      error: { code: 'not_found', reason: 'unknown_method', message: 'There is no operation named "dropTables".', facts: { method: 'dropTables' } },
    });
    expect(await page.ipcRenderer.invoke(CALL_CHANNEL, { toString: 1 }, {})).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('routes every contract method to the contract\'s validation', async () => {
    const page = trustedPage();
    for (const name of Object.keys(contract)) {
      const reply = await page.ipcRenderer.invoke(CALL_CHANNEL, name, 42);
      expect(reply, name).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });

  it('lets good input reach the real core: a write, then a read that sees it', async () => {
    const page = trustedPage();
    const recorded = await page.ipcRenderer.invoke(CALL_CHANNEL, 'record', {
      provider: 'openai',
      model: 'gpt-4o',
      cost: '1.25',
      at: '2026-03-10T09:00:00Z',
      id: 'ipc-1',
    });
    expect(recorded).toMatchObject({ result: { outcome: 'inserted', provider: 'openai', costUsd: '1.25', localDay: '2026-03-10' } });
    expect(writes).toEqual(['record']);

    const status = (await page.ipcRenderer.invoke(CALL_CHANNEL, 'status', {})) as { result: { day: { date: string; spentUsd: string } } };
    expect(status.result.day).toMatchObject({ date: '2026-03-10', spentUsd: '1.25' });
    expect(writes).toEqual(['record']); // reads are not writes
  });

  it('pushes core events to every trusted page, and stops after dispose', () => {
    const a = trustedPage(1);
    const b = trustedPage(2);
    const stranger = new FakePage(3, ipcMain);
    core.events.emit('statusChanged', { reason: 'test' });
    expect(a.sent).toEqual([[EVENT_CHANNEL, 'statusChanged', { reason: 'test' }]]);
    expect(b.sent).toEqual([[EVENT_CHANNEL, 'statusChanged', { reason: 'test' }]]);
    expect(stranger.sent).toEqual([]);

    b.destroy();
    core.events.emit('syncFinished', { provider: 'openai', outcome: 'ok', rows: 3, message: 'ok' });
    expect(a.sent).toHaveLength(2);

    gateway.dispose();
    core.events.emit('statusChanged', { reason: 'after' });
    expect(a.sent).toHaveLength(2);
    expect(ipcMain.handlers.size).toBe(0);
    gateway = installIpcGateway({ ipcMain, core, senders }); // for afterEach
  });

  it('sends a navigate event to one trusted page only', () => {
    const a = trustedPage(1);
    const b = trustedPage(2);
    gateway.push('navigate', { surface: 'popover', provider: 'groq', focus: 'reading' }, a);
    expect(a.sent).toEqual([[EVENT_CHANNEL, 'navigate', { surface: 'popover', provider: 'groq', focus: 'reading' }]]);
    expect(b.sent).toEqual([]);
    const stranger = new FakePage(3, ipcMain);
    gateway.push('navigate', { surface: 'window', view: 'alerts' }, stranger);
    expect(stranger.sent).toEqual([]);
  });

  describe('through the preload\'s bridge object', () => {
    it('resolves results and rejects with the plain error body', async () => {
      const page = trustedPage();
      const api = createBridgeApi(page.ipcRenderer);
      // The renderer restates the bridge's shape (it may not import main/); the compiler checks they agree.
      const asRendererSeesIt: PreloadBridge = api;
      expect(asRendererSeesIt.transport).toBe('ipc');
      expect(Object.isFrozen(api)).toBe(true);

      const status = await api.call('status', {});
      expect(status.day.spentUsd).toBe('0.00');

      await expect(api.call('record', { provider: 'openai', model: '' })).rejects.toEqual({
        error: { code: 'invalid_input', reason: 'bad_input', message: expect.stringContaining('model'), facts: { fields: ['model'] } },
      });
    });

    it('subscribes to one event, and the unsubscribe function ends it', () => {
      const page = trustedPage();
      const api = createBridgeApi(page.ipcRenderer);
      const seen: unknown[] = [];
      const off = api.on('statusChanged', (payload) => seen.push(payload));
      core.events.emit('syncFinished', { provider: 'openai', outcome: 'ok', rows: 1, message: 'ok' });
      core.events.emit('statusChanged', { reason: 'one' });
      off();
      off(); // twice is harmless
      core.events.emit('statusChanged', { reason: 'two' });
      expect(seen).toEqual([{ reason: 'one' }]);
      expect(page.listenerCount(EVENT_CHANNEL)).toBe(0);
    });

    it('refuses to subscribe to an event that does not exist', () => {
      const api = createBridgeApi(trustedPage().ipcRenderer);
      expect(() => api.on('bogus' as never, () => undefined)).toThrow(/no event named "bogus"/);
    });
  });
});
