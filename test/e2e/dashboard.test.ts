import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, newEnv, post, ROOT, serve, type Env, type Served, closeAll } from './serve';

// A new user's path through the dashboard of a REAL `burnrate serve` (built CLI + built renderer),
// in Debian's Chromium: set a budget, enter a Groq reading in the popover, watch the window's
// health and charts change live, acknowledge the alert, export CSV. Screenshots of the popover and
// the window, light and dark, go to test/artifacts/ (UPDATE_SCREENSHOTS=1 copies them to docs/screenshots/).

const NOW = '2026-11-28T18:00:00Z'; // 19:00 in Berlin: "today" is 2026-11-28
const TZ = 'Europe/Berlin';
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

let env: Env;
let served: Served;
let browser: Browser;
let context: BrowserContext;
let windowPage: Page;
const consoleErrors: string[] = [];

/** Usage over the month so the charts have something to show: priced from the catalogue. */
async function seedMonth(): Promise<void> {
  const models = [
    ['openai', 'gpt-4o-mini'],
    ['anthropic', 'claude-sonnet-4-5'],
    ['openai', 'gpt-4.1'],
    ['anthropic', 'claude-haiku-4-5'],
  ] as const;
  for (let day = 1; day <= 27; day++) {
    for (let k = 0; k < 2; k++) {
      const [provider, model] = models[(day + k) % models.length]!;
      const scale = 1 + ((day * 7 + k * 3) % 6);
      await post(served, 'record', {
        provider,
        model,
        inputTokens: 15_000 * scale,
        outputTokens: 2_000 * scale,
        at: `2026-11-${String(day).padStart(2, '0')}T${10 + k * 4}:00:00Z`,
        id: `seed-${day}-${k}`,
        project: k === 0 ? 'agent' : 'website',
      });
    }
  }
}

async function newPage(options: { popover?: boolean; colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; ctx: BrowserContext }> {
  const ctx =
    options.colorScheme === undefined
      ? context
      : await browser.newContext({ colorScheme: options.colorScheme, reducedMotion: 'reduce', viewport: { width: 1280, height: 1100 } });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  if (options.popover) await page.setViewportSize({ width: 360, height: 520 });
  // The printed URL: the server swaps the token for a cookie and redirects to the page.
  await page.goto(served.url);
  return { page, ctx };
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

/** Screenshots go to test/artifacts/; UPDATE_SCREENSHOTS=1 also refreshes the README's copies. */
async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(SCREENSHOTS, `${name}.png`));
  }
}

/** A canvas's pixels, to tell whether a chart was redrawn with other data. */
function chartPixels(page: Page, title: string): Promise<string> {
  return page.evaluate(`(() => {
    const card = [...document.querySelectorAll('.card')].find((c) => c.querySelector('.card-title')?.textContent === ${JSON.stringify(title)});
    return card?.querySelector('canvas')?.toDataURL() ?? '';
  })()`);
}

function chartBox(page: Page, title: string) {
  return page.locator('.chart-card', { has: page.locator('.card-title', { hasText: title }) }).locator('.chart-box');
}

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, TZ);
  // The ledger a user has after a few weeks: Groq tracked by its console, some usage today.
  cli(env, 'provider', 'set', 'groq', '--mode', 'odometer');
  cli(env, 'reading', 'groq', '0.40', '--at', '2026-11-10T09:00:00Z');
  cli(env, 'reading', 'groq', '1.06', '--at', '2026-11-28T07:00:00Z');
  cli(env, 'record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '1.00', '--at', '2026-11-28T12:00:00Z', '--id', 'today-1', '--project', 'agent');
  served = await serve(env);
  await seedMonth();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce', acceptDownloads: true });
  windowPage = (await newPage()).page;
});

afterAll(() => closeAll({ browser, served, env }));

