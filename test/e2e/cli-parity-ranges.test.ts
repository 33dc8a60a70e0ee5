import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src/app/open';
import { fixedClock } from '../../src/time';
import { parseUsd } from '../../src/money';
import { anthropicBilled, estimate, NOW, replay } from '../unit/reconcile/replay';
import { assertBuilt, cli, closeAll, get, launchChromium, newEnv, openWindow, serve, shoot, type Env, type Json, type Served } from './serve';

// What `summary --from --to --by` and `accuracy --provider P --worst N` print, picked in the window
// of a real `burnrate serve` (UX audit: CLI-only ranges, groupings and filters): the figures shown
// are the CLI's for the same inputs. And the Prices form and the Subscriptions card offer the same
// providers. The window is 900 px wide in the dark theme, the narrowest it is made for.

let env: Env;
let served: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, 'UTC');
  // Billed days with estimates beside them (as a sync and the record command write them), then more
  // usage by hand over two months, in projects, so every grouping has several groups.
  const core = openCore({ home: env.BURNRATE_HOME, env: { ...env }, clock: fixedClock(NOW), timeZone: 'UTC' });
  replay(core);
  // A proxied request of a model without a price (unpriced: in no amount), and a coding agent's usage.
  const extra = core.usage.write([
    { source: 'proxy', provider: 'groq', externalId: 'proxy-unpriced-1', model: 'llama-made-up-model', inputTokens: 1000, outputTokens: 10, occurredAt: new Date('2026-03-05T08:00:00Z') },
    { source: 'agent_log', provider: 'openai', externalId: 'codex-1', model: 'gpt-4o-mini', costNano: parseUsd('0.84'), inputTokens: 90_000, outputTokens: 2_000, occurredAt: new Date('2026-03-04T10:00:00Z'), metadata: { agent: 'codex' } },
  ]);
  core.spendChanged('test-extra', extra.touched);
  // Six more billed Anthropic days with an estimate each, drifting by different shares: more worst
  // days than the CLI's default five, so the count chosen shows.
  const days = ['2026-02-20', '2026-02-22', '2026-02-24', '2026-02-26', '2026-02-28', '2026-03-02'];
  const billed = core.billed.write(days.map((d, i) => anthropicBilled(d, 'claude-sonnet-4', String(300 + 40 * i))));
  const estimated = core.usage.write(days.map((d, i) => estimate('manual', 'anthropic', `${d}T12:00:00Z`, `${3 + i * 0.25}`, `m-extra-${d}`)));
  core.spendChanged('test-days', [...billed.touched, ...estimated.touched]);
  core.close();
  const record = (provider: string, model: string, at: string, extra: string[]) => cli(env, 'record', '--provider', provider, '--model', model, '--at', at, ...extra, '--json');
  record('openai', 'gpt-4o-mini', '2026-02-11T09:00:00Z', ['--input-tokens', '120000', '--output-tokens', '4000', '--project', 'billing-bot']);
  record('openai', 'gpt-4o-mini', '2026-03-02T09:00:00Z', ['--input-tokens', '800000', '--output-tokens', '52000', '--project', 'billing-bot']);
  record('mistral', 'mistral-small-latest', '2026-03-04T12:00:00Z', ['--cost', '0.37', '--project', 'search']);
  record('xai', 'grok-3', '2026-02-20T12:00:00Z', ['--cost', '1.25', '--project', 'search']);
  cli(env, 'subscription', 'add', 'Cursor Pro', '--monthly', '20', '--day', '3', '--since', '2026-02-03', '--json');
  cli(env, 'reconcile', '--json');
  served = await serve(env);
  browser = await launchChromium();
  ({ ctx, page } = await openWindow(browser, served, { scheme: 'dark', width: 900, height: 900, errors }));
});

afterAll(() => closeAll({ ctx, browser, served, env }));

async function go(hash: string, ready: Locator): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await ready.waitFor();
}

/** A money figure's exact amount: its tooltip when the text shown is rounded, else the text (Money). */
const exact = (money: { getAttribute(name: string): string | null; textContent: string | null }) => (money.getAttribute('title') || money.textContent || '').trim();

