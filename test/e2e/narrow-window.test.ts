import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_WORDS, get, type Json, launchChromium, newEnv, openWindow, post, ROOT, serve, type Env, type Served, closeAll } from './serve';

// The UX audit of the window at 900×700 (dark), against a real `burnrate serve` in Chromium: each
// money form says what is wrong with its own field; the manual record form has the CLI's cache
// tokens and event id; the Coding agents view fits the window and imports from the usual folders;
// History and Subscriptions show money without scrolling sideways; History says when From comes
// after To; Month close can close without waiting for final figures, after saying whose.

const NOW = '2026-11-20T18:00:00Z'; // the agents fixture's responses are of 2026-11-20
const WIDTH = 900;

let env: Env;
let served: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let logs: string;
const errors: string[] = [];

async function open(hash: string, formName?: string): Promise<Locator> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  if (!formName) return page.locator('body');
  const form = page.getByRole('form', { name: formName, exact: true });
  await form.waitFor();
  return form;
}

/** The error shown at a field after saving with a bad value in it. */
async function errorAt(form: Locator, label: string, bad: string, save: string): Promise<string> {
  await form.getByLabel(label, { exact: true }).fill(bad);
  await form.getByRole('button', { name: save, exact: true }).click();
  const error = form.locator('.field.field-invalid .field-error');
  await error.waitFor();
  return error.innerText();
}

/** The right edge of an element, in CSS pixels of the viewport. */
async function rightEdge(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not laid out');
  return box.x + box.width;
}

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, 'Europe/Berlin');
  const home = env.BURNRATE_HOME;
  // Claude Code's logs in its usual folder (~/.claude of the served HOME): over HTTP no other folder is read.
  logs = path.join(home, 'user', '.claude');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'agents', 'claude'), logs, { recursive: true });
  served = await serve(Object.assign(env, { HOME: path.join(home, 'user'), XDG_CONFIG_HOME: path.join(home, 'user', '.config'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: path.join(home, 'user', '.codex') }));
  await post(served, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.40', at: '2026-10-05T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '2.10', at: '2026-10-28T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '1.35', at: '2026-11-10T09:00:00Z' });
  await post(served, 'providerSet', { provider: 'openrouter', mode: 'balance' });
  await post(served, 'readingAdd', { provider: 'openrouter', amount: '25.00', at: '2026-11-01T09:00:00Z' });
  await post(served, 'providerSet', { provider: 'mistral', mode: 'manual' });
  await post(served, 'record', {
    provider: 'openai',
    model: 'gpt-4o-mini-2024-07-18',
    inputTokens: 123_456,
    outputTokens: 45_678,
    cachedInputTokens: 12_345,
    at: '2026-11-19T10:00:00Z',
    id: 'wide-1',
    project: 'a-project-with-a-long-name',
  });
  await post(served, 'subscriptionAdd', { name: 'GitHub Copilot Business', monthly: '19.00', day: 1, since: '2026-11-01' });
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'dark', width: WIDTH, height: 700, errors }));
});

afterAll(() => closeAll({ ctx, browser, served, env }));

describe('each money form says what is wrong with its own field', () => {
  it('a top-up, a cost, a monthly fee and a price, each negative', async () => {
    const topup = await open('#/readings?provider=openrouter&action=topup', 'Record a top-up');
    expect(await errorAt(topup, 'Added (USD)', '-5', 'Record top-up')).toBe('A top-up is a positive amount in USD, like 20 or 20.50.');
    const record = await open('#/readings?provider=mistral&action=record', 'Record usage by hand');
    await record.getByLabel('Model', { exact: true }).fill('mistral-small-latest');
    expect(await errorAt(record, 'Cost (USD)', '-0.10', 'Record usage')).toBe('A cost is a positive amount in USD, like 0.42.');
    const subscription = await open('#/readings?action=subscription', 'Add a subscription');
    await subscription.getByLabel('Name', { exact: true }).fill('Team Seats');
    expect(await errorAt(subscription, 'Monthly fee (USD)', '-20', 'Add subscription')).toBe('A monthly fee is a positive amount in USD, like 20 or 20.50.');
    const price = await open('#/prices?provider=openai&action=price', 'Set a price');
    await price.getByLabel('Model', { exact: true }).fill('gpt-odd');
    await price.getByLabel('Input (USD / 1M)', { exact: true }).fill('1.00');
    expect(await errorAt(price, 'Output (USD / 1M)', '-1', 'Save price')).toBe('A price is a positive amount in USD per million tokens, like 1.25.');
    // No reading wording anywhere but in the reading form.
    expect(await page.locator('body').innerText()).not.toMatch(/A reading is never negative/);
  });

  it('no price placeholder passes for a real price', async () => {
    const price = await open('#/prices?provider=openai&action=price', 'Set a price');
    const placeholders = await price.locator('input[inputmode="decimal"]').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('placeholder') ?? ''));
    expect(placeholders.length).toBeGreaterThan(1);
    expect(placeholders.filter((p) => /\d/.test(p))).toEqual([]);
  });
});

