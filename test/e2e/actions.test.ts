import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_WORDS, type Env, get, type Json, newEnv, openWindow, post, ROOT, serve, type Served } from './serve';

// Issue 15, "dead ends": every action the CLI has, walked through the WINDOW of a real
// `burnrate serve` in Chromium — a month's final figure from the popover's month-end prompt, a
// top-up, a price set and removed from the unpriced warning, usage recorded by hand for a manual
// provider, a subscription with its start date, its preview before saving, and its purge — and
// each "needs attention" item and provider row leading to where it is fixed. Each walk runs on its
// own seeded ledger, in light at 1280×800 and in dark at the popover's 360×560; the ledger is
// checked through the HTTP API after each save. Screenshots of each form go to test/artifacts/
// (UPDATE_SCREENSHOTS=1 copies them to docs/screenshots/).

const NOW = '2026-11-28T18:00:00Z'; // 19:00 in Berlin: today is 2026-11-28
const TZ = 'Europe/Berlin';
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
/**
 * The ledger of a user a month in: Groq by its console (October closed without a final figure),
 * OpenRouter by a prepaid balance that is running low, OpenAI at 91 % of its $10 cap, Mistral
 * recorded by hand, DeepSeek usage of a model nobody has a price for, and a $1.00 daily budget.
 */
async function seed(served: Served): Promise<void> {
  await post(served, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.40', at: '2026-10-05T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '2.10', at: '2026-10-20T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.50', at: '2026-11-10T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.80', at: '2026-11-20T09:00:00Z' });
  await post(served, 'providerSet', { provider: 'openrouter', mode: 'balance' });
  await post(served, 'readingAdd', { provider: 'openrouter', amount: '30.00', at: '2026-11-01T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'openrouter', amount: '3.00', at: '2026-11-27T09:00:00Z' });
  await post(served, 'providerSet', { provider: 'mistral', mode: 'manual' });
  await post(served, 'record', { provider: 'mistral', model: 'mistral-small-latest', cost: '0.10', at: '2026-11-05T10:00:00Z', id: 'mistral-1' });
  await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: '9.10', at: '2026-11-20T10:00:00Z', id: 'openai-1' });
  await post(served, 'record', { provider: 'deepseek', model: 'deepseek-mystery', inputTokens: 4000, outputTokens: 900, at: '2026-11-28T08:00:00Z', id: 'ds-1', source: 'proxy' });
  await post(served, 'budgetSet', { daily: '1.00', monthly: '100.00', provider: undefined });
  await post(served, 'budgetSet', { provider: 'openai', monthly: '10.00' });
}

/**
 * A screenshot of the form (its card) or of the whole page. Alert toasts that the seeded figures
 * raise are hidden for it: they float over whatever is below them and would cover the form.
 */
async function shoot(page: Page, name: string, form?: Locator): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.evaluate(`document.querySelectorAll('.toasts').forEach((t) => t.style.setProperty('visibility', 'hidden'))`);
  const card = form?.locator('xpath=ancestor::section[contains(@class, "card")][1]');
  // The sticky header would cover the top of a card scrolled under it: see through it meanwhile.
  const header = (visibility: string) => page.evaluate(`document.querySelectorAll('.topbar').forEach((t) => t.style.setProperty('visibility', '${visibility}'))`);
  // Only for a card: a shot of the whole window shows the header as the user sees it.
  if (form) await header('hidden');
  if (card && (await card.count()) > 0) await card.screenshot({ path: file });
  else if (form) await form.screenshot({ path: file });
  else await page.screenshot({ path: file });
  await header('visible');
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(SCREENSHOTS, `${name}.png`));
  }
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

/** No sentence on the page tells the user to type a command. */
async function expectNoCliWords(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(CLI_WORDS);
}

const WALKS = [
  { scheme: 'light', width: 1280, height: 800 },
  { scheme: 'dark', width: 360, height: 560 },
] as const;

let browser: Browser;

