import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, CLI_WORDS, type Env, get, launchChromium, newEnv, openWindow, post, serve, shoot, type Served, closeAll } from './serve';

// What the CLI does for backups, billing time zones and reminders, done from the window against a
// real `burnrate serve`; and failures that look like failures (the error style), notices that look
// like notices (neither success nor failure).

const NOW = '2026-11-28T18:00:00Z';
const TZ = 'Europe/Berlin';

let env: Env;
let served: Served;
let browser: Browser;
let ctx: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, TZ);
  served = await serve(env);
  // Groq's last reading is 18 days old: a reminder to check its console is due.
  await post(served, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '0.80', at: '2026-11-10T09:00:00Z' });
  browser = await launchChromium();
});

afterAll(() => closeAll({ browser, served, env }));

afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
  expect(pageErrors).toEqual([]);
});

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function open(hash: string): Promise<Page> {
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 800, hash, errors: pageErrors }));
  return page;
}

describe('the window does what the CLI does', () => {
  it('backs the ledger up now: says where the file went and its size, and lists it (newest first, in the ledger zone)', async () => {
    await open('#/settings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Backups' }) });
    await card.getByText('No backups yet').waitFor();
    await card.getByRole('button', { name: 'Back up now' }).click();
    const note = card.locator('.note-ok');
    await expect.poll(() => note.textContent()).toMatch(/^Backed up the ledger to .*backups[\\/]ledger-2026-11-28T180000Z\.sqlite \(\d+(\.\d)? (KB|MB)\)\.$/);
    // Taken at 18:00 UTC: 19:00 in the ledger's zone (Berlin).
    await expect.poll(() => card.locator('tbody tr').allTextContents()).toEqual([expect.stringMatching(/^2026-11-28 19:00ledger-2026-11-28T180000Z\.sqlite\d+(\.\d)? (KB|MB)Save a copy…Restore…$/)]);
    const listed = await get(served, 'backupList');
    expect(listed.backups).toEqual([expect.objectContaining({ at: '2026-11-28T18:00:00.000Z' })]);
    // "Save a copy…" is `backup --to FILE`: a download the browser saves where the user says, byte for byte the backup.
    const [saved] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: /^Save a copy of the backup taken/ }).click()]);
    expect(saved.suggestedFilename()).toBe('ledger-2026-11-28T180000Z.sqlite');
    const file = (listed.backups as { file: string }[])[0]!.file;
    expect(fs.readFileSync((await saved.path())!).equals(fs.readFileSync(file))).toBe(true);
    expect(await card.textContent()).not.toMatch(CLI_WORDS);
    await shoot(page, 'settings-backups');
  });

  it('restores a backup: asked first, every figure follows, what the ledger held heads the list, and restoring that one undoes it', async () => {
    const taken = (await post(served, 'backupCreate', {})) as { file: string };
    const name = taken.file.split(/[\\/]/).pop()!;
    const spentAt = async () => ((await get(served, 'status')).month as { spentUsd: string }).spentUsd;
    const atBackup = await spentAt();
    await post(served, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '7.00', at: '2026-11-28T12:00:00Z', id: 'after-backup' });
    const withRecord = await spentAt();
    expect(withRecord).not.toBe(atBackup);

    await open('#/settings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Backups' }) });
    const row = (file: string) => card.locator('tbody tr', { hasText: file });
    await row(name).getByRole('button', { name: /^Restore the backup taken/ }).click();
    // Nothing happens before the user confirms, and the window says what a restore replaces.
    await expect.poll(() => card.locator('.note-info').textContent()).toMatch(new RegExp(`^Restoring ${esc(name)} replaces everything the ledger holds`));
    expect(await spentAt()).toBe(withRecord);
    await row(name).getByRole('button', { name: 'Replace the ledger' }).click();
    // What the ledger held is backed up first, under a name of its own (never over another backup).
    const undo = 'ledger-2026-11-28T180000Z-before-restore.sqlite';
    await expect.poll(() => card.locator('.note-ok').textContent()).toMatch(new RegExp(`^Restored the ledger from ${esc(name)}\\. What it held before is kept as ${esc(undo)}`));
    expect(await spentAt()).toBe(atBackup);
    await expect.poll(() => card.locator('tbody tr td.mono').allTextContents()).toContain(undo);
    expect(await card.textContent()).not.toMatch(CLI_WORDS);
    await shoot(page, 'settings-backup-restored');

    // Undo: the backup taken just before holds the record again.
    await row(undo).getByRole('button', { name: /^Restore the backup taken/ }).click();
    await row(undo).getByRole('button', { name: 'Replace the ledger' }).click();
    await expect.poll(() => card.locator('.note-ok').textContent()).toMatch(new RegExp(`^Restored the ledger from ${esc(undo)}\\.`));
    expect(await spentAt()).toBe(withRecord);
  });

  it('backups taken in one minute show their seconds and have distinct names; the focus stays after Back up now and after a restore', async () => {
    // The restores above each backed the ledger up first: with the clock fixed, all in the minute of 19:00 (Berlin).
    await open('#/settings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Backups' }) });
    await expect.poll(async () => (await card.locator('tbody tr td.nowrap').allTextContents()).length).toBeGreaterThan(1);
    const takenCells = await card.locator('tbody tr td.nowrap').allTextContents();
    for (const cell of takenCells) expect(cell).toMatch(/^2026-11-28 19:00:\d\d$/);
    const names = async (role: 'button' | 'link', prefix: string) =>
      Promise.all((await card.getByRole(role, { name: new RegExp(`^${prefix}`) }).all()).map((b) => b.getAttribute('aria-label')));
    for (const [role, prefix] of [['button', 'Restore the backup taken'], ['link', 'Save a copy of the backup taken']] as const) {
      const named = await names(role, prefix);
      expect(named).toHaveLength(takenCells.length);
      expect(new Set(named).size).toBe(named.length);
      expect(named[0]).toMatch(/^.+ taken 2026-11-28 19:00:\d\d \(ledger-2026-11-28T\d{6}Z(-before-restore)?\.sqlite\)$/);
    }

    // The focused control as named to a screen reader ("BODY": the focus fell to the page).
    const focused = () => page.evaluate<string>(`document.activeElement === document.body ? 'BODY' : (document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent)`);
    const backUp = card.getByRole('button', { name: 'Back up now' });
    await backUp.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => card.locator('.note-ok').textContent()).toMatch(/^Backed up the ledger to /);
    await expect.poll(focused).toBe('Back up now');

    // Restore… puts the focus on Keep it (the safe answer); once restored it is on that backup's Restore… again.
    const oldest = (await card.locator('tbody tr td.mono').allTextContents()).at(-1)!;
    const restore = card.locator('tbody tr', { hasText: oldest }).getByRole('button', { name: /^Restore the backup taken/ });
    await restore.focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Keep it');
    await page.keyboard.press('Shift+Tab');
    await expect.poll(focused).toBe('Replace the ledger');
    await page.keyboard.press('Enter');
    await expect.poll(() => card.locator('.note-ok').textContent()).toMatch(new RegExp(`^Restored the ledger from ${oldest.replace(/\./g, '\\.')}\\.`));
    await expect.poll(focused).toMatch(new RegExp(`^Restore the backup taken .*\\(${oldest.replace(/\./g, '\\.')}\\)$`));
  });

  it('adds an email channel from Settings, beside the webhooks, and lists it with its address', async () => {
    await open('#/settings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Notification channels' }) });
    await card.getByText('Add an email channel (SMTP)').click();
    const form = card.getByRole('form', { name: 'Add an email channel' });
    await form.getByLabel('SMTP server').fill('smtp://127.0.0.1:2525');
    await form.getByLabel('To').fill('ann@example.com');
    await form.getByRole('button', { name: 'Add email channel' }).click();
    await expect.poll(() => form.locator('.note-ok').textContent()).toMatch(/^Added email channel #\d+ to ann@example\.com\.$/);
    await expect.poll(() => card.locator('.key-row').allTextContents()).toContainEqual(expect.stringContaining('smtp://127.0.0.1:2525 → ann@example.com'));
    const listed = (await get(served, 'channels')).channels as { id: number; kind: string; emailTo?: string }[];
    const added = listed.find((c) => c.kind === 'email' && c.emailTo === 'ann@example.com');
    expect(added).toBeDefined();
    expect(await card.textContent()).not.toMatch(CLI_WORDS);
    await post(served, 'channelRemove', { id: added!.id }); // the channel tests below start without it
  });

  it("sets a provider's billing month time zone: confirmed, shown after a reload, and in the CLI's providers", async () => {
    await open('#/accounts');
    const form = page.getByRole('form', { name: 'Billing month time zone' });
    await form.getByLabel('Provider', { exact: true }).selectOption('groq');
    const zone = form.getByLabel("Billing month's time zone", { exact: true });
    expect(await zone.inputValue()).toBe('UTC');
    await zone.selectOption('Asia/Tokyo');
    await form.getByRole('button', { name: 'Save time zone' }).click();
    await expect.poll(() => form.locator('.note-ok').textContent()).toBe("Groq's billing month now runs on Asia/Tokyo time.");

    await page.reload();
    await page.getByRole('form', { name: 'Billing month time zone' }).waitFor();
    const again = page.getByRole('form', { name: 'Billing month time zone' });
    await again.getByLabel('Provider', { exact: true }).selectOption('groq');
    await expect.poll(() => again.getByLabel("Billing month's time zone", { exact: true }).inputValue()).toBe('Asia/Tokyo');
    expect(await again.textContent()).toContain('Now Asia/Tokyo.');
    const providers = JSON.parse(cli(env, 'providers', '--json')) as { providers: { provider: string; billingTimeZone: string }[] };
    expect(providers.providers.find((p) => p.provider === 'groq')?.billingTimeZone).toBe('Asia/Tokyo');
    await shoot(page, 'accounts-billing-zone');
  });

  it('lists a snoozed reminder with when its snooze ends, un-snoozes it, and keeps a dismissed one in view', async () => {
    await open('#/readings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Reminders' }) });
    const item = card.getByRole('list', { name: 'Reminders' }).locator('li').first();
    await expect.poll(() => item.getAttribute('data-state')).toBe('due');
    await item.getByLabel('Snooze for').selectOption('72');
    await item.getByRole('button', { name: 'Snooze' }).click();
    await expect.poll(() => item.getAttribute('data-state')).toBe('snoozed');
    // Three days from 18:00 UTC, in Berlin.
    expect(await item.textContent()).toContain('Snoozed until 2026-12-01 19:00');
    expect((await get(served, 'reminders')).reminders).toEqual([expect.objectContaining({ state: 'snoozed', snoozedUntil: '2026-12-01T18:00:00.000Z' })]);
    await shoot(page, 'readings-reminder-snoozed');

    await item.getByRole('button', { name: 'Un-snooze' }).click();
    await expect.poll(() => item.getAttribute('data-state')).toBe('due');
    expect((await get(served, 'reminders')).reminders).toEqual([expect.objectContaining({ state: 'due', snoozedUntil: null })]);

    await item.getByRole('button', { name: 'Dismiss' }).click();
    const dismissed = card.getByRole('list', { name: 'Dismissed reminders', includeHidden: true }).locator('li');
    await expect.poll(() => dismissed.count()).toBe(1);
    expect(await dismissed.first().getAttribute('data-state')).toBe('dismissed');
    expect(await card.textContent()).toContain('Nothing to check right now.');
  });

  it('chooses what a notification channel receives, and removes it after a confirmation', async () => {
    await post(served, 'channelAdd', { kind: 'ntfy', url: 'https://ntfy.sh/burnrate-e2e-settings' });
    await open('#/settings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Notification channels' }) });
    const row = card.locator('li', { hasText: 'ntfy' });
    const receives = row.getByRole('group', { name: /receives$/ });
    await receives.getByLabel('Alerts').selectOption('critical');
    await expect.poll(async () => (await get(served, 'channels')).channels[0]?.receives.alerts).toBe('critical');
    await receives.getByLabel('Monthly reports').uncheck();
    await expect.poll(async () => (await get(served, 'channels')).channels[0]?.receives.reports).toBe(false);
    // What shows is what is stored, after a reload too.
    await page.reload();
    await page.locator('section.card', { has: page.getByRole('heading', { name: 'Notification channels' }) }).locator('li', { hasText: 'ntfy' }).waitFor();
    expect(await receives.getByLabel('Alerts').inputValue()).toBe('critical');
    expect(await receives.getByLabel('Monthly reports').isChecked()).toBe(false);
    await row.scrollIntoViewIfNeeded();
    await shoot(page, 'settings-channel-receives');

    await row.getByRole('button', { name: /^Remove .*…$/ }).click();
    await row.getByRole('button', { name: 'Keep' }).click();
    expect((await get(served, 'channels')).channels).toHaveLength(1);
    await row.getByRole('button', { name: /^Remove .*…$/ }).click();
    await row.getByRole('button', { name: 'Remove channel' }).click();
    await expect.poll(() => card.locator('.note-ok').textContent()).toMatch(/^Removed .+: nothing is sent there any more\.$/);
    expect((await get(served, 'channels')).channels).toEqual([]);
  });
});

describe('failures look like failures', () => {
  it("a channel's failed test is shown as an error, not in the success style", async () => {
    // A port nothing listens on: the test message cannot be delivered.
    await post(served, 'channelAdd', { kind: 'webhook', url: 'http://127.0.0.1:9/hook' });
    await open('#/settings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Notification channels' }) });
    await card.getByRole('button', { name: 'Send test' }).click();
    const failed = card.getByRole('alert').filter({ hasText: 'failed' });
    await failed.waitFor();
    expect(await failed.getAttribute('class')).toContain('note-error');
    expect(await failed.textContent()).toMatch(/^The test to .+ failed: .+\.$/);
    expect(await card.locator('.note-ok').count()).toBe(0);
    await shoot(page, 'settings-channel-test-failed');
  });

  it('"Sync now" with no key gives a notice, not a success', async () => {
    await open('#/settings');
    await page.getByRole('button', { name: 'Sync now' }).click();
    const toast = page.locator('.toasts .toast').first();
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/nothing to sync/i);
    expect(await toast.getAttribute('class')).toContain('toast-info');
  });
});