describe("the Prices view's look-up, as `prices show MODEL` shows it", () => {
  it("a catalogue model's prices per million tokens, source and as-of; a tiered model's tiers", async () => {
    const form = await open('#/prices', 'Look up a price');
    await form.getByLabel('Model name', { exact: true }).fill('gpt-4o-mini');
    await form.getByRole('button', { name: 'Look up', exact: true }).click();
    const result = page.getByTestId('price-lookup-result');
    await result.getByText(/exact match/).waitFor();
    const rows = await result.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['Input', '$0.15'],
      ['Output', '$0.60'],
      ['Cached input', '$0.075'],
      ['Cache write', 'as input'],
    ]);
    expect(await result.innerText()).toMatch(/From LiteLLM .*, as of 2026-07-18\./);
    await form.getByLabel('Model name', { exact: true }).fill('claude-sonnet-4-5');
    await form.getByRole('button', { name: 'Look up', exact: true }).click();
    await result.getByRole('columnheader', { name: 'Prompts over 200,000 tokens' }).waitFor();
  });

  it('says when your own price replaces the bundled one, and when a model has no price', async () => {
    await post(served, 'priceSet', { provider: 'openai', model: 'gpt-4o-mini', input: '0.20', output: '0.80' });
    await page.reload();
    const form = await open('#/prices', 'Look up a price');
    await form.getByLabel('Model name', { exact: true }).fill('gpt-4o-mini');
    await form.getByRole('button', { name: 'Look up', exact: true }).click();
    await page.getByText('Your own price applies; it replaces the bundled $0.15 in / $0.60 out per million tokens.').waitFor();
    await post(served, 'priceRemove', { model: 'gpt-4o-mini' });
    await form.getByLabel('Model name', { exact: true }).fill('mystery-model-9');
    await form.getByRole('button', { name: 'Look up', exact: true }).click();
    await page.getByText('Burnrate has no price for mystery-model-9: its usage stays unpriced until you set a price for it below.').waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
  });
});

describe('usage recorded by hand, as `record` takes it', () => {
  it('cache tokens must be whole numbers, said at their field', async () => {
    const form = await open('#/readings?provider=openai&action=record', 'Record usage by hand');
    await form.getByLabel('Model', { exact: true }).fill('gpt-4o');
    await form.getByLabel('Cost (USD)', { exact: true }).fill('');
    await form.getByLabel('Input tokens', { exact: true }).fill('1000');
    expect(await errorAt(form, 'Cache write tokens', '3.5', 'Record usage')).toBe('Tokens are whole numbers, such as 1200.');
  });

  it('cached input tokens, cache write tokens and an id land in the ledger; the same id again counts once', async () => {
    const form = await open('#/readings?provider=openai&action=record', 'Record usage by hand');
    await form.getByLabel('Provider', { exact: true }).selectOption('openai');
    await form.getByLabel('Model', { exact: true }).fill('gpt-4o');
    await form.getByLabel('Input tokens', { exact: true }).fill('1000');
    await form.getByLabel('Output tokens', { exact: true }).fill('200');
    await form.getByLabel('Cached input tokens', { exact: true }).fill('500');
    await form.getByLabel('Cache write tokens', { exact: true }).fill('300');
    await form.getByLabel('Event ID (optional)', { exact: true }).fill('hand-1');
    await form.getByRole('button', { name: 'Record usage', exact: true }).click();
    await form.locator('.note-ok').waitFor();
    const rows = (await get(served, 'history', { provider: 'openai', model: 'gpt-4o' })).rows as Json[];
    const row = rows.find((r) => r.externalId.endsWith('hand-1'));
    expect(row).toMatchObject({ model: 'gpt-4o', inputTokens: 1000, outputTokens: 200, cachedInputTokens: 500, cacheWriteTokens: 300 });
    // The same id again: one row still.
    await form.getByLabel('Input tokens', { exact: true }).fill('1000');
    await form.getByLabel('Event ID (optional)', { exact: true }).fill('hand-1');
    await form.getByRole('button', { name: 'Record usage', exact: true }).click();
    await form.locator('.note-ok').waitFor();
    const again = (await get(served, 'history', { provider: 'openai', model: 'gpt-4o' })).rows as Json[];
    expect(again.filter((r) => r.externalId.endsWith('hand-1'))).toHaveLength(1);
  });
});

