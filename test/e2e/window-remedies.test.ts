import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, CLI_WORDS, launchChromium, newEnv, openWindow, serve, shoot, type Env, type Served, closeAll } from './serve';

// Refusals as a user meets them in the window of a real `burnrate serve`: saving a key on a
// machine whose keychain cannot answer (the D-Bus session bus points nowhere), joining a team
// whose database does not answer, and a sync whose key (saved while the keychain still answered)
// the keychain will not give. Each says what is wrong and what to do in the desktop's terms (no
// command, no environment variable), and keeps what was typed.

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
  cli(env, 'status'); // opens and migrates the ledger
  // OpenAI's key index row, as saving the key left it when the keychain still answered.
  const db = new Database(path.join(env.BURNRATE_HOME, 'ledger.sqlite'));
  db.prepare("INSERT INTO key_metadata (provider, kind, last4, stored_in, updated_at) VALUES ('openai', 'admin', 'cdef', 'keychain', ?)").run(NOW);
  db.close();
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

const SYNC_FAILED = 'Burnrate could not read the key for OpenAI from the system keychain.';
const NO_SESSION = 'Burnrate is running outside a desktop session, so no system keychain can answer: start Burnrate from your desktop session, then try again.';
/** What a window user would have to type: shell commands, flags, environment variables, a docs path. */
const TERMINAL_WORDS = /`|\bburnrate [a-z]|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|docs\/|gnome-keyring-daemon/;

function expectWindowWords(text: string): void {
  expect(text).toContain(`${SYNC_FAILED} ${NO_SESSION}`);
  expect(text).not.toMatch(CLI_WORDS);
  expect(text).not.toMatch(TERMINAL_WORDS);
}

describe('a sync the keychain refused its key, in the window', () => {
  it('Sync now: the toast says the key could not be read and what to do on the desktop', async () => {
    await page.getByRole('button', { name: 'Sync now' }).click();
    const toast = page.locator('.toast').filter({ hasText: SYNC_FAILED });
    await toast.waitFor();
    const text = (await toast.innerText()).trim();
    expect(text).toBe(`OpenAI sync failed: ${SYNC_FAILED} ${NO_SESSION}`);
    expectWindowWords(text);
    await shoot(page, 'sync-keychain-toast');
  });

  it('what needs attention says the same, with no command', async () => {
    await page.evaluate('location.hash = "#/"');
    const item = page.locator('.attention-item').filter({ hasText: 'OpenAI sync failed' });
    await item.waitFor();
    const text = (await item.innerText()).trim();
    expect(text).toContain(`OpenAI sync failed 0 hours ago: ${SYNC_FAILED} ${NO_SESSION}`);
    expectWindowWords(text);
  });

  it('Recent syncs shows the whole sentence and the remedy', async () => {
    await page.evaluate('location.hash = "#/accounts"');
    const card = page.locator('section, .card').filter({ has: page.getByText('Recent syncs', { exact: true }) }).last();
    const cell = card.locator('td').filter({ hasText: SYNC_FAILED });
    await cell.first().waitFor();
    expect(await cell.count()).toBe(1);
    expectWindowWords((await cell.innerText()).trim());
    await cell.scrollIntoViewIfNeeded();
    await shoot(page, 'sync-keychain-recent-syncs');
    expect(errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
  });
});
