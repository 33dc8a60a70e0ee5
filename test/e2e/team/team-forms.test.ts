import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, get, launchChromium, openWindow, post, shoot, type Json, type Served } from '../serve';
import { admin, HAVE_PG } from '../../helpers/team-pg';
import { serveWithTeamDatabase } from './served-team';

// What `team join --org P=ORG`, `team budget --reserve-pct N` and `team budget --provider P
// --monthly USD` do, done in the Team view of a real `burnrate serve` joined to a real PostgreSQL
// (BURNRATE_TEST_PG_URL; UX audit s8, item 1). The URL is typed without its password, which the
// server has from its environment (served-team.ts).

const NOW = '2026-03-20T15:00:00Z';

describe.skipIf(!HAVE_PG)('the Team view does what the team commands do', () => {
  let team: Awaited<ReturnType<typeof serveWithTeamDatabase>>;
  let served: Served;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    team = await serveWithTeamDatabase(NOW);
    served = team.served;
    await post(served, 'record', { provider: 'anthropic', model: 'claude-sonnet-4-5', cost: '12.00', at: '2026-03-20T10:00:00Z', id: 'a1' });
    browser = await launchChromium();
    ({ ctx, page } = await openWindow(browser, served, { scheme: 'light', width: 1280, height: 900, hash: '#/team', errors }));
  });

  afterAll(async () => {
    await ctx?.close();
    await browser?.close();
    await team?.close();
  });

  const form = (name: string): Locator => page.getByRole('form', { name, exact: true });
  const fieldError = (f: Locator) => f.locator('.field.field-invalid').evaluateAll((els) => els.map((e) => [e.querySelector('label')?.textContent, e.querySelector('.field-error')?.textContent]));

  it("joins with the organisation a provider's bills belong to (--org openai=org-abc)", async () => {
    const join = form('Join a team');
    await join.waitFor();
    await join.getByLabel('Database URL', { exact: true }).fill(team.bareUrl);
    await join.getByLabel('Team', { exact: true }).fill('acme');
    await join.getByLabel('Your name in the team', { exact: true }).fill('ann');
    await join.getByRole('button', { name: 'Add an organisation', exact: true }).click();
    await join.getByLabel('Provider', { exact: true }).selectOption('openai');
    // Not an id: said at its field, before anything is sent; what was typed stays.
    await join.getByLabel('Organisation id', { exact: true }).fill('org abc');
    await join.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => fieldError(join)).toEqual([['Organisation id', "Enter the organisation id as the provider's console shows it, such as org-abc123."]]);
    expect((await get(served, 'teamMembership')).joined).toBe(false);
    expect(await join.getByLabel('Database URL', { exact: true }).inputValue()).toBe(team.bareUrl);
    await join.getByLabel('Organisation id', { exact: true }).fill('org-abc');
    await shoot(page, 'team-join-orgs');
    await join.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('heading', { name: 'Team acme · you are ann' }).waitFor();
    // The team database files this machine's OpenAI bills under that organisation.
    const rows = await admin((c) => c.query<{ provider: string; org_id: string }>('SELECT provider, org_id FROM machine_orgs ORDER BY provider'), team.db.url);
    expect(rows.rows.map((r) => [r.provider, r.org_id])).toEqual([['openai', 'org-abc']]);
  });

  it('sets the team reserve (--reserve-pct), and says first that it needs a budget to be held back from', async () => {
    const budgets = form('Team budgets');
    await budgets.waitFor();
    await budgets.getByLabel('Team reserve (%)', { exact: true }).fill('30');
    await budgets.getByRole('button', { name: 'Save team budgets', exact: true }).click();
    await expect.poll(() => fieldError(budgets)).toEqual([['Team reserve (%)', 'Set a daily or monthly team budget too: the reserve is held back from them.']]);
    await budgets.getByLabel('Monthly team budget (USD)', { exact: true }).fill('300');
    await budgets.getByRole('button', { name: 'Save team budgets', exact: true }).click();
    await budgets.getByText("Saved the team's budgets, with a reserve of 30%.").waitFor();
    const s = await get(served, 'teamStatus');
    expect([s.budgets.reservePct, s.month.budgetUsd, s.month.reserveUsd]).toEqual([30, '300.00', '90.00']);
  });

  it("sets and removes a provider's team cap (--provider P --monthly USD)", async () => {
    const caps = form('Set a team provider cap');
    await caps.getByLabel('Provider', { exact: true }).selectOption('anthropic');
    await caps.getByLabel('Monthly team cap (USD)', { exact: true }).fill('ten');
    await caps.getByRole('button', { name: 'Set team cap', exact: true }).click();
    await expect.poll(() => fieldError(caps)).toEqual([['Monthly team cap (USD)', 'Enter the monthly team cap in US dollars such as 20.00.']]);
    await caps.getByLabel('Monthly team cap (USD)', { exact: true }).fill('40');
    await caps.getByRole('button', { name: 'Set team cap', exact: true }).click();
    await caps.getByText("Anthropic: the team's cap is $40.00 a month.").waitFor();
    expect(((await get(served, 'teamStatus')) as Json).budgets.caps).toEqual([{ provider: 'anthropic', monthlyUsd: '40.00' }]);
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Team provider caps' }) });
    const row = card.locator('tbody tr').filter({ hasText: 'Anthropic' });
    expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/Anthropic \$12\.00 \$40\.00 On track/);
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'team-budgets-caps');
    await card.getByRole('button', { name: "Remove the team's cap for Anthropic", exact: true }).click();
    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await caps.getByText("Removed the team's cap for Anthropic.").waitFor();
    expect(((await get(served, 'teamStatus')) as Json).budgets.caps).toEqual([]);
    expect(errors).toEqual([]);
  });
});