beforeAll(async () => {
  assertBuilt();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe.each(WALKS)('every CLI action through the window ($scheme, $width×$height)', ({ scheme, width, height }) => {
  let env: Env;
  let served: Served;
  let ctx: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const tag = `${scheme}-${width}`;

  beforeAll(async () => {
    env = newEnv(NOW, TZ);
    served = await serve(env);
    await seed(served);
    ({ ctx, page } = await openWindow(browser, served, { scheme, width, height, errors }));
  });

  afterAll(async () => {
    await ctx?.close();
    await served?.stop();
    if (env) fs.rmSync(env.BURNRATE_HOME, { recursive: true, force: true });
  });

  it('the seeded ledger needs attention for a cap, a balance, unpriced usage and a missing final figure', async () => {
    const status = await get(served, 'status');
    const kinds = (status.attention as Json[]).map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['cap', 'runway', 'unpriced', 'reminder_month_final']));
    expect(status.reminders).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'month_final', provider: 'groq', period: '2026-10' })]));
    // Each of them, on the dashboard, says where it is fixed.
    await page.locator('.attention-item', { hasText: 'final' }).getByRole('link', { name: "Enter October's final figure" }).waitFor();
    await shoot(page, `action-attention-links-${tag}`, page.locator('section.attention'));
  });

  it('a missing final figure on the dashboard opens the final-figure form for that month, in the window too', async () => {
    await go(page, '#/');
    await page.locator('.attention-item', { hasText: 'final' }).getByRole('link', { name: "Enter October's final figure" }).click();
    await page.waitForURL(/#\/readings\?provider=groq&action=final&month=2026-10/);
    const form = page.getByRole('form', { name: "Enter a month's final figure" });
    await expect.poll(() => form.getByLabel('Month').inputValue()).toBe('2026-10');
    expect(await form.getByLabel('Provider').inputValue()).toBe('groq');
    // Opened in view with the figure's field focused: the next keystroke is the figure.
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("placeholder")')).toBe('12.34');
    // The Reminders card offers the same form.
    await page.locator('.reminders li', { hasText: 'October 2026' }).getByRole('link', { name: "Enter October's final figure" }).waitFor();
    await shoot(page, `action-final-figure-${tag}`, form);
  });

  it('the month-end prompt in the popover enters October’s final figure in one click from the tray', async () => {
    const pop = await ctx.newPage();
    await pop.setViewportSize({ width: 360, height: 560 });
    await pop.goto(`${served.origin}/#/popover`);
    const prompt = pop.getByRole('region', { name: 'Month end' });
    await prompt.getByRole('button', { name: "Enter October's final figure" }).waitFor();
    await shoot(pop, `action-month-end-popover-${scheme}`);
    // The popover's provider rows lead to where each is fixed, like the window's.
    expect(await pop.locator('.provider a.provider-link').count()).toBe(await pop.locator('.provider').count());
    await prompt.getByRole('button', { name: "Enter October's final figure" }).click();
    const form = pop.getByRole('form', { name: "Enter a month's final figure" });
    expect(await form.getByLabel('Provider').inputValue()).toBe('groq');
    expect(await form.getByLabel('Month').inputValue()).toBe('2026-10');
    await form.getByLabel('Final total (USD)').fill('2.3x');
    await form.getByRole('button', { name: 'Save final figure' }).click();
    await form.locator('.field-error').first().waitFor(); // refused before sending: nothing saved
    expect((await get(served, 'readings', { provider: 'groq' })).months.find((m: Json) => m.month === '2026-10').status).not.toBe('final');
    await form.getByLabel('Final total (USD)').fill('2.35');
    await shoot(pop, `action-final-figure-popover-${scheme}`);
    await form.getByRole('button', { name: 'Save final figure' }).click();
    await form.getByText('Groq October 2026 is final at $2.35.').waitFor();
    const october = (await get(served, 'readings', { provider: 'groq' })).months.find((m: Json) => m.month === '2026-10');
    expect(october).toMatchObject({ status: 'final', totalUsd: '2.35' });
    // Answered: the reminder is gone from what needs attention.
    expect(((await get(served, 'status')).attention as Json[]).map((a) => a.kind)).not.toContain('reminder_month_final');
    await expectNoCliWords(pop);
    await pop.close();
  });

  it('a cap at 91 % opens that cap, filled in, and a new cap is saved', async () => {
    await go(page, '#/');
    const item = page.locator('.attention-item', { hasText: 'OpenAI is at 91%' });
    await item.getByRole('link', { name: 'Open the cap' }).click();
    await page.waitForURL(/#\/budgets\?provider=openai&action=cap/);
    const caps = page.getByRole('form', { name: 'Add a provider cap' });
    await expect.poll(() => caps.getByLabel('Provider').inputValue()).toBe('openai');
    const amount = caps.getByLabel('Monthly cap (USD)');
    expect(await amount.inputValue()).toBe('10.00');
    await page.locator('#caps tr.row-focus', { hasText: 'OpenAI' }).waitFor();
    await amount.fill('12.00');
    await shoot(page, `action-cap-${tag}`, caps);
    await caps.getByRole('button', { name: 'Set cap' }).click();
    await page.locator('#caps tr', { hasText: '$12.00' }).waitFor();
    expect((await get(served, 'budgetShow')).caps).toEqual([expect.objectContaining({ provider: 'openai', capUsd: '12.00' })]);
  });

  it('the unpriced warning opens the price of its model; the price is set, then removed', async () => {
    await go(page, '#/');
    await page.locator('.attention-item', { hasText: 'no known price' }).getByRole('link', { name: 'Set a price' }).click();
    await page.waitForURL(/#\/prices\?provider=deepseek&action=price/);
    const form = page.getByRole('form', { name: 'Set a price' });
    await expect.poll(() => form.getByLabel('Model').inputValue()).toBe('deepseek-mystery');
    expect(await form.getByLabel('Provider').inputValue()).toBe('deepseek');
    await form.getByLabel('Input (USD / 1M)').fill('0.50');
    await form.getByLabel('Output (USD / 1M)').fill('2');
    await shoot(page, `action-price-${tag}`, form);
    await form.getByRole('button', { name: 'Save price' }).click();
    await form.locator('.note').first().waitFor();
    expect(await form.locator('.note').first().innerText()).toBe('deepseek-mystery now costs $0.50 in and $2.00 out per million tokens. 1 earlier usage row is now priced.');
    expect((await get(served, 'unpricedModels')).models).toEqual([]);
    const override = ((await get(served, 'prices')).entries as Json[]).find((e) => e.origin === 'override');
    expect(override).toMatchObject({ provider: 'deepseek', model: 'deepseek-mystery', perMillion: { input: '0.50', output: '2.00' } });
    // 4000 × $0.50/M + 900 × $2/M = $0.0038: the row now counts.
    expect((await get(served, 'history', { provider: 'deepseek' })).rows[0].costUsd).toBe('0.0038');

    // Asked first, with the focus on Keep (Enter twice keeps the price), and Keep hands it back.
    const focused = () => page.evaluate<string | null>('document.activeElement?.textContent ?? null');
    await page.getByRole('button', { name: 'Remove your price for deepseek-mystery' }).click();
    await expect.poll(focused).toBe('Keep');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Remove…');
    await page.getByRole('button', { name: 'Remove your price for deepseek-mystery' }).click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText('Removed your price for deepseek-mystery').waitFor();
    expect(((await get(served, 'prices')).entries as Json[]).filter((e) => e.origin === 'override')).toEqual([]);
    await expectNoCliWords(page);
  });

  it('a balance running low opens the top-up form, and the top-up is recorded', async () => {
    await go(page, '#/');
    await page.locator('.attention-item', { hasText: 'prepaid balance' }).getByRole('link', { name: 'Record a top-up' }).click();
    await page.waitForURL(/#\/readings\?provider=openrouter&action=topup/);
    const form = page.getByRole('form', { name: 'Record a top-up' });
    expect(await form.getByLabel('Provider').inputValue()).toBe('openrouter');
    await form.getByLabel('Added (USD)').fill('25');
    await form.getByLabel('Note').fill('card');
    await shoot(page, `action-topup-${tag}`, form);
    await form.getByRole('button', { name: 'Record top-up' }).click();
    await form.getByText('Recorded a top-up of $25.00 for OpenRouter; the balance is now $28.00.').waitFor();
    const r = await get(served, 'readings', { provider: 'openrouter' });
    expect(r.readings[0]).toMatchObject({ kind: 'topup', amountUsd: '25.00', note: 'card' });
    expect(r.balance.balanceUsd).toBe('28.00');
  });

  it("a manual provider's row opens the record form, and the usage is recorded", async () => {
    await go(page, '#/');
    await page.locator('.provider[data-provider="mistral"]').getByRole('link', { name: 'Mistral' }).click();
    await page.waitForURL(/#\/readings\?provider=mistral&action=record/);
    const form = page.getByRole('form', { name: 'Record usage by hand' });
    expect(await form.getByLabel('Provider').inputValue()).toBe('mistral');
    await form.getByRole('button', { name: 'Record usage' }).click();
    await form.getByText('Name the model, such as mistral-small-latest.').waitFor();
    await form.getByLabel('Model').fill('mistral-large-latest');
    await form.getByLabel('Cost (USD)').fill('0.42');
    await form.getByLabel('Project').fill('docs');
    await shoot(page, `action-record-${tag}`, form);
    await form.getByRole('button', { name: 'Record usage' }).click();
    await form.getByText('Recorded mistral-large-latest for Mistral on 2026-11-28: $0.42.').waitFor();
    const rows = (await get(served, 'history', { provider: 'mistral' })).rows as Json[];
    expect(rows[0]).toMatchObject({ model: 'mistral-large-latest', costUsd: '0.42', project: 'docs', source: 'manual', localDay: '2026-11-28' });
  });

  it('a subscription asks from when it counts, shows its effect before saving, and is purged with its fees', async () => {
    const before = await get(served, 'status');
    await go(page, '#/readings?action=subscription');
    const form = page.getByRole('form', { name: 'Add a subscription' });
    await form.getByLabel('Name').fill('ChatGPT Plus');
    await form.getByLabel('Monthly fee (USD)').fill('30');
    await form.getByLabel('Counts from').fill('2026-11-01');
    const preview = form.getByRole('status', { name: 'What saving it does' });
    await preview.getByText('Counting from 2026-11-01').waitFor();
    expect(await preview.locator('p').innerText()).toBe(
      'Counting from 2026-11-01, ChatGPT Plus adds $1.00 to today (putting it over its budget) and $28.00 to this month (putting it close to its budget).',
    );
    await shoot(page, `action-subscription-${tag}`, form);
    // Shown, not saved: the figures are as they were.
    const unchanged = await get(served, 'status');
    expect([unchanged.day.spentUsd, unchanged.month.spentUsd]).toEqual([before.day.spentUsd, before.month.spentUsd]);
    expect((await get(served, 'subscriptions')).subscriptions).toEqual([]);

    await form.getByRole('button', { name: 'Add subscription' }).click();
    await page.getByText('Added ChatGPT Plus: $30.00 a month from 2026-11-01').waitFor();
    const subs = (await get(served, 'subscriptions')).subscriptions as Json[];
    expect(subs).toEqual([expect.objectContaining({ name: 'ChatGPT Plus', monthlyUsd: '30.00', startedOn: '2026-11-01', provider: 'chatgpt-plus', active: true })]);
    const after = await get(served, 'status');
    expect(after.day.health).toBe('exceeded');

    await page.getByRole('button', { name: 'Delete ChatGPT Plus and every fee it added' }).click();
    await page.getByRole('button', { name: 'Delete with its fees' }).click();
    await page.getByText('Deleted ChatGPT Plus and every fee it had added.').waitFor();
    expect((await get(served, 'subscriptions')).subscriptions).toEqual([]);
    const purged = await get(served, 'status');
    expect([purged.day.spentUsd, purged.month.spentUsd]).toEqual([before.day.spentUsd, before.month.spentUsd]);
    await expectNoCliWords(page);
  });

  it('every provider row and attention item of the dashboard links to a view', async () => {
    await go(page, '#/');
    await page.locator('.provider').first().waitFor();
    const providers = await page.locator('.provider').count();
    expect(await page.locator('.provider a.provider-link').count()).toBe(providers);
    const items = await page.locator('.attention-item').count();
    expect(await page.locator('.attention-item a.fix-link').count()).toBe(items);
    await shoot(page, `action-dashboard-links-${tag}`);
    expect(errors).toEqual([]);
  });
});
