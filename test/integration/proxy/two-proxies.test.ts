import type { ChildProcess } from 'node:child_process';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { burnrateAsync, tempHome } from '../../helpers/cli';
import { runProxy } from './run-proxy';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

/**
 * Two `burnrate proxy` processes on one BURNRATE_HOME share their reservations in flight
 * (proxy_reservations, migration 011): together they cannot pass a line that each alone would.
 */
let fake: FakeUpstream;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.release();
  fake.reset();
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** One request held at the fake until release(); 'ok' or the refusal's status. */
const held = (base: string, onRefused: () => void) =>
  new OpenAI({ apiKey: 'sk-two-proxies', baseURL: `${base}/openai/v1`, maxRetries: 0 }).chat.completions
    .create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-fake-hold': '1' } })
    .then(
      () => 'ok' as const,
      (e: { status?: number }) => {
        onRefused();
        return e.status;
      },
    );

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await check()).toBe(true);
}

function reservationRows(home: string): number {
  const core = openCore({ home, env: {}, timeZone: 'UTC' });
  try {
    return (core.db.prepare('SELECT COUNT(*) AS n FROM proxy_reservations').get() as { n: number }).n;
  } finally {
    core.close();
  }
}

async function setUp(): Promise<{ home: string; env: Record<string, string> }> {
  const home = tempHome('burnrate-two-proxies-');
  const env = { BURNRATE_HOME: home, BURNRATE_OPENAI_BASE_URL: fake.url };
  // $1.00 a day, no reserve, enforced; $0.9975 spent: $0.0025 left. Each request reserves at least
  // 1000 output tokens × $0.60/M = $0.0006 (plus its input), so at most 4 fit, whichever proxy asks.
  expect((await burnrateAsync(['budget', 'set', '--daily', '1', '--reserve-pct', '0', '--enforce'], env)).code).toBe(0);
  expect((await burnrateAsync(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', '0.9975'], env)).code).toBe(0);
  return { home, env };
}

describe('two proxies on one ledger', () => {
  it('see each other\'s reservations in flight: ten concurrent requests split over both pass no more than one proxy alone lets through', async () => {
    const { home, env } = await setUp();
    const [a, b] = await Promise.all([runProxy(env, children), runProxy(env, children)]);
    let refused = 0;
    // Five requests at each proxy, all at once. Alone, each proxy would admit four of its five (8 in all).
    const pending = Array.from({ length: 10 }, (_, i) => held(i % 2 === 0 ? a.line : b.line, () => refused++));
    await until(() => fake.held() + refused === 10);
    const admitted = fake.held();
    expect(admitted).toBeGreaterThanOrEqual(1);
    expect(admitted).toBeLessThanOrEqual(4);
    // The reservations of the requests held at the fake are rows of the ledger, each proxy's own.
    expect(reservationRows(home)).toBe(admitted);
    fake.release();
    const results = await Promise.all(pending);
    expect(results.filter((r) => r === 'ok')).toHaveLength(admitted);
    expect(results.filter((r) => r === 402)).toHaveLength(10 - admitted);
    // Settled and removed once each row is written.
    await until(() => reservationRows(home) === 0);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  });

  it('a proxy killed with -9 leaves reservations that stop counting once its process is gone', async () => {
    const { home, env } = await setUp();
    const a = await runProxy(env, children);
    let refused = 0;
    const pending = Array.from({ length: 6 }, () => held(a.line, () => refused++));
    await until(() => fake.held() + refused === 6);
    const admitted = fake.held();
    expect(admitted).toBeGreaterThanOrEqual(1);
    expect(reservationRows(home)).toBe(admitted);
    a.child.kill('SIGKILL');
    await a.exited;
    await Promise.allSettled(pending);
    fake.release();
    // The dead proxy's rows would refuse everything for a minute (until they expire); a proxy that
    // admits sees the owner's pid gone and drops them at once.
    const b = await runProxy(env, children);
    const once = await new OpenAI({ apiKey: 'sk-two-proxies', baseURL: `${b.line}/openai/v1`, maxRetries: 0 }).chat.completions
      .create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'x' }] })
      .then((r) => r.id, (e: { status?: number; message: string }) => `${e.status}: ${e.message}`);
    expect(once).toMatch(/^chatcmpl-fake/);
    await until(() => reservationRows(home) === 0);
  });
});
