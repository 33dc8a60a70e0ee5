import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, get, launchChromium, newEnv, openWindow, post, ROOT, serve, type Env, type Json, type Served, closeAll } from './serve';

// The UX audit s8 against a real `burnrate serve` in Chromium, on a ledger like a demanding user's
// (budgets, caps, a low prepaid balance, a subscription, an override, a channel, Claude Code's logs):
// text reaches WCAG AA contrast in both themes, and the labels, dates, selects and tables it found
// cut, broken or clipped read in full at 900 and 1280 px.

const NOW = '2026-11-20T18:00:00Z'; // the agents fixture's responses are of 2026-11-20

let env: Env;
let served: Served;
let browser: Browser;
const errors: string[] = [];

/** `look` at the window in a fresh context of this theme and width, at `hash`; the context closes after. */
async function inWindow(scheme: 'light' | 'dark', width: number, hash: string, look: (page: Page) => Promise<void>): Promise<void> {
  const { ctx, page } = await openWindow(browser, served, { scheme, width, height: width <= 360 ? 640 : 800, hash, errors });
  try {
    await look(page);
  } finally {
    await ctx.close();
  }
}

/**
 * The contrast of each element's text on what is painted behind it (its own or its ancestors'
 * backgrounds, translucent ones composited), with the WCAG AA ratio it needs: 3 for large text (24 px,
 * or 18.66 px bold), else 4.5. Written as a string: the page runs it as written.
 */
const CONTRAST = `(els) => {
  const parse = (c) => { const p = c.match(/rgba?\\(([^)]+)\\)/)[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const over = (top, base) => ({ r: top.r * top.a + base.r * (1 - top.a), g: top.g * top.a + base.g * (1 - top.a), b: top.b * top.a + base.b * (1 - top.a) });
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0) layers.push(c); if (c.a >= 1) break; }
    let base = parse(getComputedStyle(document.body).backgroundColor);
    for (let i = layers.length - 1; i >= 0; i--) base = over(layers[i], base);
    return base;
  };
  return els.map((el) => {
    const s = getComputedStyle(el);
    const bg = behind(el);
    const fg = over(parse(s.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (parseInt(s.fontWeight) >= 700 && size >= 18.66);
    return { text: el.textContent.trim().slice(0, 40), ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100, needs: large ? 3 : 4.5 };
  });
}`;

/**
 * `measure` (a function's source, run in the page: this suite's types know no DOM) of every element
 * `selector` matches, once one is there.
 */
async function measureAll<T>(page: Page, selector: string, measure: string): Promise<T> {
  await page.locator(selector).first().waitFor();
  return page.evaluate<T>(`(${measure})([...document.querySelectorAll(${JSON.stringify(selector)})])`);
}

/** The contrast short of AA of each element `selector` matches, as "text: ratio < needed". */
async function belowAA(page: Page, selector: string): Promise<string[]> {
  const measured = await measureAll<{ text: string; ratio: number; needs: number }[]>(page, selector, CONTRAST);
  return measured.filter((m) => m.ratio < m.needs).map((m) => `${m.text}: ${m.ratio} < ${m.needs}`);
}

/** Whether each element shows all its text: nothing cut sideways (an ellipsis) or below (a line clamp). */
const SHOWS_ALL = '(els) => els.map((el) => el.textContent + (el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight ? " in full" : " cut"))';

