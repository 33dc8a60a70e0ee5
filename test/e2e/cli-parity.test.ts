import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, CLI_WORDS, get, launchChromium, newEnv, openWindow, serve, shoot, type Env, type Json, type Served, closeAll } from './serve';

// What `reconcile --from D --to D` and the `prices` list do, done in the window of a real
// `burnrate serve` (UX audit s8, item 2): a chosen range reaches the run, a reversed one is refused
// at From before anything runs, and the whole catalogue is listed with the prices the CLI prints.

const NOW = '2026-11-20T18:00:00Z';

let env: Env;
let served: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, 'Europe/Berlin');
  served = await serve(env);
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 900, errors }));
});

afterAll(() => closeAll({ ctx, browser, served, env }));

async function openForm(hash: string, name: string): Promise<Locator> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  const form = page.getByRole('form', { name, exact: true });
  await form.waitFor();
  return form;
}

describe('Reconcile over a chosen range, as `reconcile --from D --to D`', () => {
  it('starts at the last 30 complete days, the range a run takes without one', async () => {
    const form = await openForm('#/reconcile', 'Reconcile a range');
    const a = await get(served, 'accuracy');
    await expect.poll(() => form.getByLabel('From', { exact: true }).inputValue()).toBe(a.last30.from);
    expect(await form.getByLabel('To', { exact: true }).inputValue()).toBe(a.last30.to);
  });

  it('refuses a reversed range at From, keeps both days, and runs nothing', async () => {
    const form = await openForm('#/reconcile', 'Reconcile a range');
    await form.getByLabel('From', { exact: true }).fill('2026-10-20');
    await form.getByLabel('To', { exact: true }).fill('2026-10-05');
    await form.getByRole('button', { name: 'Reconcile now', exact: true }).click();
    const from = form.getByLabel('From', { exact: true });
    await expect.poll(() => from.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('.field-error').innerText()).toBe('The first day comes after the last one: swap them.');
    expect(await from.inputValue()).toBe('2026-10-20');
    expect(await form.getByLabel('To', { exact: true }).inputValue()).toBe('2026-10-05');
    expect((await get(served, 'accuracy')).lastRun).toBeNull();
  });

  it('runs the range chosen, and says which', async () => {
    const form = await openForm('#/reconcile', 'Reconcile a range');
    await form.getByLabel('From', { exact: true }).fill('2026-10-01');
    await form.getByLabel('To', { exact: true }).fill('2026-10-15');
    await form.getByRole('button', { name: 'Reconcile now', exact: true }).click();
    await page.getByTestId('reconcile-result').getByText('from 2026-10-01 to 2026-10-15', { exact: false }).waitFor();
    const run = (await get(served, 'accuracy')).lastRun as Json;
    expect([run.from, run.to]).toEqual(['2026-10-01', '2026-10-15']);
    await shoot(page, 'reconcile-range');
  });
});

describe('The price catalogue, as `prices` lists it', () => {
  const rowsOf = (table: Locator) => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
  const catalogue = () => page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Price catalogue' }) });

  it('lists every entry, with the prices per million tokens the CLI prints', async () => {
    await openForm('#/prices', 'Filter the price catalogue');
    const listed = JSON.parse(cli(env, 'prices', '--json')) as Json;
    const card = catalogue();
    // The CLI's cells: the figure as the catalogue has it after a dollar sign; a dash where that kind of token is billed as input.
    const usd = (v: string | null) => (v === null ? '—' : `$${v}`);
    const expected = (listed.entries as Json[]).map((e) => [e.model, usd(e.perMillion.input), usd(e.perMillion.output), usd(e.perMillion.cachedInput), usd(e.perMillion.cacheWrite)]);
    expect(expected.length).toBeGreaterThan(50);
    await expect.poll(async () => (await rowsOf(card.locator('table'))).map((r) => r.slice(1, 6))).toEqual(expected);
    const mini = (await rowsOf(card.locator('table'))).find((r) => r[1] === 'gpt-4o-mini')!;
    expect(mini.slice(0, 6)).toEqual(['OpenAI', 'gpt-4o-mini', '$0.15', '$0.60', '$0.075', '—']);
    expect(await card.innerText()).toContain(`Bundled prices as of ${listed.bundledAsOf}`);
  });

  it('narrows by provider, and by any part of a provider or model name', async () => {
    const form = await openForm('#/prices', 'Filter the price catalogue');
    const card = catalogue();
    const listed = (JSON.parse(cli(env, 'prices', '--provider', 'deepseek', '--json')) as Json).entries as Json[];
    await form.getByLabel('Provider', { exact: true }).selectOption('deepseek');
    await expect.poll(async () => (await rowsOf(card.locator('table'))).map((r) => r[1])).toEqual(listed.map((e) => e.model));
    expect(listed.length).toBeGreaterThan(0);
    // DeepSeek's peak hours, as the list flags them.
    expect((await rowsOf(card.locator('table'))).some((r) => r[6]?.includes('peak and off-peak'))).toBe(true);
    await form.getByLabel('Provider', { exact: true }).selectOption('');
    await form.getByLabel('Provider or model contains', { exact: true }).fill('4O-MINI');
    const all = (JSON.parse(cli(env, 'prices', '--json')) as Json).entries as Json[];
    const named = all.filter((e) => [e.provider, e.model, ...e.aliases].some((n: string) => n.includes('4o-mini'))).map((e) => e.model);
    expect(named).toContain('gpt-4o-mini');
    await expect.poll(async () => (await rowsOf(card.locator('table'))).map((r) => r[1])).toEqual(named);
    expect(await card.getByTestId('price-catalogue-count').innerText()).toMatch(new RegExp(`^${named.length} of ${all.length} prices`));
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'prices-catalogue-filtered');
    await form.getByLabel('Provider or model contains', { exact: true }).fill('no-such-model-zz');
    await card.getByText('No price matches').waitFor();
    expect(await card.innerText()).not.toMatch(CLI_WORDS);
    expect(errors).toEqual([]);
  });
});
