import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type LocalSmtp } from '../helpers/smtp';
import { assertBuilt, cli, newEnv, post, ROOT, serve, type Env, type Served } from './serve';

// November closed from the window of a real `burnrate serve`, its report opened in Chromium and
// looked at: screenshots to test/artifacts/ (UPDATE_SCREENSHOTS=1 copies them to docs/screenshots/).

const NOW = '2026-12-05T12:00:00Z';
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

let env: Env;
let served: Served;
let browser: Browser;
let smtp: LocalSmtp;
const pageErrors: string[] = [];

async function shoot(page: Page, name: string, fullPage = false): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(SCREENSHOTS, `${name}.png`));
  }
  return file;
}

beforeAll(async () => {
  assertBuilt();
  smtp = await startSmtp();
  env = newEnv(NOW, 'UTC');
  cli(env, 'budget', 'set', '--monthly', '40');
  served = await serve(env);
  const models = [
    ['openai', 'gpt-4o-mini', 'agent'],
    ['anthropic', 'claude-sonnet-4-5', 'website'],
    ['openai', 'gpt-4.1', 'website'],
    ['anthropic', 'claude-haiku-4-5', 'agent'],
  ] as const;
  for (let day = 1; day <= 30; day++) {
    for (let k = 0; k < 2; k++) {
      const [provider, model, project] = models[(day + k) % models.length]!;
      const scale = 1 + ((day * 7 + k * 3) % 6) + (day === 12 || day === 19 ? 8 : 0);
      await post(served, 'record', { provider, model, inputTokens: 20_000 * scale, outputTokens: 3_000 * scale, at: `2026-11-${String(day).padStart(2, '0')}T${String(9 + k * 5).padStart(2, '0')}:00:00Z`, id: `n-${day}-${k}`, project });
    }
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await smtp?.close();
});

describe('month close in the window, and the report in Chromium', () => {
  it('closes November from the Month close view and shows its report', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 }, reducedMotion: 'reduce' });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(served.url);
    await page.evaluate('location.hash = "#/close"');
    // The email channel, added and tested from the window.
    const form = page.getByRole('form', { name: 'Add an email channel' });
    await form.getByLabel('SMTP server').fill(`smtp://127.0.0.1:${smtp.port}`);
    await form.getByLabel('To').fill('owner@example.com');
    await form.getByRole('button', { name: 'Add email channel' }).click();
    await expect.poll(() => page.getByText('Added email channel #1 to owner@example.com.').count()).toBe(1);
    await page.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => page.getByText('Sent a test message to channel #1.').count(), { timeout: 15_000 }).toBe(1); // an SMTP round trip: more than the poll's default second on a busy machine
    expect(smtp.mails.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1])).toEqual(['Burnrate: test']);
    const row = page.locator('tr', { has: page.locator('td', { hasText: 'November 2026' }) }).first();
    await expect.poll(() => row.textContent()).toContain('Not closed');
    await row.getByRole('button', { name: 'Close month' }).click();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Closed');
    await row.getByRole('button', { name: 'Open report' }).click();
    // The report's card and frame name the month as the Months table does, not by its code "2026-11".
    await page.getByRole('heading', { name: 'Report for November 2026' }).waitFor();
    const frame = page.frameLocator('iframe[title="Report for November 2026"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Burnrate — November 2026');
    await shoot(page, 'month-close', true);
    // The close sent the report to the channel, once.
    await smtp.waitFor(2);
    expect(smtp.mails.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1])).toEqual(['Burnrate: test', 'Burnrate: November 2026, $13.72 spent']);
    // The CLI sees the same close.
    const status = JSON.parse(cli(env, 'month', 'status', '--json')) as { months: { month: string; state: string }[] };
    expect(status.months.find((m) => m.month === '2026-11')!.state).toBe('closed');
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });

  it('the HTML report opens offline in Chromium, draws its charts and prints to PDF', async () => {
    const file = path.join(env.BURNRATE_HOME, 'report.html');
    cli(env, 'report', '--month', '2026-11', '--format', 'html', '--output', file);
    const ctx = await browser.newContext({ viewport: { width: 860, height: 1200 }, offline: true });
    const page = await ctx.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    expect(await page.locator('h1').textContent()).toBe('Burnrate — November 2026');
    // Thirty day bars, two of them the top days in the other colour; a budget gauge.
    expect(await page.locator('svg[aria-label="Spend per day"] rect').count()).toBe(30);
    expect(await page.locator('svg[aria-label="Spend per day"] rect[fill="#d9480f"]').count()).toBe(5);
    expect(await page.locator('h2').allTextContents()).toEqual(
      expect.arrayContaining(['Per day', 'Top days', 'Per provider', 'Per model', 'Per project', 'Billed versus estimated', 'Forecast', 'Subscriptions', 'Balances and runway', 'Unpriced']),
    );
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]); // nothing fetched: self-contained
    await shoot(page, 'month-report', true);
    await ctx.close();

    const pdf = path.join(env.BURNRATE_HOME, 'report.pdf');
    cli(env, 'report', '--month', '2026-11', '--format', 'pdf', '--output', pdf);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
