import type { ChildProcess } from 'node:child_process';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { burnrateAsync, tempHome } from '../../helpers/cli';
import { runProxy } from './run-proxy';
import { killServed, serve } from '../server/serve-process';
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

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
