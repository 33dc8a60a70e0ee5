import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_ROUTES } from '../../renderer/src/routes';
import { assertBuilt, closeAll, launchChromium, newEnv, post, serve, type Env, type Served } from './serve';

// One date style per kind on every screen (renderer/src/format/time.ts; a UX audit found
// "2026-11-28", "Nov 28" and raw ISO instants side by side): a day is "2026-11-28", an instant
// "2026-11-28 19:05" in the ledger's zone, a month "November 2026". The ledger runs in Berlin and
// the browser in New York, so an instant read in the viewer's zone would show.

const NOW = '2026-11-28T18:00:00Z';
const opened: { env?: Env; served?: Served; browser?: Browser; ctx?: BrowserContext } = {};
let page: Page;
const errors: string[] = [];

/** Words of another style: a raw ISO instant, "Nov 28", "28/11" or "11/28/2026". */
const OTHER_STYLES = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b|\b\d{1,2}\/\d{1,2}(\/\d{2,4})?\b/;

async function open(hash: string): Promise<string> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator('main .card, main .empty').first().waitFor();
  // Every call of the view answered: nothing left loading.
  await expect.poll(() => page.locator('main .loading, main [aria-busy="true"]').count()).toBe(0);
  return page.locator('main').innerText();
}

beforeAll(async () => {
  assertBuilt();
  opened.env = newEnv(NOW, 'Europe/Berlin');
  const served = (opened.served = await serve(opened.env));
  await post(served, 'budgetSet', { daily: '5.00', monthly: '72.00' });
  await post(served, 'record', { provider: 'openai', model: 'gpt-4o', cost: '50.00', at: '2026-11-20T10:00:00Z', id: 'big' });
  await post(served, 'record', { provider: 'mistral', model: 'mistral-small-latest', cost: '1.00', at: '2026-11-27T10:00:00Z', id: 'small' });
  await post(served, 'subscriptionAdd', { name: 'ChatGPT Plus', monthly: '20.00', day: 1, since: '2025-03-01' });
  await post(served, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await post(served, 'readingAdd', { provider: 'groq', amount: '1.25', at: '2026-11-10T09:00:00Z' });
  await post(served, 'backupCreate', {});
  opened.browser = await launchChromium();
  opened.ctx = await opened.browser.newContext({ timezoneId: 'America/New_York', locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await opened.ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(served.url);
  await page.locator('[data-testid="today-card"]').first().waitFor();
});

afterAll(() => closeAll(opened));

describe('dates read one way on every screen', () => {
  it('shows an instant in the ledger zone, to the minute, wherever it is', async () => {
    await open('#/readings?provider=groq');
    // 09:00 UTC is 10:00 in Berlin (04:00 in the browser's New York).
    await expect.poll(() => page.locator('tr', { hasText: 'Month to date' }).locator('td').first().innerText()).toBe('2026-11-10 10:00');
    await open('#/settings');
    const backups = page.locator('section.card', { has: page.getByRole('heading', { name: 'Backups' }) });
    expect(await backups.locator('tbody tr td').first().innerText()).toBe('2026-11-28 19:00');
  });

  it('shows a day as stored: the subscription since and next charge, the budget running out, the last usage', async () => {
    await open('#/readings');
    const sub = page.locator('#subscriptions tr', { hasText: 'ChatGPT Plus' });
    expect((await sub.locator('td').allInnerTexts()).slice(3, 5)).toEqual(['2025-03-01', '2026-12-01']);
    const dashboard = await open('#/');
    expect(dashboard).toContain('last usage 2026-11-27');
    expect(dashboard).toMatch(/the monthly budget runs out on \d{4}-\d{2}-\d{2}\./);
  });

  it('no view shows a date in another style', async () => {
    for (const [view, hash] of Object.entries(WINDOW_ROUTES)) {
      const text = await open(hash);
      expect({ view, found: OTHER_STYLES.exec(text)?.[0] ?? null }).toEqual({ view, found: null });
    }
    expect(errors).toEqual([]);
  });
});