describe('Spend summary in History, as `summary --from --to --by`', () => {
  const card = () => page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Spend summary', exact: true }) });
  const range = () => card().getByRole('form', { name: 'Summary range' });

  /** The rows shown: the group's key (its cell's title), exact cost, events, input and output tokens. */
  const shown = () =>
    card()
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = [...tr.querySelectorAll('td')];
          const at = cells.length - 6; // a model row starts with its provider
          const money = cells[at + 1]!.querySelector('span.num');
          // A dash is a group without tokens.
          const count = (td: (typeof cells)[number] | undefined) => Number((td?.textContent ?? '').replace(/,/g, '').replace('—', '0'));
          // A group of unpriced events only shows a word, not an amount; a mixed one adds "+ N unpriced" under it.
          const cost = money ? (money.getAttribute('title') || money.textContent || '').trim() : (cells[at + 1]!.textContent ?? '').trim();
          const unpriced = /\+ ([\d,]+) unpriced/.exec(cells[at + 1]!.textContent ?? '')?.[1];
          return [cells[at]!.querySelector('[title]')?.getAttribute('title') ?? '', cost + (unpriced ? ` + ${unpriced} unpriced` : ''), count(cells[at + 3]), count(cells[at + 4]), count(cells[at + 5])];
        }),
      );
  /** As `summary` prints a group's cost: "unpriced" when none of its events has a price. */
  const costShown = (g: Json) => (g.unpricedEvents > 0 && g.unpricedEvents === g.events ? 'Unpriced' : `$${g.costUsd}${g.unpricedEvents > 0 ? ` + ${g.unpricedEvents} unpriced` : ''}`);
  const expected = (s: Json) => (s.groups as Json[]).map((g) => [g.key, costShown(g), g.events, g.inputTokens, g.outputTokens]);
  const total = () => card().getByTestId('summary-total');

  it('starts at the CLI’s default range (this month to today) by provider, with the same figures', async () => {
    await go('#/history', range());
    const s = JSON.parse(cli(env, 'summary', '--json')) as Json;
    await expect.poll(() => range().getByLabel('From', { exact: true }).inputValue()).toBe(s.from);
    expect(await range().getByLabel('To', { exact: true }).inputValue()).toBe(s.to);
    expect(s.groups.length).toBeGreaterThan(3);
    await expect.poll(shown).toEqual(expected(s));
    expect(await total().locator('span.num').evaluate(exact)).toBe(`$${s.totalUsd}`);
    await shoot(page, 'history-summary');
  });

  it.each([
    ['2026-02-01', '2026-03-09', 'model', 'Model'],
    ['2026-02-10', '2026-03-06', 'project', 'Project'],
    ['2026-03-01', '2026-03-09', 'day', 'Day'],
    ['2026-02-15', '2026-03-08', 'agent', 'Agent'],
    ['2026-03-05', '2026-03-08', 'provider', 'Provider'],
  ])('from %s to %s by %s: the figures `summary` prints', async (from, to, by, button) => {
    await go('#/history', range());
    await range().getByLabel('From', { exact: true }).fill(from);
    await range().getByLabel('To', { exact: true }).fill(to);
    await range().getByRole('button', { name: 'Show', exact: true }).click();
    await card().getByRole('group', { name: 'Group by' }).getByRole('button', { name: button, exact: true }).click();
    const s = JSON.parse(cli(env, 'summary', '--from', from, '--to', to, '--by', by, '--json')) as Json;
    expect(s.groups.length).toBeGreaterThan(1);
    await expect.poll(shown).toEqual(expected(s));
    expect(await total().innerText()).toContain(`Total from ${from} to ${to}:`);
    expect(await total().locator('span.num').evaluate(exact)).toBe(`$${s.totalUsd}`);
    if (by === 'model') await shoot(page, 'history-summary-by-model');
  });

  it('shows last month in one click, the days in its fields', async () => {
    await go('#/history', range());
    await range().getByRole('group', { name: 'Range' }).getByRole('button', { name: 'Last month', exact: true }).click();
    await expect.poll(() => range().getByLabel('From', { exact: true }).inputValue()).toBe('2026-02-01');
    expect(await range().getByLabel('To', { exact: true }).inputValue()).toBe('2026-02-28');
    const s = JSON.parse(cli(env, 'summary', '--from', '2026-02-01', '--to', '2026-02-28', '--by', 'project', '--json')) as Json;
    await card().getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Project', exact: true }).click();
    await expect.poll(shown).toEqual(expected(s));
  });

  it('says how many events have no price, as the CLI does', async () => {
    await go('#/history', range());
    await range().getByLabel('From', { exact: true }).fill('2026-03-05');
    await range().getByLabel('To', { exact: true }).fill('2026-03-05');
    await range().getByRole('button', { name: 'Show', exact: true }).click();
    const s = JSON.parse(cli(env, 'summary', '--from', '2026-03-05', '--to', '2026-03-05', '--json')) as Json;
    expect(s.unpricedEvents).toBe(1);
    await expect.poll(() => total().innerText()).toContain('1 unpriced, not in the total');
    // The provider whose only event has no price reads so, never $0.00 (the CLI prints "unpriced").
    await card().getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Provider', exact: true }).click();
    const groq = (s.groups as Json[]).find((g) => g.key === 'groq');
    expect(groq).toMatchObject({ events: 1, unpricedEvents: 1 });
    await expect.poll(shown).toContainEqual(['groq', 'Unpriced', 1, 1000, 10]);
    expect(cli(env, 'summary', '--from', '2026-03-05', '--to', '2026-03-05')).toMatch(/groq\s+unpriced\s+1\s+1000\s+10/);
  });

  it('refuses a reversed range at From and keeps the figures shown', async () => {
    await go('#/history', range());
    await range().getByLabel('From', { exact: true }).fill('2026-03-09');
    await range().getByLabel('To', { exact: true }).fill('2026-03-01');
    await range().getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => range().getByLabel('From', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await range().locator('.field-error').innerText()).toBe('The first day comes after the last one: swap them.');
  });
});