describe('the Coding agents view at 900 px', () => {
  it('imports Claude Code from its usual folders; over HTTP it offers no folder of this machine to read', async () => {
    const form = await open('#/agents', 'Import agent logs');
    expect(await form.getByLabel('Folder (optional)', { exact: true }).count()).toBe(0);
    await form.getByLabel('Agent', { exact: true }).selectOption('claude-code');
    await form.getByRole('button', { name: 'Import now', exact: true }).click();
    await page.getByText(/Claude Code: \d+ responses? added/).waitFor();
    const claude = (await get(served, 'agentsList')).agents.find((a: Json) => a.agent === 'claude-code') as Json;
    expect(claude.rows).toBeGreaterThan(0);
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
  });

  it('its model-family table fits the window: no sideways page, no name a letter per line', async () => {
    await page.getByLabel('How haiku is billed').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(WIDTH);
    for (const family of ['haiku', 'opus', 'sonnet']) expect(await rightEdge(page.getByLabel(`How ${family} is billed`))).toBeLessThanOrEqual(WIDTH);
    // A model name's cell is wide enough for a word: "claude" sits on one line.
    const models = page.locator('td.agent-models').first();
    const lineHeight = await page.evaluate<number>(`parseFloat(getComputedStyle(document.querySelector('td.agent-models')).lineHeight) || 16`);
    const height = (await models.boundingBox())!.height;
    expect(height).toBeLessThan(lineHeight * 4);
  });
});

describe('History and Subscriptions at 900 px: money without scrolling sideways', () => {
  it("History's Cost column is inside the window", async () => {
    await open('#/history');
    // The usage rows' Cost (History's spend summary above them has one too).
    const cost = page.locator('.history-rows').getByRole('columnheader', { name: 'Cost' });
    await cost.waitFor();
    await page.getByRole('row', { name: /gpt-4o-mini-2024-07-18/ }).waitFor();
    expect(await rightEdge(cost)).toBeLessThanOrEqual(WIDTH);
    const cell = page.getByRole('row', { name: /gpt-4o-mini-2024-07-18/ }).locator('td').nth(3);
    expect(await cell.innerText()).toMatch(/^\$/);
    expect(await rightEdge(cell)).toBeLessThanOrEqual(WIDTH);
  });

  it('History with From after To says to swap them, at From', async () => {
    const form = await open('#/history', 'Filter usage rows');
    await form.getByLabel('From', { exact: true }).fill('2026-11-20');
    await form.getByLabel('To', { exact: true }).fill('2026-11-01');
    await form.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect.poll(() => form.locator('.field.field-invalid').allInnerTexts()).toEqual([expect.stringContaining('The first day comes after the last one: swap them.')]);
    expect(await page.getByText('No rows match these filters').count()).toBe(0);
    await form.getByLabel('From', { exact: true }).fill('2026-10-01');
    expect(await form.locator('.field.field-invalid').count()).toBe(0);
  });

  it("the Subscriptions table's buttons stay inside the card", async () => {
    await open('#/readings?action=subscription', 'Add a subscription');
    const remove = page.getByRole('button', { name: 'Delete GitHub Copilot Business and every fee it added' });
    await remove.waitFor();
    expect(await rightEdge(remove)).toBeLessThanOrEqual(WIDTH);
    const wrap = page.locator('#subscriptions .table-wrap');
    expect(await wrap.evaluate((w) => w.scrollWidth <= w.clientWidth)).toBe(true);
  });
});

describe('Month close', () => {
  const october = async () => ((await get(served, 'monthStatus')).months as Json[]).find((m) => m.month === '2026-10')!;

  it('a close waiting for Groq says so by name, in the ledger\'s zone; then closes without waiting once confirmed', async () => {
    await open('#/close');
    const row = page.getByRole('row', { name: /October 2026/ }).first();
    await row.getByRole('button', { name: 'Close month' }).click();
    await expect.poll(async () => (await october()).state).toBe('waiting');
    const waiting = (await october()).lastError as string;
    // The deadline in Berlin's time (the ledger's zone), the provider by its name.
    expect(waiting).toMatch(/^Waiting for the final October 2026 figure of Groq until \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Berlin\)\.$/);
    await page.getByText(waiting, { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Close without waiting…' }).click();
    const confirm = page.getByRole('group', { name: 'Close October 2026 without waiting' });
    expect(await confirm.innerText()).toMatch(/without waiting for the final figures of Groq\?/);
    await confirm.getByRole('button', { name: 'Close without waiting', exact: true }).click();
    await expect.poll(async () => (await october()).state).toBe('closed');
    const finals = ((await october()).steps as Json[]).find((s) => s.step === 'finals')!;
    expect(finals.detail).toMatchObject({ missing: ['groq'], wentOnWithout: true });
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
  });

  it('a channel whose test fails shows the failure in the error style', async () => {
    await post(served, 'channelAdd', { kind: 'email', url: 'smtp://127.0.0.1:9', to: 'me@example.com', alerts: 'none', reports: true });
    await page.reload();
    await page.getByRole('button', { name: 'Test', exact: true }).first().click();
    const failure = page.locator('.note-error', { hasText: 'did not take the test message' });
    await failure.waitFor();
    expect(await page.locator('.note-ok', { hasText: 'did not take the test message' }).count()).toBe(0);
  });

  it('no page error along the way', () => {
    // The refusals the walk asks for (a model without a price) are the only failed requests.
    expect(errors.filter((e) => !/status of (400 \(Bad Request\)|404 \(Not Found\))/.test(e))).toEqual([]);
  });
});
