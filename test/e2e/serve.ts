import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'burnrate.cjs');

/** The e2e suite drives the built product; it never builds it (npm test's build stage does). */
export function assertBuilt(): void {
  const missing = ['dist/cli.cjs', 'dist/renderer/index.html'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length > 0) throw new Error(`Missing ${missing.join(' and ')}: run "npm run build" (or node scripts/build.mjs cli renderer) first.`);
}

export interface Env {
  BURNRATE_HOME: string;
  BURNRATE_NOW: string;
  TZ: string;
}

export function newEnv(now: string, tz: string): Env {
  return { BURNRATE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-e2e-')), BURNRATE_NOW: now, TZ: tz };
}

/** Run the CLI as a user does; fail loudly with its stderr. */
export function cli(env: Env, ...args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`burnrate ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export interface Served {
  /** The printed line: http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  origin: string;
  token: string;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Start `burnrate serve --port 0 --no-jobs` and resolve once it prints its URL (the documented
 * ready signal): no sleeps. Rejects if it exits first.
 */
export function serve(env: Env): Promise<Served> {
  // A fresh random token, as a user gets it (never one from the developer's environment).
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.BURNRATE_TOKEN;
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-jobs'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', (code) => reject(new Error(`burnrate serve exited (${code}) before printing its URL: ${err}`)));
    lines.once('line', (line) => {
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)$/.exec(line.trim());
      if (!m) return reject(new Error(`burnrate serve printed an unexpected first line: ${line}`));
      resolve({
        url: line.trim(),
        origin: m[1]!,
        token: m[2]!,
        stderr: () => err,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** Debian's Chromium, headless, kept off the network (machine-notes.md). */
/**
 * What a test file opened, closed in order (its page's context, the browser, the server) and its
 * data folder removed: every file's afterAll. Each part may be missing if beforeAll failed early.
 */
export async function closeAll(opened: { ctx?: BrowserContext | undefined; browser?: Browser | undefined; served?: Served | undefined; env?: Env | undefined }): Promise<void> {
  await opened.ctx?.close();
  await opened.browser?.close();
  await opened.served?.stop();
  if (opened.env) fs.rmSync(opened.env.BURNRATE_HOME, { recursive: true, force: true });
}

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

/** A screenshot to test/artifacts/; UPDATE_SCREENSHOTS=1 also refreshes the copy in docs/screenshots/. */
export async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(SCREENSHOTS, `${name}.png`));
  }
}

/** Write through the HTTP API as a script would (Bearer token), for bulk seeding. */
/** Words of the CLI (a flag, or "burnrate <command>") that no text in the window may show. */
export const CLI_WORDS = /(?:^|[\s"'`(])--[a-z]|\bburnrate [a-z]/;

/** An answer of the HTTP API, read loosely: each test checks the fields it needs. */
export type Json = Record<string, any>;

/** Read through the HTTP API as a script would (GET with the input, if any, in the query string). */
export async function get(served: Served, method: string, input: Record<string, string> = {}): Promise<Json> {
  const query = Object.keys(input).length > 0 ? `?${new URLSearchParams(input)}` : '';
  const res = await fetch(`${served.origin}/api/${method}${query}`, { headers: { Authorization: `Bearer ${served.token}` } });
  const json = (await res.json()) as Json;
  if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(json)}`);
  return json;
}

export async function post(served: Served, method: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${served.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}` },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(json)}`);
  return json;
}

/**
 * The window of a served ledger in a fresh context, as a user opens it: the printed URL (it carries
 * the token), once today's card shows, then `hash`. Page errors and console errors go to `errors`.
 */
export async function openWindow(
  browser: Browser,
  served: Served,
  opts: { scheme: 'light' | 'dark'; width: number; height: number; hash?: string; errors: string[] },
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ colorScheme: opts.scheme, reducedMotion: 'reduce', viewport: { width: opts.width, height: opts.height } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => opts.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') opts.errors.push(m.text());
  });
  await page.goto(served.url);
  await page.locator('[data-testid="today-card"]').first().waitFor();
  if (opts.hash && opts.hash !== '#/') await page.evaluate(`location.hash = ${JSON.stringify(opts.hash)}`);
  return { ctx, page };
}
