import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, launchChromium, post, shoot, type Served } from '../serve';
import { HAVE_PG } from '../../helpers/team-pg';
import { serveWithTeamDatabase } from './served-team';

// The Team view of a real `burnrate serve` joined to a real PostgreSQL (BURNRATE_TEST_PG_URL):
// the team's month-end forecast is shown as the API computes it (the database's password: served-team.ts).

const NOW = '2026-03-20T15:00:00Z';
type Json = Record<string, any>;

describe.skipIf(!HAVE_PG)('the Team view', () => {
  let team: Awaited<ReturnType<typeof serveWithTeamDatabase>>;
  let served: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    team = await serveWithTeamDatabase(NOW);
    served = team.served;
    // Four weeks of spend, then a team budget the pace passes before the month ends.
    for (let day = 0; day < 28; day++) {
      const at = new Date(Date.UTC(2026, 1, 21 + day, 10)).toISOString();
      await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: (1 + (day % 7) / 10).toFixed(2), at, id: `d${day}` });
    }
    await post(served, 'teamJoin', { url: team.bareUrl, team: 'acme', member: 'ann' });
    await post(served, 'teamBudgetSet', { monthly: '30' });
    browser = await launchChromium();
    page = await (await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await team?.close();
  });

  it("shows the team's month-end forecast and the day the team budget is passed, as the API says", async () => {
    const res = await fetch(`${served.origin}/api/teamStatus`, { headers: { Authorization: `Bearer ${served.token}` } });
    expect(res.status).toBe(200);
    const status = (await res.json()) as Json;
    expect(status.month.runsOutOn).not.toBeNull();
    await page.evaluate(`location.hash = '#/team'`);
    const line = page.locator('[data-testid="team-forecast"]');
    await line.waitFor();
    const text = (await line.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`Forecast by month end: $${status.month.forecastUsd}`);
    expect(text).toContain(`a day, from the last ${status.month.forecastBasisDays} days`);
    expect(text).toContain(`the team budget is passed on ${status.month.runsOutOn}`);
    // The team's alerts lay out as the Alerts view's: the message is as wide as the card, not a narrow column.
    const message = page.locator('.alert-message').first();
    await message.waitFor();
    const [box, card] = [await message.boundingBox(), await line.boundingBox()];
    expect(box!.width).toBeGreaterThan(card!.width / 2);
    await shoot(page, 'team-forecast');
    expect(errors).toEqual([]);
  });
});