describe('Accuracy in Reconcile, as `accuracy --provider P --worst N`', () => {
  const drift = () => page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Drift per provider', exact: true }) });
  const worst = () => page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Worst days', exact: true }) });
  const rowsOf = (card: Locator) => card.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.querySelector('span.num')?.getAttribute('title') || (td.textContent ?? '').trim())));
  /** A worst day as its row shows it: the day, then the exact billed and estimated figures. */
  const worstRow = (d: Json) => [d.billedUsd, d.estimatedUsd].map((v: string) => `$${v}`);

  it('lists one provider only, and as many worst days as chosen, with the CLI’s figures', async () => {
    await go('#/reconcile', drift().getByRole('table'));
    const all = JSON.parse(cli(env, 'accuracy', '--json')) as Json;
    expect(all.providers.map((p: Json) => p.provider)).toEqual(['anthropic', 'openai']);
    // The CLI's default count, of more days than that.
    expect(all.worstDays).toHaveLength(5);
    await expect.poll(async () => (await rowsOf(worst())).length).toBe(5);

    await drift().getByLabel('Provider').selectOption('anthropic');
    const one = JSON.parse(cli(env, 'accuracy', '--provider', 'anthropic', '--worst', '10', '--json')) as Json;
    await worst().getByLabel('Show').selectOption('10');
    await expect.poll(async () => (await rowsOf(drift().getByRole('table'))).map((r) => r[0])).toEqual(['Anthropic']);
    const p = one.providers[0] as Json;
    const [row] = await rowsOf(drift().getByRole('table'));
    // Billed and estimated of the last 7 and the last 30 days (the drift cell adds its share).
    expect([row![1], row![2], row![4], row![5]]).toEqual([p.last7, p.last7, p.last30, p.last30].map((d: Json, i) => `$${i % 2 === 0 ? d.billedUsd : d.estimatedUsd}`));
    await expect.poll(async () => (await rowsOf(worst())).map((r) => [r[1], r[2], r[3]])).toEqual(one.worstDays.map((d: Json) => ['Anthropic', ...worstRow(d)]));
    expect(one.worstDays.length).toBeGreaterThan(5);
    await shoot(page, 'reconcile-one-provider');
  });

  it('a provider with nothing billed says so, not "add a key"', async () => {
    await go('#/reconcile', drift().getByLabel('Provider'));
    await drift().getByLabel('Provider').selectOption('xai');
    const none = JSON.parse(cli(env, 'accuracy', '--provider', 'xai', '--json')) as Json;
    expect(none.providers).toEqual([]);
    await drift().getByText('No billed days of xAI to compare').waitFor();
  });
});

describe('One list of providers for Prices and Subscriptions', () => {
  const optionsOf = (select: Locator) => select.locator('option').evaluateAll((os) => os.map((o) => [o.getAttribute('value') ?? '', (o.textContent ?? '').trim()]));

  it('offers the same providers in both, the core’s list without a subscription’s own name', async () => {
    await go('#/prices', page.getByRole('form', { name: 'Set a price' }));
    const prices = page.getByRole('form', { name: 'Set a price' }).getByLabel('Provider', { exact: true });
    await expect.poll(async () => (await optionsOf(prices)).length).toBeGreaterThan(5);
    const priceOptions = await optionsOf(prices);

    await go('#/readings', page.getByRole('form', { name: 'Add a subscription' }));
    const subs = page.getByRole('form', { name: 'Add a subscription' }).getByLabel('Provider (optional)');
    await expect.poll(async () => (await optionsOf(subs)).length).toBeGreaterThan(5);
    const [own, ...listed] = await optionsOf(subs);
    expect(own).toEqual(['', 'Its own (by its name)']);
    // Last, a provider the list lacks, typed as `subscription add --provider` takes it.
    expect(listed.at(-1)).toEqual(['+another', 'Another provider…']);
    const subOptions = listed.slice(0, -1);
    expect(subOptions).toEqual(priceOptions);

    // The core's providers, by their names; "cursor-pro" (Cursor Pro's own name) is a fee, not a provider.
    const core = (await get(served, 'providers')).providers as Json[];
    expect(core.map((p) => p.provider)).toContain('cursor-pro');
    const offered = core.filter((p) => p.provider !== 'cursor-pro').map((p) => [p.provider, p.name]);
    expect([...subOptions].sort()).toEqual(offered.sort());
    expect(errors).toEqual([]);
  });
});
