import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatus } from '../helpers/http-status';
import { assertBuilt, CLI_WORDS, type Env, get, launchChromium, newEnv, openWindow, post, serve, type Served, shoot, closeAll } from './serve';

// Issue 17 in the window of a real `burnrate serve`, in Chromium, checked through the HTTP API:
// Settings shows the metering proxy's state and URL and switches it off and on; Budgets shows and
// edits project caps and their proxy policy.

const NOW = '2026-11-28T18:00:00Z';
let browser: Browser;
let env: Env;
let served: Served;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, 'UTC');
  served = await serve(env); // --port 0: its proxy on a free port too
  await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: '3.00', at: '2026-11-28T10:00:00Z', id: 'web-1', project: 'web' });
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 900, errors }));
});

afterAll(() => closeAll({ ctx, browser, served, env }));

describe('the metering proxy in Settings', () => {
  it("shows serve's proxy running at its URL, switches it off and on, and the API and the port agree", async () => {
    const named = /metering proxy on (http:\/\/127\.0\.0\.1:\d+)/.exec(served.stderr());
    expect(named).not.toBeNull();
    const url = named![1]!;
    expect(await get(served, 'proxyStatus')).toMatchObject({ state: 'running', url, enabled: true, runHere: true });

    await page.evaluate(`location.hash = '#/settings'`);
    const card = page.getByTestId('proxy-card');
    await card.getByTestId('proxy-state').getByText('Running').waitFor();
    expect(await card.getByTestId('proxy-url').innerText()).toBe(url);
    await card.getByText('Point your tools at it').click();
    await card.getByText(`ANTHROPIC_BASE_URL=${url}/anthropic`).waitFor();
    await card.getByText(`OPENAI_BASE_URL=${url}/openai/v1`).waitFor();
    await shoot(page, 'settings-proxy-light');

    const toggle = card.getByLabel(/Run the metering proxy with Burnrate/);
    await toggle.uncheck();
    await card.getByTestId('proxy-state').getByText('Off').waitFor();
    expect(await get(served, 'proxyStatus')).toMatchObject({ state: 'off', enabled: false, url: null });
    expect((await get(served, 'settingsGet')).proxyEnabled).toBe(false);
    expect(await httpStatus(url)).toBe('refused');

    await toggle.check();
    await card.getByTestId('proxy-state').getByText('Running').waitFor();
    const again = await get(served, 'proxyStatus');
    expect(again.state).toBe('running');
    expect(await httpStatus(again.url)).toBe(404); // the proxy's own answer to a path naming no provider
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
  });
});

/** A port on 127.0.0.1 that something else holds, and one that was free a moment ago. */
async function listening(): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end('someone else'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
const portOf = (server: http.Server) => (server.address() as AddressInfo).port;

describe("the metering proxy's port in Settings", () => {
  it('a port in use says to pick another one there; a port typed in the field and saved runs the proxy at its new URL', async () => {
    const taken = await listening();
    const probe = await listening();
    const free = portOf(probe);
    await new Promise<void>((r) => probe.close(() => r()));
    try {
      await page.evaluate(`location.hash = '#/settings'`);
      const card = page.getByTestId('proxy-card');
      await card.getByTestId('proxy-state').getByText('Running').waitFor();
      const form = page.getByRole('form', { name: 'Metering proxy port' });
      const field = form.getByLabel('Port', { exact: true });

      await field.fill('80');
      await form.getByRole('button', { name: 'Save port' }).click();
      await form.getByText('Enter a port from 1024 to 65535').waitFor();

      await field.fill(String(portOf(taken)));
      await form.getByRole('button', { name: 'Save port' }).click();
      await card.getByTestId('proxy-state').getByText('Port in use').waitFor();
      const message = await card.getByRole('status').innerText();
      expect(message).toContain(`Port ${portOf(taken)} on 127.0.0.1 is already in use`);
      expect(message).toContain('pick another port under Settings → Metering proxy');
      expect(message).not.toMatch(/BURNRATE_|--|burnrate settings/);
      expect(await get(served, 'proxyStatus')).toMatchObject({ state: 'port-in-use', configuredPort: portOf(taken), portLocked: false });

      await field.fill(String(free));
      await form.getByRole('button', { name: 'Save port' }).click();
      await card.getByTestId('proxy-state').getByText('Running').waitFor();
      const url = `http://127.0.0.1:${free}`;
      expect(await card.getByTestId('proxy-url').innerText()).toBe(url);
      expect(await get(served, 'proxyStatus')).toMatchObject({ state: 'running', url, configuredPort: free, message: null });
      expect((await get(served, 'settingsGet')).proxyPort).toBe(free);
      expect(await httpStatus(url)).toBe(404); // the proxy's own answer to a path naming no provider
      expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });
});

describe('project caps in Budgets', () => {
  it('adds a project cap through the window, shows its spend and health, sets its proxy policy, and removes it', async () => {
    await page.evaluate(`location.hash = '#/budgets'`);
    const form = page.getByRole('form', { name: 'Add a project cap' });
    await form.waitFor();
    await form.getByRole('button', { name: 'Set project cap' }).click();
    await form.getByText('Enter the project name as requests give it').waitFor();
    expect((await get(served, 'budgetShow')).projectCaps).toEqual([]);

    await form.getByLabel('Project').fill('web');
    await form.getByLabel('Monthly cap (USD)').fill('3.50');
    await form.getByRole('button', { name: 'Set project cap' }).click();
    const card = page.locator('#project-caps');
    await card.getByRole('cell', { name: 'web', exact: true }).waitFor();
    const stored = await get(served, 'budgetShow');
    expect(stored.projectCaps).toEqual([{ project: 'web', capUsd: '3.50', spentUsd: '3.00', usedPct: 85.71, health: 'warning' }]);
    expect(stored.policies.projects).toEqual({ web: 'warn' });

    const policy = page.getByRole('group', { name: 'Project "web" cap policy' });
    await policy.locator('label', { hasText: 'Enforce' }).click();
    await page.getByText('Project "web" cap: Enforce.').waitFor();
    expect((await get(served, 'budgetShow')).policies.projects).toEqual({ web: 'enforce' });
    expect((await get(served, 'budgetShow')).projectCaps[0].capUsd).toBe('3.50'); // the amount unchanged
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);

    await card.getByRole('button', { name: 'Remove the project "web" cap…' }).click();
    await card.getByRole('button', { name: 'Remove cap' }).click();
    await card.getByText('No project caps').waitFor();
    expect((await get(served, 'budgetShow')).projectCaps).toEqual([]);
    expect(errors).toEqual([]);
  });
});
