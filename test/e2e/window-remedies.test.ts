import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_WORDS, launchChromium, newEnv, openWindow, serve, type Env, type Served, closeAll } from './serve';

// Two refusals as a user meets them in the window of a real `burnrate serve`: saving a key on a
// machine whose keychain cannot answer (the D-Bus session bus points nowhere), and joining a team
// whose database does not answer. Each says what is wrong and what to do in the desktop's terms
// (no command, no environment variable), and keeps what was typed.

const NOW = '2026-11-20T18:00:00Z';

let env: Env;
let served: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, 'UTC');
  // No Secret Service can answer on a bus that does not exist, whatever the machine runs.
  served = await serve({ ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/burnrate-e2e-bus' } as Env);
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 900, errors }));
});

afterAll(() => closeAll({ ctx, browser, served, env }));

describe('refusals worded for the window', () => {
  it('Save key without a keychain: no desktop session can answer, start Burnrate from one; the key stays typed', async () => {
    await page.evaluate('location.hash = "#/accounts"');
    const form = page.getByRole('form', { name: 'Add or replace a key' });
    await form.getByLabel('API key').fill('sk-admin-e2e-0123456789abcdef');
    await form.getByRole('button', { name: 'Save key' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.innerText()).trim();
    // The bus address points at nothing: the core tells this from a locked keychain or a missing keyring service.
    expect(text).toBe('Burnrate is running outside a desktop session, so no system keychain can answer: start Burnrate from your desktop session, then try again.');
    expect(text).not.toMatch(CLI_WORDS);
    expect(text).not.toMatch(/`|DBUS_|BURNRATE_|docs\/|gnome-keyring-daemon/);
    expect(await form.getByLabel('API key').inputValue()).toBe('sk-admin-e2e-0123456789abcdef');
  });

  it('Join a team whose database does not answer: where, in words, and what to check; the URL stays typed', async () => {
    await page.evaluate('location.hash = "#/team"');
    const form = page.getByRole('form', { name: 'Join a team' });
    await form.getByLabel('Database URL').fill('postgres://bob@127.0.0.1:9/team');
    await form.getByLabel('Password').fill('x');
    await form.getByRole('button', { name: 'Join' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    const text = (await alert.innerText()).trim();
    expect(text).toContain(
      'The team database at postgres://bob@127.0.0.1:9/team did not answer (nothing accepts connections at 127.0.0.1:9); check the host and port, that the database is running, and that it accepts connections from this machine.',
    );
    expect(text).not.toMatch(/ECONNREFUSED/);
    expect(text).not.toMatch(CLI_WORDS);
    expect(await form.getByLabel('Database URL').inputValue()).toBe('postgres://bob@127.0.0.1:9/team');
    // The refusals (503) are the only failed requests.
    expect(errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
  });
});