describe('the dashboard of burnrate serve, as a new user meets it', () => {
  it('opens with the printed URL, takes the token out of the address bar, and shows today without a budget', async () => {
    expect(new URL(windowPage.url()).search).toBe('');
    const today = windowPage.locator('[data-testid="today-card"]');
    await today.waitFor();
    expect(await today.getAttribute('class')).toContain('health-none');
    expect(await today.textContent()).toContain('No daily budget yet');
    // Seeded figures arrive over the API and are shown with cents.
    await windowPage.locator('.provider[data-provider="groq"] .provider-month', { hasText: '$1.06' }).waitFor();
  });

  it('refuses a page opened without its token, with the sentence that says what to do', async () => {
    const other = await browser.newContext();
    const page = await other.newPage();
    await page.goto(`${served.origin}/`);
    await page.getByText('Open the URL that `burnrate serve` printed (it carries a token).').waitFor();
    await other.close();
  });

  it('sets a budget, and the health and the daily chart follow', async () => {
    await go(windowPage, '#/');
    await windowPage.locator('.chart-box[data-series]').first().waitFor();
    const daily = windowPage.locator('.chart-card', { hasText: 'Daily spend by provider' }).locator('.chart-box');
    expect(await daily.getAttribute('data-series')).not.toContain('Daily budget');

    await go(windowPage, '#/budgets');
    await windowPage.getByLabel('Daily budget (USD)').fill('2.00');
    await windowPage.getByLabel('Monthly budget (USD)').fill('60');
    await windowPage.getByRole('button', { name: 'Save budgets' }).click();
    await windowPage.getByText('Saved: daily budget $2.00, monthly budget $60.00.').waitFor();

    await go(windowPage, '#/');
    const today = windowPage.locator('[data-testid="today-card"]');
    await windowPage.locator('[data-testid="today-card"].health-good').waitFor();
    expect(await today.locator('.badge').textContent()).toBe('On track');
    await windowPage.locator('.chart-card', { hasText: 'Daily spend by provider' }).locator('.chart-box[data-series*="Daily budget"]').waitFor();
    await windowPage.locator('.chart-card', { hasText: 'so far' }).locator('.chart-box[data-series*="Monthly budget"]').waitFor();
  });

  it('enters a Groq reading in the popover, confirms what changed, and the open window updates live', async () => {
    const before = await chartPixels(windowPage, 'Daily spend by provider');
    expect(before).not.toBe('');
    const totalBefore = await chartBox(windowPage, 'Daily spend by provider').getAttribute('data-total');
    const { page: popover } = await newPage({ popover: true });
    await go(popover, '#/popover');
    await popover.locator('[data-testid="today-card"].health-good').waitFor();

    // Validation first: nothing is sent for a figure that is not an amount.
    await popover.getByLabel('Provider', { exact: true }).selectOption('groq');
    await popover.getByLabel('Month to date (USD)').fill('1.8.6');
    await popover.getByRole('button', { name: 'Save' }).click();
    await popover.getByText('Enter an amount in US dollars such as 1.42').waitFor();

    await popover.getByLabel('Month to date (USD)').fill('1.86');
    await popover.getByRole('button', { name: 'Save' }).click();
    await popover.getByText('Groq November: $1.06 → $1.86').waitFor();
    // $0.80 more today on top of $1.00: into the reserve of the $2.00 budget ($1.60 spendable).
    await popover.locator('[data-testid="today-card"].health-critical').waitFor();
    await popover.locator('.attention-item.sev-critical').first().waitFor();

    // The window was not touched: server-sent events brought the change.
    await windowPage.locator('[data-testid="today-card"].health-critical').waitFor();
    expect(await windowPage.locator('[data-testid="today-card"] .badge').textContent()).toBe('In the reserve');
    await windowPage.locator('.provider[data-provider="groq"] .provider-month', { hasText: '$1.86' }).waitFor();
    // The daily chart was redrawn with today's bar higher.
    await windowPage
      .locator('.chart-card', { has: windowPage.locator('.card-title', { hasText: 'Daily spend by provider' }) })
      .locator(`.chart-box:not([data-total="${totalBefore}"])`)
      .waitFor();
    expect(await chartPixels(windowPage, 'Daily spend by provider')).not.toBe(before);
    await popover.close();
  });

  it('lists the alert the reading fired and acknowledges it', async () => {
    await go(windowPage, '#/alerts');
    const open = windowPage.locator('.alert-item:not(.acked)');
    await open.first().waitFor();
    expect(await windowPage.locator('.nav-count').textContent()).toBe(String(await open.count()));
    const message = await open.first().locator('.alert-message').textContent();
    expect(message).toMatch(/daily budget/i);
    const id = await open.first().getAttribute('data-alert-id');
    await open.first().getByRole('button', { name: 'Acknowledge' }).click();
    // Acknowledged alerts leave the open list...
    await windowPage.locator(`.alert-item[data-alert-id="${id}"]`).waitFor({ state: 'detached' });
    // ...and are still there, marked, among all alerts.
    await windowPage.getByLabel('Show acknowledged').check();
    await windowPage.locator(`.alert-item.acked[data-alert-id="${id}"]`, { hasText: message ?? '' }).waitFor();
  });

  it('exports the month as CSV with the rows the ledger holds', async () => {
    await go(windowPage, '#/export');
    await windowPage.getByLabel('From').fill('2026-11-01');
    await windowPage.getByLabel('To').fill('2026-11-28');
    await windowPage.getByLabel('CSV (spreadsheets)').check();
    const [download] = await Promise.all([windowPage.waitForEvent('download'), windowPage.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('burnrate-2026-11-01-to-2026-11-28.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toMatch(/provider/);
    const done = await windowPage.locator('.note-ok').textContent();
    const shown = Number(/: ([\d,]+) rows?/.exec(done ?? '')?.[1]?.replace(/,/g, ''));
    expect(rows.length).toBe(shown);
    // The same document the CLI exports.
    expect(csv).toBe(cli(env, 'export', '--format', 'csv', '--from', '2026-11-01', '--to', '2026-11-28'));
    expect(rows.some((r) => r.includes('today-1') && r.includes('openai'))).toBe(true);
    expect(rows.filter((r) => r.includes('groq')).length).toBeGreaterThan(0);
    // Money stays an exact decimal string, never a float's tail.
    expect(csv).not.toMatch(/\d\.\d*0000000\d/);
  });

  it('pages through history on the server, filtered', async () => {
    await go(windowPage, '#/history');
    // The usage rows (History's spend summary above them has a table too).
    await windowPage.locator('.history-rows .table tbody tr').first().waitFor();
    await windowPage.getByLabel('Provider', { exact: true }).selectOption('anthropic');
    await windowPage.getByRole('button', { name: 'Apply' }).click();
    await windowPage.locator('.history-rows .table:not(.stale)').waitFor();
    await windowPage.getByText(/^\d+ rows match$/).waitFor();
    const providers = await windowPage.locator('.history-rows .table tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(providers)).toEqual(new Set(['Anthropic']));
  });

  it('is reachable from the keyboard and remembers a theme picked by hand', async () => {
    // A fresh load, so Tab starts from the top of the page.
    await go(windowPage, '#/');
    await windowPage.reload();
    await windowPage.locator('[data-testid="today-card"]').waitFor();
    await windowPage.keyboard.press('Tab');
    expect(await windowPage.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await windowPage.keyboard.press('Tab');
    await windowPage.keyboard.press('Tab');
    expect(await windowPage.evaluate('document.activeElement.textContent')).toBe('History');
    await windowPage.keyboard.press('Enter');
    await windowPage.locator('.view-title', { hasText: 'Usage history' }).waitFor();

    // The OS says light (the context's colour scheme); the user picks dark, and it stays after a reload.
    expect(await windowPage.evaluate('document.documentElement.dataset.theme')).toBe('light');
    await windowPage.getByTitle('Dark theme').first().click();
    expect(await windowPage.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await windowPage.reload();
    await windowPage.locator('.view-title').waitFor();
    expect(await windowPage.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await windowPage.getByTitle('System theme').first().click();
    expect(await windowPage.evaluate('document.documentElement.dataset.theme')).toBe('light');
  });

  it('takes screenshots of the popover and the window, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, ctx } = await newPage({ colorScheme: scheme });
      await go(page, '#/');
      await page.locator('[data-testid="today-card"].health-critical').waitFor();
      await page.locator('.chart-box[data-series*="Daily budget"] canvas').waitFor();
      await page.locator('.legend li').first().waitFor();
      await shoot(page, `window-${scheme}`);
      await page.setViewportSize({ width: 360, height: 520 });
      await go(page, '#/popover');
      await page.locator('.pop-reading').waitFor();
      await shoot(page, `popover-${scheme}`);
      await ctx.close();
    }
    for (const name of ['window-light', 'window-dark', 'popover-light', 'popover-dark']) {
      expect(fs.statSync(path.join(ARTIFACTS, `${name}.png`)).size).toBeGreaterThan(10_000);
    }
  });

  it('ran without a script error or a CSP violation', () => {
    // 401s from the token-less page are expected network errors, not script errors.
    expect(consoleErrors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
  });
});
