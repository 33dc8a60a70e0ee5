import fs from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, launchChromium, newEnv, openWindow, post, serve, type Env, type Served } from './serve';

// Issue 15, "one field error at a time": every form of the window, driven in Chromium against a
// real `burnrate serve`. Filled with several bad values and saved, a form shows ONE error, at the
// first wrong field (its control focused and marked invalid), and keeps everything typed; editing
// that field clears its error; saving again shows the next one. A refusal from the core and a
// field error never show together, and editing clears the refusal. Light at 1280×800, dark at the
// popover's 360×560.

const NOW = '2026-11-28T18:00:00Z';
const TZ = 'Europe/Berlin';

async function seed(served: Served): Promise<void> {
  await post(served, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.80', at: '2026-11-20T09:00:00Z' });
  await post(served, 'providerSet', { provider: 'openrouter', mode: 'balance' });
  await post(served, 'readingAdd', { provider: 'openrouter', amount: '30.00', at: '2026-11-01T09:00:00Z' });
  await post(served, 'providerSet', { provider: 'mistral', mode: 'manual' });
  await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: '1.10', at: '2026-11-20T10:00:00Z', id: 'openai-1' });
  await post(served, 'budgetSet', { daily: '1.00', monthly: '100.00' });
}

interface Step {
  label: string;
  bad: string;
  good: string;
}

/** The labels of the fields the form marks wrong right now. */
async function shownErrors(form: Locator): Promise<{ label: string; error: string }[]> {
  return form.locator('.field.field-invalid').evaluateAll((fields) =>
    fields.map((f) => ({ label: f.querySelector('label')?.textContent ?? '', error: f.querySelector('.field-error')?.textContent ?? '' })),
  );
}

async function focusedLabel(page: Page): Promise<string | null> {
  return page.evaluate<string | null>(`(() => {
    const el = document.activeElement;
    return el && el.id ? (document.querySelector('label[for="' + CSS.escape(el.id) + '"]')?.textContent ?? null) : null;
  })()`);
}

/**
 * Fill every step's bad value, save, and walk the errors one by one: each save shows the next
 * wrong field's error alone, focused; the typed values stay; an edit clears the error.
 */
