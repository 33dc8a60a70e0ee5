import type { ChildProcess } from 'node:child_process';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { burnrateAsync, tempHome } from '../../helpers/cli';
import { runProxy } from './run-proxy';
import { request } from '../server/http';
import { killServed, serve, URL_LINE } from '../server/serve-process';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

let fake: FakeUpstream;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  killServed();
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

const ask = (base: string, maxRetries = 2) =>
  new OpenAI({ apiKey: 'sk-cli-test', baseURL: `${base}/openai/v1`, maxRetries }).chat.completions
    .create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] })
    .then((r) => r.id, (e: { status?: number; message: string }) => `${e.status}: ${e.message}`);

describe('burnrate proxy and override (CLI)', () => {
  it('prints exactly its base URL, meters through it, refuses with --enforce and lets an override through', async () => {
    const home = tempHome('burnrate-proxy-cli-');
    const env = { BURNRATE_HOME: home, BURNRATE_OPENAI_BASE_URL: fake.url };
    expect((await burnrateAsync(['budget', 'set', '--daily', '0.50', '--enforce'], env)).code).toBe(0);
    const proxy = await runProxy(env, children);
    expect(proxy.line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const id = await ask(proxy.line);
    expect(id).toMatch(/^chatcmpl-fake/);
    expect((await burnrateAsync(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', '0.40'], env)).code).toBe(0);
    // $0.40 of the $0.40 spendable (20 % reserve) is spent: the next ordinary request is refused.
    expect(await ask(proxy.line)).toMatch(/^402: .*daily budget of \$0\.50/);
    const override = await burnrateAsync(['override', '--usd', '1', '--for', '30m', '--note', 'demo day'], env);
    expect(override.code).toBe(0);
    expect(override.stdout).toContain('lifted by $1.00');
    expect(await ask(proxy.line)).toMatch(/^chatcmpl-fake/);

    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    expect(proxy.stdout()).toBe(`${proxy.line}\n`);
    const core = openCore({ home, env: {}, timeZone: 'UTC' });
    try {
      const rows = core.db.prepare(`SELECT external_id FROM usage_events WHERE source = 'proxy' ORDER BY id`).all() as { external_id: string }[];
      expect(rows.map((r) => r.external_id)).toHaveLength(2);
      expect(rows[0]!.external_id).toBe(id);
    } finally {
      core.close();
    }
  });

  it('burnrate serve starts the proxy (on a free port when serve is on one), and --no-proxy does not', async () => {
    const served = await serve(['--port', '0', '--no-jobs'], { BURNRATE_OPENAI_BASE_URL: fake.url });
    const named = /metering proxy on (http:\/\/127\.0\.0\.1:\d+)/;
    await until(() => named.test(served.stderr()));
    const base = named.exec(served.stderr())![1]!;
    expect(await ask(base)).toMatch(/^chatcmpl-fake/);
    const without = await serve(['--port', '0', '--no-jobs', '--no-proxy']);
    expect(without.stderr()).not.toMatch(named);
  });
});

// Ending an emergency override early, end to end: the lifted requests are refused again at once, by
// a proxy in another process (the CLI ends it, `burnrate proxy` reads the ledger) and by the proxy of
// the process that ended it (`burnrate serve`, through its HTTP API).
describe('ending an override early', () => {
  it('burnrate override --end ID: the proxy in another process refuses again at once; unknown and ended ids are refused', async () => {
    const env = { BURNRATE_HOME: tempHome('burnrate-override-end-'), BURNRATE_OPENAI_BASE_URL: fake.url };
    expect((await burnrateAsync(['budget', 'set', '--daily', '0.50', '--enforce'], env)).code).toBe(0);
    expect((await burnrateAsync(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', '0.40'], env)).code).toBe(0);
    const proxy = await runProxy(env, children);
    expect(await ask(proxy.line)).toMatch(/^402: .*daily budget of \$0\.50/);
    const added = await burnrateAsync(['override', '--usd', '1', '--for', '30m', '--note', 'demo day'], env);
    expect(added.stdout).toMatch(/#1 \$1\.00 until .* \(demo day\)/);
    expect(await ask(proxy.line)).toMatch(/^chatcmpl-fake/);

    const ended = await burnrateAsync(['override', '--end', '1', '--json'], env);
    expect(ended.code).toBe(0);
    const view = JSON.parse(ended.stdout);
    expect(view.liftUsd).toBe('0.00');
    expect(view.overrides).toMatchObject([{ id: 1, amountUsd: '1.00', note: 'demo day', by: 'cli', active: false, endedBy: 'cli' }]);
    expect(Date.parse(view.overrides[0].endedAt)).toBeLessThan(Date.parse(view.overrides[0].endsAt));
    expect(await ask(proxy.line)).toMatch(/^402: .*daily budget of \$0\.50/);

    const again = await burnrateAsync(['override', '--end', '1'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^burnrate: Override 1 already ended at \d{4}-\d\d-\d\d \d\d:\d\d \([^)]+\); only an active override can be ended\.\n$/);
    const unknown = await burnrateAsync(['override', '--end', '9', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error.message).toBe('There is no override 9; pick one from the list of overrides. The overrides and their ids: "burnrate override".');
    const both = await burnrateAsync(['override', '--end', '1', '--usd', '5'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--end ends an override and takes no --usd, --for or --note/);
    expect((await burnrateAsync(['override', '--end', 'one'], env)).code).toBe(2);
    expect((await burnrateAsync(['override'], env)).stdout).toBe('No override in force; every enforced budget line holds.\n');
  });

  it('POST /api/overrideEnd: the proxy of burnrate serve refuses again at once; 404 and 409 name the id', async () => {
    const served = await serve(['--port', '0', '--no-jobs'], { BURNRATE_OPENAI_BASE_URL: fake.url });
    const [, port, token] = URL_LINE.exec(served.line)!;
    const api = async (method: string, body: unknown) => {
      const reply = await request(Number(port), {
        method: 'POST',
        path: `/api/${method}`,
        headers: { Authorization: `Bearer ${token}`, Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: reply.status, body: reply.json() };
    };
    const named = /metering proxy on (http:\/\/127\.0\.0\.1:\d+)/;
    await until(() => named.test(served.stderr()));
    const base = named.exec(served.stderr())![1]!;

    expect((await api('budgetSet', { daily: '0.50', policy: 'enforce' })).status).toBe(200);
    expect((await api('record', { provider: 'openai', model: 'gpt-4o-mini', cost: '0.40', at: '2026-11-28T10:00:00Z' })).status).toBe(200);
    expect(await ask(base)).toMatch(/^402: /);
    expect((await api('override', { usd: '1', for: '30m', by: 'window' })).status).toBe(200);
    expect(await ask(base)).toMatch(/^chatcmpl-fake/);

    const ended = await api('overrideEnd', { id: 1, by: 'window' });
    expect(ended.status).toBe(200);
    // A script with the bearer token is logged as such, whatever it claims (src/api/origin.ts).
    expect(ended.body.overrides).toMatchObject([{ id: 1, active: false, endedAt: '2026-11-28T18:00:00.000Z', endedBy: 'api' }]);
    expect(await ask(base)).toMatch(/^402: /);

    const twice = await api('overrideEnd', { id: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/^Override 1 already ended at 2026-11-28 \d\d:\d\d \([^)]+\); only an active override can be ended\.$/);
    const unknown = await api('overrideEnd', { id: 42 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('There is no override 42; pick one from the list of overrides.');
    expect((await api('overrideEnd', { id: 'x' })).status).toBe(400);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