beforeAll(async () => {
  assertBuilt();
  env = newEnv(NOW, 'Europe/Berlin');
  const user = path.join(env.BURNRATE_HOME, 'user');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'agents', 'claude'), path.join(user, '.claude'), { recursive: true });
  Object.assign(env, { HOME: user, XDG_CONFIG_HOME: path.join(user, '.config'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: path.join(user, '.codex') });
  // Budgets first, so the usage after them raises alerts (the nav's count).
  cli(env, 'budget', 'set', '--daily', '6', '--monthly', '120', '--reserve-pct', '20', '--enforce');
  cli(env, 'budget', 'set', '--project', 'web', '--monthly', '10', '--warn');
  // Groq by its console, October's final figure still to enter (Month close waits for it).
  cli(env, 'provider', 'set', 'groq', '--mode', 'odometer');
  cli(env, 'reading', 'add', 'groq', '0.40', '--at', '2026-10-05T09:00:00Z');
  cli(env, 'reading', 'add', 'groq', '2.10', '--at', '2026-10-28T09:00:00Z');
  cli(env, 'reading', 'add', 'groq', '3.07', '--at', '2026-11-19T09:00:00Z');
  // A prepaid balance that runs out in days: a red attention row with its fix link.
  cli(env, 'provider', 'set', 'openrouter', '--mode', 'balance');
  cli(env, 'reading', 'add', 'openrouter', '25.00', '--at', '2026-11-01T09:00:00Z');
  cli(env, 'reading', 'add', 'openrouter', '4.27', '--at', '2026-11-20T08:00:00Z');
  // A subscription with a long name and a cap it nears: an amber attention row, a pace row with its cap.
  cli(env, 'subscription', 'add', 'GitHub Copilot Business', '--monthly', '19', '--day', '1', '--since', '2026-11-01');
  cli(env, 'budget', 'set', '--provider', 'github-copilot-business', '--monthly', '15');
  // A fee since September: Month close lists three months, "September 2026" the widest name.
  cli(env, 'subscription', 'add', 'Claude Pro', '--monthly', '20', '--day', '5', '--since', '2026-09-05');
  // Enough rows for History to be taller than the window, and a project over its cap.
  for (let d = 1; d <= 20; d++) {
    const day = String(d).padStart(2, '0');
    cli(env, 'record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--input-tokens', String(120_000 + d * 3333), '--output-tokens', '40000', '--at', `2026-11-${day}T10:00:00Z`, '--id', `oa-${d}`, '--project', 'web');
    cli(env, 'record', '--provider', 'anthropic', '--model', 'claude-sonnet-4-5', '--cost', '0.6', '--at', `2026-11-${day}T15:30:00Z`, '--id', `an-${d}`, '--project', 'web');
  }
  cli(env, 'override', '--usd', '2.5', '--for', '2h', '--note', 'demo day');
  cli(env, 'alerts', 'channel', 'add', 'webhook', 'http://127.0.0.1:9/hook');
  served = await serve(env);
  await post(served, 'agentsImport', { agent: 'claude-code' });
  await post(served, 'agentsSetBilling', { agent: 'claude-code', mode: 'subscription' });
  browser = await launchChromium();
});

afterAll(() => closeAll({ browser, served, env }));

