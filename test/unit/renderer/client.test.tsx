// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/app/open';
import { startServer, type RunningServer } from '../../../src/server';
import { CallError, createClient, NEEDS_TOKEN_MESSAGE } from '../../../renderer/src/api';
import { createHttpClient } from '../../../renderer/src/api/http';
import { App } from '../../../renderer/src/App';
import { bridgeFor, testCore } from './core-bridge';

let core: Core;
afterEach(cleanup);
beforeAll(() => {
  core = testCore();
});
afterAll(() => core.close());

describe('transport choice at start-up', () => {
  it("uses the preload's window.burnrate when it exists (Electron)", async () => {
    const bridge = bridgeFor(core);
    const client = createClient({ burnrate: bridge });
    expect(client.transport).toBe('ipc');
    const status = await client.call('status', {});
    expect(status.asOf).toBe('2026-11-28T18:00:00.000Z');
    expect(bridge.calls).toEqual([{ method: 'status', input: {} }]);
  });

  it('falls back to HTTP + server-sent events when there is no preload (the browser)', () => {
    expect(createClient({}).transport).toBe('http');
    expect(createClient({ burnrate: { transport: 'ipc' } }).transport).toBe('http');
    expect(createClient(window as never).transport).toBe('http');
  });

  it("turns the preload's plain error body into a CallError with the core's sentence", async () => {
    const client = createClient({ burnrate: bridgeFor(core) });
    const error = await client.call('alertAck', { id: 999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect(error).toMatchObject({ code: 'not_found' });
    expect((error as Error).message.length).toBeGreaterThan(10);
  });

  it('delivers pushes from the core and stops after unsubscribe', async () => {
    const client = createClient({ burnrate: bridgeFor(core) });
    const reasons: string[] = [];
    const off = client.on('statusChanged', (e) => reasons.push(e.reason));
    await client.call('budgetSet', { daily: '3.00' });
    const count = reasons.length;
    expect(count).toBeGreaterThan(0);
    off();
    await client.call('budgetSet', { daily: '4.00' });
    expect(reasons.length).toBe(count);
  });
});

describe('a dashboard opened without its token', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(core, { port: 0 });
  });
  afterAll(() => server.close());

  it('locks the page behind the sentence that says which URL to open', async () => {
    window.location.hash = '#/';
    render(<App client={createHttpClient({ base: server.origin })} />);
    expect(await screen.findByText(NEEDS_TOKEN_MESSAGE)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'This dashboard needs its token' })).toBeTruthy();
  });
});
