import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, closeAll, get, launchChromium, newEnv, openWindow, post, serve, type Env, type Served } from './serve';

// Escape answers every inline confirmation of the window as its Keep does (UX audit: it did
// nothing), in Chromium against a real `burnrate serve`: the question goes, nothing is removed,
// restored, closed or sent (checked through the API), and the focus is back on the button that
// asked. Escape typed in a field is the field's: the question stays open and the field as typed.

const NOW = '2026-11-20T18:00:00Z';
/** What beforeAll opens, for closeAll. */
const opened: { env?: Env; served?: Served; browser?: Browser; ctx?: BrowserContext } = {};
let served: Served;
let page: Page;
const errors: string[] = [];

/** The focused control: its aria-label, else its text; "BODY" when the focus fell to the page. */
const focused = () =>
  page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    return el.getAttribute('aria-label') ?? el.textContent.trim();
  })()`);

async function open(hash: string, ready: Locator): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await ready.waitFor();
}

/** Asks with the keyboard (Enter on `ask`), checks the question took the focus, then presses Escape. */
async function askThenEscape(ask: Locator, answer: Locator, focusedAnswer: string): Promise<void> {
  await ask.focus();
  await page.keyboard.press('Enter');
  await answer.waitFor();
  await expect.poll(focused).toBe(focusedAnswer);
  await page.keyboard.press('Escape');
  await answer.waitFor({ state: 'detached' });
}

beforeAll(async () => {
  assertBuilt();
  opened.env = newEnv(NOW, 'UTC');
  served = opened.served = await serve(opened.env);
  // October waits for Groq's final figure: its close asks before closing without it.
  await post(served, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.40', at: '2026-10-05T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '2.10', at: '2026-10-28T09:00:00Z' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '1.25', at: '2026-11-10T09:00:00Z' });
  await post(served, 'subscriptionAdd', { name: 'ChatGPT Plus', monthly: '20.00', day: 1, since: '2026-11-01' });
  await post(served, 'priceSet', { provider: 'openai', model: 'house-model', input: '1.00', output: '2.00' });
  await post(served, 'channelAdd', { kind: 'ntfy', url: 'https://ntfy.sh/burnrate-escape' });
  await post(served, 'budgetSet', { daily: '5.00', monthly: '100.00' });
  await post(served, 'backupCreate', {});
  opened.browser = await launchChromium();
  const window = await openWindow(opened.browser, served, { scheme: 'light', width: 1280, height: 1000, errors });
  opened.ctx = window.ctx;
  page = window.page;
});

afterAll(() => closeAll(opened));

describe('Escape answers an inline confirmation as Keep does', () => {
  it("withdraws a backup's Restore… and a channel's Remove…: nothing restored or removed, the focus back on the button that asked", async () => {
    const backups = page.locator('section.card', { has: page.getByRole('heading', { name: 'Backups' }) });
    const restore = backups.getByRole('button', { name: /^Restore the backup taken / });
    await open('#/settings', restore);
    const before = (await get(served, 'backupList')).backups;
    expect(before).toHaveLength(1);
    const restoreLabel = (await restore.getAttribute('aria-label'))!;
    await askThenEscape(restore, backups.getByRole('button', { name: 'Replace the ledger' }), 'Keep it');
    await expect.poll(focused).toBe(restoreLabel);
    expect(await backups.getByText(/^Restoring .* replaces everything/).count()).toBe(0);
    // A restore backs up what the ledger holds first: the list would have grown, the subscription gone.
    expect((await get(served, 'backupList')).backups).toEqual(before);
    expect((await get(served, 'subscriptions')).subscriptions).toHaveLength(1);

    const channels = page.locator('section.card', { has: page.getByRole('heading', { name: 'Notification channels' }) });
    const remove = channels.getByRole('button', { name: /^Remove .*…$/ });
    const removeLabel = (await remove.getAttribute('aria-label'))!; // the URL as shown, redacted
    await askThenEscape(remove, channels.getByRole('button', { name: 'Remove channel' }), 'Keep');
    await expect.poll(focused).toBe(removeLabel);
    expect((await get(served, 'channels')).channels).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('leaves an Escape typed in a field to the field; on the page (after a click on empty space) it withdraws the question', async () => {
    const channels = page.locator('section.card', { has: page.getByRole('heading', { name: 'Notification channels' }) });
    const remove = channels.getByRole('button', { name: /^Remove .*…$/ });
    const removeLabel = (await remove.getAttribute('aria-label'))!;
    const yes = channels.getByRole('button', { name: 'Remove channel' });
    await remove.click();
    await yes.waitFor();
    const url = channels.getByLabel('Webhook URL');
    await url.fill('https://hooks.example/half-typed');
    await page.keyboard.press('Escape');
    // The question is still open, the field as typed and still focused.
    expect(await yes.isVisible()).toBe(true);
    expect(await url.inputValue()).toBe('https://hooks.example/half-typed');
    expect(await url.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // A click on the card's heading (nothing to focus there) leaves the focus on no control: the main region.
    await channels.getByRole('heading', { name: 'Notification channels' }).click();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('main');
    await page.keyboard.press('Escape');
    await yes.waitFor({ state: 'detached' });
    await expect.poll(focused).toBe(removeLabel);
    expect(await url.inputValue()).toBe('https://hooks.example/half-typed');
    expect((await get(served, 'channels')).channels).toHaveLength(1);
  });

  it("withdraws a reading's Delete… and a subscription's Delete…: both still there", async () => {
    const reading = page.getByRole('button', { name: 'Delete the reading of $1.25' });
    await open('#/readings?provider=groq', reading);
    await askThenEscape(reading, page.getByRole('button', { name: 'Delete', exact: true }), 'Keep');
    await expect.poll(focused).toBe('Delete the reading of $1.25');
    expect((await get(served, 'readings', { provider: 'groq' })).readings).toHaveLength(3);

    const sub = page.getByRole('button', { name: 'Delete ChatGPT Plus and every fee it added' });
    await sub.scrollIntoViewIfNeeded();
    await askThenEscape(sub, page.getByRole('button', { name: 'Delete with its fees' }), 'Keep');
    await expect.poll(focused).toBe('Delete ChatGPT Plus and every fee it added');
    expect((await get(served, 'subscriptions')).subscriptions).toEqual([expect.objectContaining({ name: 'ChatGPT Plus', active: true })]);
    expect(errors).toEqual([]);
  });

  it('withdraws the removal of your own price', async () => {
    const ask = page.getByRole('button', { name: 'Remove your price for house-model' });
    await open('#/prices', ask);
    await askThenEscape(ask, page.getByRole('button', { name: 'Remove', exact: true }), 'Keep');
    await expect.poll(focused).toBe('Remove your price for house-model');
    const overrides = ((await get(served, 'prices')).entries as { origin: string; model: string }[]).filter((e) => e.origin === 'override');
    expect(overrides.map((e) => e.model)).toEqual(['house-model']);
  });

  it('withdraws an override above the largest budget: nothing sent, the focus back on Override', async () => {
    const form = page.getByRole('form', { name: 'Override the budgets' });
    await open('#/budgets', form);
    await form.getByLabel('Lift by (USD)').fill('5000');
    const override = form.getByRole('button', { name: 'Override' });
    const ask = form.getByRole('alert', { name: 'Confirm the override' });
    await askThenEscape(override, ask, 'Change');
    await expect.poll(focused).toBe('Override');
    expect(await form.getByLabel('Lift by (USD)').inputValue()).toBe('5000');
    expect((await get(served, 'overrides')).overrides).toEqual([]);
  });

  it('withdraws "Close without waiting": the month stays unclosed', async () => {
    const row = page.locator('tr', { has: page.locator('td', { hasText: 'October 2026' }) }).first();
    const ask = row.getByRole('button', { name: 'Close without waiting…' });
    await open('#/close', ask);
    const october = async () => ((await get(served, 'monthStatus')).months as { month: string; state: string }[]).find((m) => m.month === '2026-10');
    const was = await october();
    await askThenEscape(ask, page.getByRole('group', { name: 'Close October 2026 without waiting' }), 'Close without waiting');
    await expect.poll(focused).toBe('Close without waiting…');
    expect(await october()).toEqual(was);
    expect(was?.state).not.toBe('closed');
    expect(errors).toEqual([]);
  });
});
