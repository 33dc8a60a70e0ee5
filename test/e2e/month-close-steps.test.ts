import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, launchChromium, newEnv, openWindow, post, serve, shoot, type Env, type Served, closeAll } from './serve';

// A month close held up twice, in the window of a real `burnrate serve`: first by a final figure
// typed in from a console (Groq's October), then by a channel that does not take the report. Each
// stop says in words what the close is doing and what to do, with a link to where it is fixed;
// the "Close without waiting" confirmation takes the keyboard focus; the report kept by the close
// can be rebuilt from the ledger (`report --fresh`).

const NOW = '2026-11-20T18:00:00Z';
const TZ = 'Europe/Berlin';
/** The core's code words for its steps, which no text in the window may show. */
const STEP_CODES = /step (finals|sync|reconcile|freeze|report|send)\b|\b(finals|send): /;

let env: Env;
let served: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

const octoberRow = () => page.locator('tr', { has: page.locator('td', { hasText: 'October 2026' }) }).first();
/** The line under October's row (its hold-up, and the links that put it right). */
const octoberDetail = (): Locator => octoberRow().locator('xpath=following-sibling::tr[1]');
/** The hold-up's sentence alone. */
const holdUp = () => octoberDetail().locator('td > span').first().innerText();
const focused = () => page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');
const focusedIn = (group: Locator) => group.evaluate((el) => el.contains(el.ownerDocument.activeElement));

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, TZ);
  served = await serve(env);
  await post(served, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.40', at: '2026-10-05T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '2.10', at: '2026-10-28T09:00:00Z' });
  await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: '3.25', at: '2026-10-12T10:00:00Z', id: 'oct-1' });
  // Nothing listens on port 9: the report cannot be delivered there, and the close stops at sending.
  await post(served, 'channelAdd', { kind: 'webhook', url: 'http://127.0.0.1:9/hook' });
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 1000, hash: '#/close', errors }));
});

afterAll(() => closeAll({ ctx, browser, served, env }));

describe('a month close held up, in the window', () => {
  it('says whose final figure it waits for, with a link to enter it, and no step names', async () => {
    await expect.poll(() => octoberRow().textContent()).toContain('Not closed');
    expect(await holdUp()).toBe('The final October 2026 figure of Groq is not in yet; closing waits for it.');
    await octoberRow().getByRole('button', { name: 'Close month' }).click();
    await expect.poll(() => octoberRow().textContent()).toContain('Waiting for final figures');
    await expect.poll(() => holdUp()).toMatch(/^Waiting for the final October 2026 figure of Groq until /);
    const enter = octoberDetail().getByRole('link', { name: 'Enter Groq’s October final figure' });
    expect(await enter.getAttribute('href')).toBe('#/readings?provider=groq&action=final&month=2026-10');
    expect(await page.locator('main').innerText()).not.toMatch(STEP_CODES);
    await shoot(page, 'month-close-waiting');
  });

  it('moves the keyboard focus into the "Close without waiting" confirmation, and back when it is dismissed', async () => {
    const ask = octoberRow().getByRole('button', { name: 'Close without waiting…' });
    await ask.focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('group', { name: 'Close October 2026 without waiting' });
    await confirm.waitFor();
    await expect.poll(() => focusedIn(confirm)).toBe(true);
    expect(await focused()).toBe('Close without waiting');
    await confirm.getByRole('button', { name: 'Keep waiting' }).click();
    await expect.poll(() => focused()).toBe('Close without waiting…');
  });

  it('when a channel does not take the report: which one, why, and to fix or remove it in Settings', async () => {
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('group', { name: 'Close October 2026 without waiting' });
    await expect.poll(() => focusedIn(confirm)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => octoberRow().textContent(), { timeout: 30_000 }).toContain('Stopped while sending the report; will try again');
    await expect
      .poll(() => holdUp())
      .toMatch(/^The report could not be sent to the webhook channel #1 \(.+\): fix or remove that channel in Settings, then choose “Resume close”\. Burnrate tries again at 2026-11-20 \d\d:\d\d\.$/);
    expect(await octoberDetail().getByRole('link', { name: 'Open notification channels' }).getAttribute('href')).toBe('#/settings');
    // The close is past the final figures: it no longer offers to skip them.
    expect(await octoberRow().getByRole('button', { name: 'Close without waiting…' }).count()).toBe(0);
    // The focus did not fall back to the page: it is on the row's "Open report".
    await expect.poll(() => focused()).toBe('Open report');
    expect(await page.locator('main').innerText()).not.toMatch(STEP_CODES);
    await shoot(page, 'month-close-stopped');
  });

  it('shows the report the close kept, and rebuilds it from the ledger on demand', async () => {
    await octoberRow().getByRole('button', { name: 'Open report' }).click();
    const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Report for October 2026' }) });
    // Kept by the close, not sent yet: the channel refused it.
    await expect.poll(() => card.innerText()).toContain('As built by the close, which has not finished sending it.');
    await card.getByRole('button', { name: 'Rebuild from the ledger' }).click();
    await expect.poll(() => card.innerText()).toContain('Built now from the ledger.');
    await shoot(page, 'month-close-rebuilt');
    await card.getByRole('button', { name: 'Show the report the close kept' }).click();
    await expect.poll(() => card.innerText()).toContain('As built by the close, which has not finished sending it.');
  });

  it('once the channel is removed, Resume close finishes, and the report reads as sent', async () => {
    await post(served, 'channelRemove', { id: 1 });
    await octoberRow().getByRole('button', { name: 'Resume close' }).click();
    await expect.poll(() => octoberRow().textContent(), { timeout: 30_000 }).toContain('Closed');
    await octoberRow().getByRole('button', { name: 'Open report' }).click();
    const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Report for October 2026' }) });
    await expect.poll(() => card.innerText()).toContain('As built and sent when the month closed.');
    expect(errors.filter((e) => !/status of (503|409)/.test(e))).toEqual([]);
  });
});
