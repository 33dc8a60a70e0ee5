import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_WORDS, get, type Json, launchChromium, newEnv, openWindow, post, ROOT, serve, type Served, shoot } from './serve';

// Issue 16 in the window: the Coding agents view of a real `burnrate serve` in Chromium asks once
// how Claude Code is billed, then sets one model family apart (a Max plan for sonnet and opus, an
// API key for haiku); each choice is checked through the HTTP API and the day's spend.

const NOW = '2026-11-20T18:00:00Z'; // the fixture's responses are of 2026-11-20
let browser: Browser;
let served: Served;
let page: Page;
let home: string;
const errors: string[] = [];

const claude = async () => (await get(served, 'agentsList')).agents.find((a: Json) => a.agent === 'claude-code') as Json;

beforeAll(async () => {
  assertBuilt();
  const env = newEnv(NOW, 'UTC');
  home = env.BURNRATE_HOME;
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'agents', 'claude'), path.join(home, 'user', '.claude'), { recursive: true });
  // The agents' roots come from HOME (and XDG_CONFIG_HOME, CLAUDE_CONFIG_DIR): all inside the test's folder.
  served = await serve(Object.assign(env, { HOME: path.join(home, 'user'), XDG_CONFIG_HOME: path.join(home, 'user', '.config'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: path.join(home, 'user', '.codex') }));
  await post(served, 'agentsImport', { agent: 'claude-code' });
  browser = await launchChromium();
  ({ page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 900, hash: '#/agents', errors }));
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('the Coding agents view', () => {
  it('asks once how Claude Code is billed; "subscription" leaves its value out of the day’s spend', async () => {
    expect((await get(served, 'agentsList')).askBilling).toEqual(['claude-code']);
    expect((await get(served, 'status')).day.spentUsd).toBe('0.07802');
    const ask = page.getByRole('group', { name: 'How is Claude Code billed?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'On a subscription (value only)' }).click();
    await ask.waitFor({ state: 'detached' });
    expect((await get(served, 'agentsList')).askBilling).toEqual([]);
    expect((await claude()).billing).toBe('subscription');
    expect((await get(served, 'status')).day.spentUsd).toBe('0.00');
  });

  it('sets haiku apart on an API key: its response counts as spend, the other families stay value only', async () => {
    const haiku = page.getByLabel('How haiku is billed');
    expect(await haiku.inputValue()).toBe('inherit');
    await haiku.selectOption('api');
    await page.getByText('haiku is billed with an API key: its cost is spend.').waitFor();
    const c = await claude();
    expect(c.families.map((f: Json) => [f.family, f.billing, f.effective])).toEqual([
      ['haiku', 'api', 'api'],
      ['opus', null, 'subscription'],
      ['sonnet', null, 'subscription'],
    ]);
    expect((await get(served, 'status')).day.spentUsd).toBe('0.0011');
    expect(await page.getByLabel('How sonnet is billed').inputValue()).toBe('inherit');
    // The opus response is of a model the catalogue does not know: unpriced, never $0.
    expect(await page.getByRole('row', { name: /opus/ }).locator('td').nth(3).innerText()).toBe('unpriced (not spend)');
    expect(await page.locator('body').innerText()).not.toMatch(CLI_WORDS);
    await page.evaluate(`document.querySelectorAll('.toasts').forEach((t) => t.style.setProperty('visibility', 'hidden'))`);
    await shoot(page, 'agents-families-light', true);
  });

  it('sets haiku back to "as Claude Code": nothing of Claude Code counts again', async () => {
    await page.getByLabel('How haiku is billed').selectOption('inherit');
    await page.getByText('haiku is billed as Claude Code again.').waitFor();
    expect((await claude()).families.every((f: Json) => f.billing === null)).toBe(true);
    expect((await get(served, 'status')).day.spentUsd).toBe('0.00');
    expect(errors).toEqual([]);
  });
});
