import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { OPENAI_ADMIN_KEY, OPENAI_DOCUMENTED, startOpenAIServer, type OpenAIServer } from '../fixtures/servers';
import { burnrateAsync } from '../integration/sync/helpers/run-cli';

/**
 * The whole path through the real keychain, as a user runs it: `keys set openai` with the key on
 * standard input, `sync` reading it back from the Secret Service, `status` with the billed totals,
 * then `keys delete`. Only under scripts/test-keychain.sh (a private Secret Service).
 */
const enabled = process.env.BURNRATE_KEYCHAIN_TEST === '1' && process.platform === 'linux';

const KEY = OPENAI_ADMIN_KEY;
let fake: OpenAIServer;

beforeAll(async () => {
  fake = await startOpenAIServer();
});
afterAll(async () => {
  await fake?.close();
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe.runIf(enabled)('keys through the real Secret Service', () => {
  it('keys set (stdin) → sync → status → keys delete, and the key is nowhere under BURNRATE_HOME', async () => {
    const home = tempHome('burnrate-kc-flow-');
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: '2026-11-10T12:00:00Z', BURNRATE_OPENAI_BASE_URL: fake.url, BURNRATE_OPENAI_KEY: undefined };

    const set = await burnrateAsync(['keys', 'set', 'openai'], env, `${KEY}\n`);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`Stored the openai key (admin, …${KEY.slice(-4)}) in the Secret Service.`);
    expect(set.stdout).not.toContain(KEY.slice(0, 12));

    const list = await burnrateAsync(['keys', 'list', '--json'], env);
    expect(list.json<{ keys: unknown[] }>().keys).toEqual([
      expect.objectContaining({ provider: 'openai', kind: 'admin', last4: KEY.slice(-4), storedIn: 'keychain', active: true }),
    ]);

    const sync = await burnrateAsync(['sync', '--json'], env);
    expect(sync.code).toBe(0);
    expect(sync.json<{ runs: { outcome: string; keyOrigin: string }[] }>().runs).toMatchObject([{ outcome: 'ok', keyOrigin: 'keychain' }]);

    const status = await burnrateAsync(['status', '--json'], env);
    const openai = status.json<{ providers: { provider: string; monthSpentUsd: string }[] }>().providers.find((p) => p.provider === 'openai');
    expect(openai?.monthSpentUsd).toBe(OPENAI_DOCUMENTED.costTotalUsd);

    for (const file of filesUnder(home)) {
      const bytes = fs.readFileSync(file);
      for (const piece of [KEY, KEY.slice(0, 16), KEY.slice(-12)]) expect(bytes.includes(Buffer.from(piece)), `${piece} in ${file}`).toBe(false);
    }

    const del = await burnrateAsync(['keys', 'delete', 'openai'], env);
    expect(del.code).toBe(0);
    expect(del.stdout).toContain('Deleted the openai key from the keychain.');
    expect((await burnrateAsync(['keys', 'list', '--json'], env)).json<{ keys: unknown[] }>().keys).toEqual([]);
    const after = await burnrateAsync(['sync', 'openai'], env);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/There is no key for OpenAI/);
  });
});

describe.runIf(!enabled)('keys through the real Secret Service', () => {
  it.skip('runs only under scripts/test-keychain.sh (a private Secret Service)', () => undefined);
});