describe('text reaches WCAG AA contrast', () => {
  it('the seeded ledger has open alerts, for the nav to count', async () => {
    expect(((await get(served, 'alerts')).alerts as Json[]).length).toBeGreaterThan(0);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: buttons, links, fix links on tinted rows, the active view, the alerts count, unselected options`, async () => {
      await inWindow(scheme, 1280, '#/', async (page) => {
        await page.locator('.attention-item .fix-link').first().waitFor();
        expect(await belowAA(page, '.attention-item .fix-link')).toEqual([]);
        expect(await belowAA(page, '.nav-link.active')).toEqual([]);
        expect(await belowAA(page, '.nav-count')).toEqual([]);
        expect(await belowAA(page, '.segment:not(.checked)')).toEqual([]);
        await page.evaluate(`location.hash = '#/budgets'`);
        await page.getByRole('button', { name: 'Save budgets' }).waitFor();
        expect(await belowAA(page, 'main .btn-primary')).toEqual([]);
        expect(await belowAA(page, 'main .field-hint')).toEqual([]);
      });
    });

    it(`${scheme}: the popover's secondary lines (how old, a fee, the cap's share) and its buttons`, async () => {
      await inWindow(scheme, 360, '#/popover', async (page) => {
        await page.locator('.pace-row[data-provider="github-copilot-business"] .pace-of').waitFor();
        expect(await belowAA(page, '.pace-age .age')).toEqual([]);
        expect(await belowAA(page, '.pace-of')).toEqual([]);
        expect(await belowAA(page, '.btn-primary')).toEqual([]);
      });
    });
  }
});

describe('read in full at 900 px', () => {
  it("Coding agents: each family's Billed choice is as wide as its text, and the page does not scroll sideways", async () => {
    await inWindow('dark', 900, '#/agents', async (page) => {
      // Each one's width against the width it takes when nothing squeezes it (its longest option).
      const widths = await measureAll<{ shown: number; needed: number }[]>(
        page,
        'select[aria-label$=" is billed"]',
        `(selects) => selects.map((s) => {
          const shown = s.offsetWidth;
          s.style.width = 'max-content';
          const needed = s.offsetWidth;
          s.style.width = '';
          return { shown, needed };
        })`,
      );
      expect(widths.length).toBe(3);
      for (const w of widths) expect(w.shown).toBeGreaterThanOrEqual(w.needed);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(900);
    });
  });

  it('History: the columns scroll sideways inside the card, its scrollbar in view, with a shadow at the cut edge', async () => {
    await inWindow('light', 900, '#/history', async (page) => {
      await page.getByRole('row', { name: /gpt-4o-mini/ }).first().waitFor();
      // The scroller around the usage table (the one with a Source column).
      const [box = { scrolls: false, overflowX: '', height: 0, cue: '' }] = await measureAll<{ scrolls: boolean; overflowX: string; height: number; cue: string }[]>(
        page,
        'main .table-wrap',
        `(wraps) => wraps.filter((w) => w.querySelector('th:nth-child(5)')?.textContent === 'Source').map((w) => {
          const s = getComputedStyle(w);
          return { scrolls: w.scrollWidth > w.clientWidth, overflowX: s.overflowX, height: w.getBoundingClientRect().height, cue: s.backgroundImage };
        })`,
      );
      expect(box.scrolls).toBe(true);
      expect(box.overflowX).toBe('auto');
      // A box no taller than the window: its sideways scrollbar shows without scrolling past every row.
      expect(box.height).toBeLessThanOrEqual(800);
      expect(box.cue).toMatch(/gradient/);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(900);
    });
  });
});

describe('read in full at 1280 px', () => {
  it("Settings: a channel's Alerts choice is styled as the Kind select next to it", async () => {
    await inWindow('dark', 1280, '#/settings', async (page) => {
      const look = `(selects) => selects.map((s) => { const c = getComputedStyle(s); return [c.backgroundColor, c.borderTopColor, c.borderTopLeftRadius, c.color].join(' '); })`;
      const [alerts] = await measureAll<string[]>(page, '[role="group"][aria-label$=" receives"] select[aria-label="Alerts"]', look);
      const [kind] = await measureAll<string[]>(page, 'form[aria-label="Add a notification channel"] select', look); // its first: Kind
      expect(alerts).toBe(kind);
    });
  });

  it("Budgets: an override's From and Until never break inside the date", async () => {
    await inWindow('light', 1280, '#/budgets', async (page) => {
      // The lines the first ten characters ("2026-11-20") of each date cell of the first row take.
      const dates = await measureAll<{ text: string; lines: number }[]>(
        page,
        '#override tbody tr:first-child td:is(:nth-child(2), :nth-child(3))',
        `(tds) => tds.map((td) => {
          const range = document.createRange();
          range.setStart(td.firstChild, 0);
          range.setEnd(td.firstChild, 10);
          return { text: td.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
        })`,
      );
      expect(dates.map((d) => d.text)).toEqual([expect.stringMatching(/^2026-11-20 \d\d:\d\d$/), expect.stringMatching(/^2026-11-20 \d\d:\d\d$/)]);
      expect(dates.map((d) => d.lines)).toEqual([1, 1]);
    });
  });

  it('Dashboard and popover: "GitHub Copilot Business" in full in the share legend and the pace list', async () => {
    await inWindow('light', 1280, '#/', async (page) => {
      await page.locator('.legend-label', { hasText: 'GitHub Copilot Business' }).waitFor();
      expect(await measureAll(page, '.legend-label', SHOWS_ALL)).toContain('GitHub Copilot Business in full');
      await page.setViewportSize({ width: 360, height: 640 });
      await page.evaluate(`location.hash = '#/popover'`);
      // Under its name once the subscriptions are read (its slug until then).
      await page.locator('.pace-name', { hasText: 'GitHub Copilot Business' }).waitFor();
      expect(await measureAll(page, '.pace-row[data-provider="github-copilot-business"] .pace-name', SHOWS_ALL)).toEqual(['GitHub Copilot Business in full']);
    });
  });

  it("Month close: a month's four actions stay on one line", async () => {
    await inWindow('light', 1280, '#/close', async (page) => {
      const october = page.getByRole('row', { name: /October 2026/ }).first();
      await october.getByRole('button', { name: 'Close month' }).click();
      // Waiting for Groq's final figure: Resume close, Close without waiting…, Open report, CSV.
      await october.getByRole('button', { name: 'Resume close' }).waitFor();
      const buttons = october.getByRole('button');
      expect(await buttons.count()).toBe(4);
      const tops = await buttons.evaluateAll((bs) => bs.map((b) => Math.round(b.getBoundingClientRect().top)));
      expect(new Set(tops).size).toBe(1);
    });
  });
});

describe('Coding agents in words', () => {
  it('says what Import now does, heads the families table, and ends the billing sentence before its link', async () => {
    await inWindow('light', 1280, '#/agents', async (page) => {
      await page.getByRole('heading', { name: 'How each model family is billed' }).waitFor();
      const text = await page.locator('main').innerText();
      expect(text).not.toMatch(/reads every log again/);
      expect(text).toMatch(/Import now picks up at once whatever the logs gained since the last import\./);
      expect(text).not.toMatch(/^Model families$/m);
      expect(text).toMatch(/Subscription: shown as API-equivalent value, not spend\. Change to API key/);
    });
  });

  it('no page error along the way', () => {
    expect(errors).toEqual([]);
  });
});
