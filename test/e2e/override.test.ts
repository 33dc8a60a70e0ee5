import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ARTIFACTS, assertBuilt, CLI_WORDS, type Env, get, launchChromium, newEnv, openWindow, post, SCREENSHOTS, serve, type Served, shoot, closeAll } from './serve';

// Issue 17 in the window: the metering proxy's policy per budget and the emergency override, set
// through the WINDOW of a real `burnrate serve` in Chromium and checked through the HTTP API; the
// popover's compact Override appears once an enforced budget is passed.

const NOW = '2026-11-28T18:00:00Z'; // the server's clock; the budget day runs in UTC here
let browser: Browser;
let env: Env;
let served: Served;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, 'UTC');
  served = await serve(env);
  // A $1.00 day already passed by $0.50, a monthly budget and an OpenAI cap: every policy at its default.
  await post(served, 'budgetSet', { daily: '1.00', monthly: '100.00' });
  await post(served, 'budgetSet', { provider: 'openai', monthly: '10.00' });
  await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: '1.50', at: '2026-11-28T10:00:00Z', id: 'openai-1' });
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 800, errors }));
});

afterAll(() => closeAll({ ctx, browser, served, env }));

describe('the proxy policy and emergency override in the window', () => {
  it('sets Enforce on the daily budget through the Budgets view, and the API stores it', async () => {
    expect((await get(served, 'budgetShow')).policies).toEqual({ daily: 'warn', monthly: 'warn', caps: { openai: 'warn' }, projects: {} });
    await page.evaluate(`location.hash = '#/budgets'`);
    const daily = page.getByRole('group', { name: 'Daily budget policy' });
    await daily.waitFor();
    // The radio itself is visually hidden inside its segment: the label is what the user clicks.
    await daily.locator('label', { hasText: 'Enforce' }).click();
    await page.getByText('Daily budget: Enforce.').waitFor();
    const stored = await get(served, 'budgetShow');
    expect(stored.policies).toEqual({ daily: 'enforce', monthly: 'warn', caps: { openai: 'warn' }, projects: {} });
    expect(stored.day.budgetUsd).toBe('1.00');
    expect(await daily.getByLabel('Enforce').isChecked()).toBe(true);
  });

  it('adds an override with a note through the window, lists it with the note, and the API stores it', async () => {
    expect((await get(served, 'overrides')).overrides).toEqual([]);
    const form = page.getByRole('form', { name: 'Override the budgets' });
    await form.getByLabel('Lift by (USD)').fill('4.25');
    // Any length the CLI's --for takes is offered, not only the short ones.
    expect(await form.getByLabel('For').locator('option').allTextContents()).toEqual(['30 minutes', '1 hour', '2 hours', '4 hours', '8 hours', 'Until midnight', '1 day', '3 days', '1 week']);
    await form.getByLabel('For').selectOption('30m');
    await form.getByLabel('Note').fill('Demo for the board');
    await form.getByRole('button', { name: 'Override' }).click();
    await page.getByText('Budgets lifted by $4.25 until 2026-11-28 18:30.').waitFor();
    // The form starts afresh, all of it: the amount kept while the note went read as half a reset.
    expect(await form.getByLabel('Lift by (USD)').inputValue()).toBe('5.00');
    expect(await form.getByLabel('For').inputValue()).toBe('2h');
    expect(await form.getByLabel('Note').inputValue()).toBe('');
    const o = await get(served, 'overrides');
    expect(o.liftUsd).toBe('4.25');
    expect(o.overrides).toMatchObject([{ amountUsd: '4.25', startsAt: '2026-11-28T18:00:00.000Z', endsAt: '2026-11-28T18:30:00.000Z', active: true, note: 'Demo for the board', by: 'window' }]);
    const row = page.locator('#override tr', { hasText: 'Demo for the board' });
    await row.getByText('Active').waitFor();
    expect(await row.innerText()).toContain('Demo for the board · from the window');
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
    await page.evaluate(`document.querySelectorAll('.toasts').forEach((t) => t.style.setProperty('visibility', 'hidden'))`);
    // The two cards side by side (a full-page shot would smear the sticky header over them).
    const file = path.join(ARTIFACTS, 'budgets-proxy-override-light.png');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#override').locator('xpath=..').screenshot({ path: file });
    if (process.env.UPDATE_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(SCREENSHOTS, 'budgets-proxy-override-light.png'));
  });

  it('the popover offers Override once the enforced daily budget is passed, and its form stores one', async () => {
    const pop = await ctx.newPage();
    await pop.setViewportSize({ width: 360, height: 560 });
    await pop.goto(`${served.origin}/#/popover`);
    const section = pop.getByRole('region', { name: 'Emergency override' });
    await section.getByRole('button', { name: 'Override…' }).click();
    await section.getByLabel('Lift by (USD)').fill('2');
    await section.getByRole('button', { name: 'Override' }).click();
    await section.getByText('Budgets lifted by $2.00 until 2026-11-28 20:00.').waitFor();
    await shoot(pop, 'popover-override-light');
    const o = await get(served, 'overrides');
    expect(o.liftUsd).toBe('6.25');
    expect(o.overrides[0]).toMatchObject({ amountUsd: '2.00', note: '', by: 'tray', active: true });
    expect(await pop.locator('body').innerText()).not.toMatch(CLI_WORDS);
    await pop.close();
    expect(errors).toEqual([]);
  });

  it('End now ends an active override: the list says so at once and the API no longer counts its lift', async () => {
    const row = page.locator('#override tr', { hasText: 'Demo for the board' });
    await row.getByRole('button', { name: 'End now' }).click();
    await row.getByText('Ended early at 2026-11-28 18:00 from the window').waitFor();
    expect(await row.getByRole('button', { name: 'End now' }).count()).toBe(0);
    const o = await get(served, 'overrides');
    expect(o.liftUsd).toBe('2.00'); // the popover's $2.00 is left
    expect(o.overrides.find((x: { id: number }) => x.id === 1)).toMatchObject({ active: false, endedAt: '2026-11-28T18:00:00.000Z', endedBy: 'window', note: 'Demo for the board' });
    await page.locator('#override').getByText('Lifted now by $2.00.').waitFor();
    expect(errors).toEqual([]);
  });

  it('asks before a lift above the largest budget; Change keeps what was typed, Confirm saves it', async () => {
    const form = page.getByRole('form', { name: 'Override the budgets' });
    const amount = form.getByLabel('Lift by (USD)');
    await amount.fill('5000000');
    await form.getByLabel('For').selectOption('2h');
    await form.getByLabel('Note').fill('Launch night');
    await form.getByRole('button', { name: 'Override' }).click();
    const ask = form.getByRole('alert', { name: 'Confirm the override' });
    await ask.getByText('Lift by $5,000,000.00? That is more than the whole monthly budget ($100.00).').waitFor();
    await shoot(page, 'override-confirm-light');
    expect((await get(served, 'overrides')).overrides).toHaveLength(2); // nothing sent yet

    await ask.getByRole('button', { name: 'Change' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await amount.inputValue()).toBe('5000000');
    expect(await form.getByLabel('Note').inputValue()).toBe('Launch night');
    expect(await page.evaluate('document.activeElement?.getAttribute("placeholder")')).toBe('5.00'); // the amount, focused
    expect((await get(served, 'overrides')).overrides).toHaveLength(2);

    await form.getByRole('button', { name: 'Override' }).click();
    await ask.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Budgets lifted by $5,000,000.00 until 2026-11-28 20:00.').waitFor();
    expect((await get(served, 'overrides')).overrides[0]).toMatchObject({ amountUsd: '5000000.00', note: 'Launch night', by: 'window', active: true });
    expect(errors).toEqual([]);
  });
});
