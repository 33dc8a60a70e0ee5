import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, launchChromium, newEnv, post, serve, shoot, type Env, type Served } from '../serve';
import { freshDatabase, HAVE_PG } from '../../helpers/team-pg';

// The Team view of a real `burnrate serve` joined to a real PostgreSQL (BURNRATE_TEST_PG_URL):
// the team's month-end forecast is shown as the API computes it. The password reaches the server
// through BURNRATE_TEAM_POSTGRES_KEY (the headless way; the keychain way is test/keychain/team).

const NOW = '2026-03-20T15:00:00Z';
type Json = Record<string, any>;

describe.skipIf(!HAVE_PG)('the Team view', () => {
  let db: { url: string; drop: () => Promise<void> };
  let env: Env;
  let served: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    db = await freshDatabase();
    const url = new URL(db.url);
    const password = decodeURIComponent(url.password);
    url.password = '';
    env = newEnv(NOW, 'UTC');
    served = await serve({ ...env, BURNRATE_TEAM_POSTGRES_KEY: password } as Env);
    // Four weeks of spend, then a team budget the pace passes before the month ends.
    for (let day = 0; day < 28; day++) {
      const at = new Date(Date.UTC(2026, 1, 21 + day, 10)).toISOString();
      await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: (1 + (day % 7) / 10).toFixed(2), at, id: `d${day}` });
    }
    await post(served, 'teamJoin', { url: url.toString(), team: 'acme', member: 'ann' });
    await post(served, 'teamBudgetSet', { monthly: '30' });
    browser = await launchChromium();
    page = await (await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await db?.drop();
    if (env) fs.rmSync(env.BURNRATE_HOME, { recursive: true, force: true });
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
