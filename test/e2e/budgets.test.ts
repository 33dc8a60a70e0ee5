import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_WORDS, type Env, get, launchChromium, newEnv, openWindow, post, serve, type Served, shoot, closeAll } from './serve';

// Budgets & caps in the window of a real `burnrate serve` (UX audit s8, items 6, 7 and 14): a cap
// set or removed says so in one sentence with its figure, a removal is asked first, the focus never
// falls to the page after one, only the last card that spoke keeps its note, and the reserve's hint
// speaks of the budgets that are set.

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
  served = await serve(env);
  await post(served, 'budgetSet', { daily: '5.00', monthly: '150.00' });
  await post(served, 'budgetSet', { provider: 'openai', monthly: '10.00' });
  await post(served, 'budgetSet', { provider: 'anthropic', monthly: '20.00' });
  await post(served, 'budgetSet', { project: 'web', monthly: '3.50' });
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 900, hash: '#/budgets', errors }));
  await page.getByRole('form', { name: 'Add a provider cap' }).waitFor();
});

afterAll(() => closeAll({ ctx, browser, served, env }));

/** The focused control: its aria-label, else its placeholder, a button's text or its tag; "BODY" when the focus fell to the page. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'BODY';
  return el.getAttribute('aria-label') ?? el.getAttribute('placeholder') ?? (el.tagName === 'BUTTON' ? el.textContent.trim() : el.tagName);
})()`;
const focused = (): Promise<string> => page.evaluate(FOCUSED);

const capsCard = () => page.locator('#caps');
const budgetsCard = () => page.locator('section.card', { has: page.getByRole('form', { name: 'Budgets', exact: true }) });
const okNotes = (card: Locator) => card.locator('.note-ok').allTextContents();
const capRow = (provider: string) => capsCard().locator('tbody tr', { hasText: provider });

describe('provider and project caps say what they did', () => {
  it("a cap set through the window says so with its figure, and the Budgets card's older note goes", async () => {
    const budgets = page.getByRole('form', { name: 'Budgets', exact: true });
    await budgets.getByLabel('Daily budget (USD)').fill('7.50');
    await budgets.getByRole('button', { name: 'Save budgets' }).click();
    await expect.poll(() => okNotes(budgetsCard())).toEqual(['Saved: daily budget $7.50.']);

    const form = page.getByRole('form', { name: 'Add a provider cap' });
    await form.getByLabel('Provider').selectOption('deepseek');
    await form.getByLabel('Monthly cap (USD)').fill('12');
    await form.getByRole('button', { name: 'Set cap' }).click();
    await expect.poll(() => okNotes(capsCard())).toEqual(['Set the DeepSeek cap to $12.00 a month.']);
    expect((await get(served, 'budgetShow')).caps).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'deepseek', capUsd: '12.00' })]));
    // The old "Saved: …" no longer stands beside the cap as if it were about it.
    expect(await okNotes(budgetsCard())).toEqual([]);

    // Replacing a cap names the figure it had.
    await form.getByLabel('Provider').selectOption('openai');
    await form.getByLabel('Monthly cap (USD)').fill('12.50');
    await form.getByRole('button', { name: 'Set cap' }).click();
    await expect.poll(() => okNotes(capsCard())).toEqual(['Set the OpenAI cap to $12.50 a month (it was $10.00).']);
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
    expect(errors).toEqual([]);
  });

  it('Remove… asks first with the focus on Keep; Keep, or Escape, keeps the cap and hands the focus back', async () => {
    const ask = capRow('Anthropic').getByRole('button', { name: 'Remove the Anthropic cap…' });
    await ask.focus();
    await page.keyboard.press('Enter');
    await capRow('Anthropic').getByRole('button', { name: 'Remove cap' }).waitFor();
    await expect.poll(focused).toBe('Keep');
    await shoot(page, 'budgets-cap-remove-confirm');
    await page.keyboard.press('Enter');
    await ask.waitFor();
    await expect.poll(focused).toBe('Remove the Anthropic cap…');
    expect((await get(served, 'budgetShow')).caps.map((c: { provider: string }) => c.provider)).toContain('anthropic');

    // Escape answers as Keep does.
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Keep');
    await page.keyboard.press('Escape');
    await capRow('Anthropic').getByRole('button', { name: 'Remove cap' }).waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('Remove the Anthropic cap…');
    expect((await get(served, 'budgetShow')).caps.map((c: { provider: string }) => c.provider)).toContain('anthropic');
  });

  it('a cap removed from the keyboard says so, and the focus moves to the next row, then the row above, then the form', async () => {
    const order = async () => (await capsCard().locator('tbody tr td:first-child').allTextContents()) as string[];
    expect(await order()).toHaveLength(3);
    const removeByKeyboard = async (name: string) => {
      await capRow(name).getByRole('button', { name: `Remove the ${name} cap…` }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(focused).toBe('Keep');
      await page.keyboard.press('Shift+Tab');
      await expect.poll(focused).toBe('Remove cap');
      await page.keyboard.press('Enter');
      await capRow(name).waitFor({ state: 'detached' });
    };

    const [first, second, third] = await order();
    await removeByKeyboard(first!);
    await expect.poll(() => okNotes(capsCard())).toEqual([expect.stringMatching(new RegExp(`^Removed the ${first} cap of \\$[\\d.]+ a month\\.$`))]);
    await expect.poll(focused).toBe(`Remove the ${second} cap…`); // the row that took its place

    await removeByKeyboard(third!);
    await expect.poll(focused).toBe(`Remove the ${second} cap…`); // the last row went: the one above

    await removeByKeyboard(second!);
    await capsCard().getByText('No caps').waitFor();
    await expect.poll(focused).toBe('SELECT'); // no row left: the form's Provider
    expect(await capsCard().getByLabel('Provider', { exact: true }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect((await get(served, 'budgetShow')).caps).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a project cap removed says so, after a confirmation, and the focus goes to the form', async () => {
    const card = page.locator('#project-caps');
    await card.getByRole('button', { name: 'Remove the project "web" cap…' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Keep');
    expect((await get(served, 'budgetShow')).projectCaps).toHaveLength(1); // nothing removed before the answer
    await card.getByRole('button', { name: 'Remove cap' }).click();
    await expect.poll(() => okNotes(card)).toEqual(['Removed the project "web" cap of $3.50 a month.']);
    await card.getByText('No project caps').waitFor();
    await expect.poll(focused).toBe('web-app'); // the Project field (its placeholder)
    expect((await get(served, 'budgetShow')).projectCaps).toEqual([]);
    // The provider caps' note went when this card spoke.
    expect(await okNotes(capsCard())).toEqual([]);

    const form = page.getByRole('form', { name: 'Add a project cap' });
    await form.getByLabel('Project').fill('api');
    await form.getByLabel('Monthly cap (USD)').fill('8');
    await form.getByRole('button', { name: 'Set project cap' }).click();
    await expect.poll(() => okNotes(card)).toEqual(['Set the project "api" cap to $8.00 a month.']);
    expect(errors).toEqual([]);
  });
});

describe("the emergency reserve's hint", () => {
  const hint = () => page.getByRole('form', { name: 'Budgets', exact: true }).getByText(/^Held back from each budget/).textContent();

  it('speaks of the daily budget, else of the monthly one, else in general: never of the placeholder', async () => {
    const budgets = page.getByRole('form', { name: 'Budgets', exact: true });
    await expect.poll(hint).toBe('Held back from each budget: with $7.50 a day and 20%, $6.00 is spendable and $1.50 waits for emergencies.');

    await budgets.getByLabel('Daily budget (USD)').fill('');
    await budgets.getByRole('button', { name: 'Save budgets' }).click();
    await budgets.getByText('Saved: no daily budget.').waitFor();
    await expect.poll(hint).toBe('Held back from each budget: with $150.00 a month and 20%, $120.00 is spendable and $30.00 waits for emergencies.');

    await budgets.getByLabel('Monthly budget (USD)').fill('');
    await budgets.getByRole('button', { name: 'Save budgets' }).click();
    await budgets.getByText('Saved: no monthly budget.').waitFor();
    await expect.poll(hint).toBe('Held back from each budget you set: 20% of it waits for emergencies, the rest is spendable.');
    expect(await page.locator('body').innerText()).not.toContain('$2.00 a day');
    expect(errors).toEqual([]);
  });
});