async function walkErrors(page: Page, form: Locator, save: string, steps: Step[]): Promise<void> {
  for (const s of steps) await form.getByLabel(s.label, { exact: true }).fill(s.bad);
  for (const [i, s] of steps.entries()) {
    await form.getByRole('button', { name: save, exact: true }).click();
    await expect.poll(() => shownErrors(form)).toHaveLength(1);
    const [shown] = await shownErrors(form);
    expect(shown!.label).toBe(s.label);
    expect(shown!.error).toMatch(/^[A-Z].*\.$/); // a sentence that says what to do
    expect(await form.getByLabel(s.label, { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => focusedLabel(page)).toBe(s.label);
    // Nothing typed was lost, the wrong values included.
    for (const later of steps.slice(i)) expect(await form.getByLabel(later.label, { exact: true }).inputValue()).toBe(later.bad);
    for (const fixed of steps.slice(0, i)) expect(await form.getByLabel(fixed.label, { exact: true }).inputValue()).toBe(fixed.good);
    await form.getByLabel(s.label, { exact: true }).fill(s.good);
    expect(await shownErrors(form)).toEqual([]);
  }
  // No refusal note stands beside a field error at any point.
  expect(await form.locator('.note-error').count()).toBe(0);
}

/** A refusal from the core shown once, at the field it is about (focused), not as a note under the form. */
async function expectRefusalAt(page: Page, form: Locator, label: string, sentence: RegExp): Promise<void> {
  await expect.poll(() => shownErrors(form)).toEqual([{ label, error: expect.stringMatching(sentence) }]);
  expect(await form.locator('.note-error').count()).toBe(0);
  await expect.poll(() => focusedLabel(page)).toBe(label);
}

async function open(page: Page, hash: string, formName: string): Promise<Locator> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  const form = page.getByRole('form', { name: formName, exact: true });
  await form.waitFor();
  return form;
}

let browser: Browser;

beforeAll(async () => {
  assertBuilt();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each([
  { scheme: 'light', width: 1280, height: 800 },
  { scheme: 'dark', width: 360, height: 560 },
] as const)('one field error at a time in every form ($scheme, $width×$height)', ({ scheme, width, height }) => {
  let env: Env;
  let served: Served;
  let ctx: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    env = newEnv(NOW, TZ);
    served = await serve(env);
    await seed(served);
    ({ ctx, page } = await openWindow(browser, served, { scheme, width, height, errors: pageErrors }));
  });

  afterAll(async () => {
    await ctx?.close();
    await served?.stop();
    if (env) fs.rmSync(env.BURNRATE_HOME, { recursive: true, force: true });
  });

  it('the reading form: a bad figure, then a refusal from the core at the figure; neither clears it and an edit clears each', async () => {
    const form = await open(page, '#/readings?provider=groq', 'Enter a reading');
    await form.getByLabel('Provider').selectOption('groq');
    await walkErrors(page, form, 'Save reading', [{ label: 'Month to date (USD)', bad: '1.2.3', good: '0.10' }]);
    // 0.10 is below the 0.80 read on the 20th: the core refuses it, and the window says so once, at the figure.
    await form.getByRole('button', { name: 'Save reading', exact: true }).click();
    await expectRefusalAt(page, form, 'Month to date (USD)', /lower than \$0\.80/);
    expect(await form.getByLabel('Month to date (USD)').inputValue()).toBe('0.10');
    // The fix the refusal offers stays one click away.
    expect(await form.getByRole('button', { name: 'Correct the latest reading' }).count()).toBe(1);
    await form.getByLabel('Month to date (USD)').fill('0.90');
    expect(await shownErrors(form)).toEqual([]);
    expect(await form.locator('.note-error').count()).toBe(0);
  });

  it("a past month's final figure; a second one for the same month is refused at Month", async () => {
    const form = await open(page, '#/readings?provider=groq&action=final&month=2026-10', "Enter a month's final figure");
    await walkErrors(page, form, 'Save final figure', [{ label: 'Final total (USD)', bad: '2.3x', good: '2.35' }]);
    await form.getByRole('button', { name: 'Save final figure', exact: true }).click();
    await form.locator('.note-ok').waitFor();
    await form.getByLabel('Final total (USD)', { exact: true }).fill('2.40');
    await form.getByRole('button', { name: 'Save final figure', exact: true }).click();
    await expectRefusalAt(page, form, 'Month', /October 2026 already has a final figure/);
    expect(await form.getByLabel('Final total (USD)', { exact: true }).inputValue()).toBe('2.40');
  });

  it('a top-up', async () => {
    const form = await open(page, '#/readings?provider=openrouter&action=topup', 'Record a top-up');
    await walkErrors(page, form, 'Record top-up', [{ label: 'Added (USD)', bad: '0', good: '20.00' }]);
  });

  it('usage recorded by hand: model, cost, then each token count at its own field', async () => {
    const form = await open(page, '#/readings?provider=mistral&action=record', 'Record usage by hand');
    await walkErrors(page, form, 'Record usage', [
      { label: 'Model', bad: ' ', good: 'mistral-small-latest' },
      { label: 'Cost (USD)', bad: 'ten', good: '0.10' },
      { label: 'Input tokens', bad: '1.5', good: '1200' },
      { label: 'Output tokens', bad: 'many', good: '300' },
    ]);
    // A model Burnrate has no price for, given by its tokens alone: the core asks for the cost, at Cost.
    await form.getByLabel('Model', { exact: true }).fill('mystery-model-9');
    await form.getByLabel('Cost (USD)', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Record usage', exact: true }).click();
    await expectRefusalAt(page, form, 'Cost (USD)', /no price for model "mystery-model-9"/);
    expect(await form.getByLabel('Input tokens', { exact: true }).inputValue()).toBe('1200');
  });

  it('a subscription', async () => {
    const form = await open(page, '#/readings?action=subscription', 'Add a subscription');
    await walkErrors(page, form, 'Add subscription', [
      { label: 'Name', bad: ' ', good: 'Team Seats' },
      { label: 'Monthly fee (USD)', bad: '20,0,0', good: '20.00' },
      { label: 'Charged on day', bad: '40', good: '5' },
    ]);
    // The provider is picked by name (no slug to type, so none to get wrong).
    const picks = await form.getByLabel('Provider (optional)', { exact: true }).locator('option').allTextContents();
    expect(picks).toEqual(expect.arrayContaining(['Its own (by its name)', 'OpenAI', 'Google Gemini']));
    expect(picks).not.toContain('openai');
    await form.getByRole('button', { name: 'Add subscription', exact: true }).click();
    await form.locator('.note-ok').waitFor();
    // The same name again: the preview already refuses it, at Name, and the save waits.
    await form.getByLabel('Name', { exact: true }).fill('team seats');
    await form.getByLabel('Monthly fee (USD)', { exact: true }).fill('20.00');
    // Said as a fact, not as an attempt: nothing was tried yet.
    await expect.poll(() => shownErrors(form)).toEqual([{ label: 'Name', error: expect.stringMatching(/^“[^”]+” is already tracked as subscription #\d+: to change it, end it in the Subscriptions list first\.$/) }]);
    expect(await form.locator('.note-error').count()).toBe(0);
    expect(await form.getByRole('button', { name: 'Add subscription', exact: true }).isDisabled()).toBe(true);
    await form.getByLabel('Name', { exact: true }).fill('Team Seats EU');
    await expect.poll(() => shownErrors(form)).toEqual([]);
    // A name no provider name can be made of: refused at Provider, where a name the list lacks is typed.
    await form.getByLabel('Name', { exact: true }).fill('通义千问');
    await expect.poll(() => shownErrors(form)).toEqual([{ label: 'Provider (optional)', error: 'No provider name can be made from “通义千问”: pick its provider, or “Another provider…” and type one.' }]);
    await form.getByLabel('Provider (optional)', { exact: true }).selectOption({ label: 'Another provider…' });
    await form.getByLabel('Provider name', { exact: true }).fill('qwen');
    await expect.poll(() => shownErrors(form)).toEqual([]);
    await form.getByRole('button', { name: 'Add subscription', exact: true }).click();
    await form.getByText(/^Added 通义千问: /).waitFor();
    expect(await form.getByLabel('Provider name', { exact: true }).count()).toBe(0);
  });

  it('a price', async () => {
    const form = await open(page, '#/prices?provider=openai&action=price', 'Set a price');
    await walkErrors(page, form, 'Save price', [
      { label: 'Model', bad: ' ', good: 'gpt-odd' },
      { label: 'Input (USD / 1M)', bad: 'cheap', good: '0.59' },
      { label: 'Output (USD / 1M)', bad: '-1', good: '0.79' },
    ]);
  });

  it('the budgets, a cap and an emergency override', async () => {
    const budgets = await open(page, '#/budgets', 'Budgets');
    await walkErrors(page, budgets, 'Save budgets', [
      { label: 'Daily budget (USD)', bad: 'two', good: '1.00' },
      { label: 'Monthly budget (USD)', bad: '1e3', good: '100.00' },
      { label: 'Emergency reserve (%)', bad: '120', good: '20' },
    ]);
    const caps = page.getByRole('form', { name: 'Add a provider cap' });
    await walkErrors(page, caps, 'Set cap', [{ label: 'Monthly cap (USD)', bad: 'ten', good: '10.00' }]);
    const override = page.getByRole('form', { name: 'Override the budgets' });
    await walkErrors(page, override, 'Override', [{ label: 'Lift by (USD)', bad: '0', good: '5.00' }]);
  });

  it('the settings and a notification channel', async () => {
    const settings = await open(page, '#/settings', 'General settings');
    await walkErrors(page, settings, 'Save settings', [
      { label: 'Sync every (minutes)', bad: '2', good: '60' },
      { label: 'Flag drift above (%)', bad: '200', good: '5' },
    ]);
    const channel = page.getByRole('form', { name: 'Add a notification channel' });
    await walkErrors(page, channel, 'Add channel', [{ label: 'Webhook URL', bad: 'hooks.slack.com/x', good: 'https://hooks.slack.com/services/T/B/C' }]);
  });

  it('joining a team and an export range', async () => {
    const join = await open(page, '#/team', 'Join a team');
    await walkErrors(page, join, 'Join', [{ label: 'Database URL', bad: 'mysql://db.example.com/burnrate', good: 'postgres://member@127.0.0.1:9/burnrate' }]);
    const exp = await open(page, '#/export', 'Export');
    await exp.getByLabel('To', { exact: true }).fill('2026-11-01');
    await walkErrors(page, exp, 'Export CSV', [{ label: 'From', bad: '2026-11-20', good: '2026-11-01' }]);
  });

  it('the email channel of Month close: no browser bubbles, one error at a time, and the refusal at its field', async () => {
    const form = await open(page, '#/close', 'Add an email channel');
    expect(await form.locator('[required]').count()).toBe(0);
    await walkErrors(page, form, 'Add email channel', [
      { label: 'SMTP server', bad: 'mail.example.com', good: 'smtp://127.0.0.1:2525' },
      { label: 'To', bad: 'me at example.com', good: 'me@example.com' },
      { label: 'From', bad: 'burnrate', good: '' },
    ]);
    // A password inside the URL: the core refuses it (the keychain keeps passwords), at SMTP server.
    await form.getByLabel('SMTP server', { exact: true }).fill('smtp://me:secret@127.0.0.1:2525');
    await form.getByLabel('Password', { exact: true }).fill('secret');
    await form.getByRole('button', { name: 'Add email channel', exact: true }).click();
    await expectRefusalAt(page, form, 'SMTP server', /password separately/);
    await form.getByLabel('SMTP server', { exact: true }).fill('smtp://me@127.0.0.1:2525');
    expect(await shownErrors(form)).toEqual([]);
  });

  it('no page error along the way', () => {
    // The refusals the walk asks for (from the core: 400 and 409) are the only failed requests.
    expect(pageErrors.filter((e) => !/status of (400 \(Bad Request\)|409 \(Conflict\))/.test(e))).toEqual([]);
  });
});
