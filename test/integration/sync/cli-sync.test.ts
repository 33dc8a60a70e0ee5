import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../../helpers/cli';
import { DEEPSEEK_KEY, fail, OPENAI_ADMIN_KEY, OPENAI_DOCUMENTED, OPENAI_PROJECT_KEY, startDeepSeekServer, startOpenAIServer, type OpenAIServer } from '../../fixtures/servers';
import { burnrateAsync } from './helpers/run-cli';

// The shared fake OpenAI (test/fixtures/servers): 10 days 2026-11-01…10 with documented totals.
const ADMIN_KEY = OPENAI_ADMIN_KEY;
const NOW = '2026-11-10T12:00:00Z';

let fake: OpenAIServer;
let home: string;

/** The CLI with a fresh home, the fake OpenAI, and no way to reach a real keychain. */
function env(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    BURNRATE_HOME: home,
    BURNRATE_NOW: NOW,
    TZ: 'UTC',
    BURNRATE_OPENAI_BASE_URL: fake.url,
    BURNRATE_OPENAI_KEY: undefined,
    // A bus that does not exist: these tests must never touch a developer's real keychain.
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/burnrate-test-bus',
    ...extra,
  };
}

/** Every file under the home, byte for byte (the ledger, its -wal and -shm, anything else). */
function everyFileUnder(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...everyFileUnder(full));
    else out.push({ file: full, bytes: fs.readFileSync(full) });
  }
  return out;
}

function expectKeyNowhere(dir: string, key: string): void {
  const files = everyFileUnder(dir);
  expect(files.some((f) => f.file.endsWith('ledger.sqlite'))).toBe(true);
  for (const { file, bytes } of files) {
    for (const piece of [key, key.slice(0, 16), key.slice(-12)]) {
      expect(bytes.includes(Buffer.from(piece, 'utf8')), `${piece} found in ${file}`).toBe(false);
      expect(bytes.includes(Buffer.from(piece, 'utf16le')), `${piece} (UTF-16) found in ${file}`).toBe(false);
    }
  }
}

beforeAll(async () => {
  fake = await startOpenAIServer({ pageSize: 3 });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  home = tempHome('burnrate-sync-');
  fake.setScenario(null);
  fake.requests.length = 0;
});

describe('burnrate sync against a local OpenAI', () => {
  it('sync then status shows exactly the billed totals; a second sync changes nothing; no key under BURNRATE_HOME', async () => {
    const withKey = env({ BURNRATE_OPENAI_KEY: ADMIN_KEY });

    const list = await burnrateAsync(['keys', 'list', '--json'], withKey);
    expect(list.code).toBe(0);
    const keys = list.json<{ keys: { provider: string; kind: string; last4: string; storedIn: string }[] }>().keys;
    expect(keys).toEqual([expect.objectContaining({ provider: 'openai', kind: 'admin', last4: ADMIN_KEY.slice(-4), storedIn: 'env' })]);
    expect(list.stdout).not.toContain(ADMIN_KEY.slice(0, 12));

    const first = await burnrateAsync(['sync', 'openai', '--json'], withKey);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const run = first.json<{ runs: { outcome: string; rows: number; rowsChanged: number; window: { start: string } }[] }>().runs[0]!;
    expect(run.outcome).toBe('ok');
    expect(run.window.start).toBe('2026-11-01T00:00:00.000Z');
    expect(run.rowsChanged).toBe(OPENAI_DOCUMENTED.costRowsPerDay * 10 + OPENAI_DOCUMENTED.usage.events);
    // Several pages of costs were fetched (3 buckets per page over 10 days).
    expect(fake.requests.filter((r) => r.path === '/v1/organization/costs')).toHaveLength(4);

    const status = await burnrateAsync(['status', '--json'], withKey);
    expect(status.code).toBe(0);
    const s = status.json<{ providers: { provider: string; monthSpentUsd: string; todaySpentUsd: string; source: string }[] }>();
    const openai = s.providers.find((p) => p.provider === 'openai');
    // Exactly what was billed, to the cent and below; usage tokens are not added on top.
    expect(openai).toMatchObject({
      monthSpentUsd: OPENAI_DOCUMENTED.costTotalUsd,
      todaySpentUsd: OPENAI_DOCUMENTED.costByDayUsd['2026-11-10'],
      source: 'billed',
    });

    const second = await burnrateAsync(['sync', 'openai', '--json'], withKey);
    expect(second.code).toBe(0);
    expect(second.json<{ runs: { rowsChanged: number }[] }>().runs[0]!.rowsChanged).toBe(0);
    const again = await burnrateAsync(['status', '--json'], withKey);
    expect(again.json<typeof s>().providers).toEqual(s.providers);

    const history = await burnrateAsync(['sync', '--history', '--json'], withKey);
    expect(history.json<{ runs: { outcome: string }[] }>().runs.map((r) => r.outcome)).toEqual(['ok', 'ok']);

    expectKeyNowhere(home, ADMIN_KEY);
  });

  it('a 429 is waited out', async () => {
    fake.setScenario([fail.rateLimited({ ms: 30 }), fail.rateLimited({ seconds: 0 })]);
    const r = await burnrateAsync(['sync', 'openai', '--json'], env({ BURNRATE_OPENAI_KEY: ADMIN_KEY }));
    expect(r.stderr).toBe('');
    expect(r.json<{ runs: { outcome: string }[] }>().runs[0]!.outcome).toBe('ok');
    expect(fake.requests.slice(0, 3).map((q) => [q.path, q.answer])).toEqual([
      ['/v1/organization/costs', 429],
      ['/v1/organization/costs', 429],
      ['/v1/organization/costs', 200],
    ]);
    const status = await burnrateAsync(['status', '--json'], env());
    expect(status.json<{ providers: { provider: string; monthSpentUsd: string }[] }>().providers).toContainEqual(
      expect.objectContaining({ provider: 'openai', monthSpentUsd: OPENAI_DOCUMENTED.costTotalUsd }),
    );
  });

  it('a 401 says the key is wrong without echoing it, and stores nothing', async () => {
    const wrong = 'sk-admin-WRONGwrongWRONG1234567890zz';
    const r = await burnrateAsync(['sync', 'openai'], env({ BURNRATE_OPENAI_KEY: wrong }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refused the key/i);
    expect(r.stderr).toMatch(/burnrate keys set openai/);
    for (const piece of [wrong, wrong.slice(0, 12), wrong.slice(-8), 'WRONGwrong']) {
      expect(r.stderr).not.toContain(piece);
      expect(r.stdout).not.toContain(piece);
    }
    const runs = await burnrateAsync(['sync', '--history', '--json'], env());
    const recorded = runs.json<{ runs: { outcome: string; errorKind: string; message: string }[] }>().runs;
    expect(recorded).toMatchObject([{ outcome: 'error', errorKind: 'auth' }]);
    expectKeyNowhere(home, wrong);
  });

  it('a garbage answer changes nothing stored', async () => {
    const withKey = env({ BURNRATE_OPENAI_KEY: ADMIN_KEY });
    expect((await burnrateAsync(['sync', 'openai'], withKey)).code).toBe(0);
    const before = (await burnrateAsync(['status', '--json'], withKey)).json<{ providers: unknown[] }>();

    fake.setScenario({ path: '/costs', steps: [fail.garbage('html')] });
    fake.data.costs.get('2026-11-09')![0]!.amount = '999'; // would change the total if anything were taken from an answer
    const r = await burnrateAsync(['sync', 'openai', '--json'], withKey);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { reason: 'malformed', facts: { errorKind: 'malformed' } } });
    const after = (await burnrateAsync(['status', '--json'], withKey)).json<{ providers: unknown[] }>();
    expect(after.providers).toEqual(before.providers);
    fake.data.costs.get('2026-11-09')![0]!.amount = '0.000001';
  });

  it('sync with no provider syncs every provider that has a key, and says so when none has', async () => {
    const none = await burnrateAsync(['sync', '--json'], env());
    expect(none.code).toBe(0);
    expect(none.json<{ runs: unknown[]; message: string }>()).toMatchObject({ runs: [], message: expect.stringMatching(/No provider has a key/) });

    const all = await burnrateAsync(['sync'], env({ BURNRATE_OPENAI_KEY: ADMIN_KEY }));
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^ok {4}Synced OpenAI/m);
  });

  it('keys test says what the key can and cannot do', async () => {
    const r = await burnrateAsync(['keys', 'test', 'openai', '--json'], env({ BURNRATE_OPENAI_KEY: ADMIN_KEY }));
    expect(r.code).toBe(0);
    const t = r.json<{ ok: boolean; kind: string; can: string[]; cannot: string[]; storedIn: string; last4: string }>();
    expect(t).toMatchObject({ ok: true, kind: 'admin', storedIn: 'env', last4: ADMIN_KEY.slice(-4) });
    expect(t.can.length).toBeGreaterThan(0);
    expect(r.stdout).not.toContain(ADMIN_KEY);

    const project = OPENAI_PROJECT_KEY;
    const p = await burnrateAsync(['keys', 'test', 'openai'], env({ BURNRATE_OPENAI_KEY: project }));
    expect(p.code).toBe(1);
    expect(p.stdout).toMatch(/project key; the Costs API needs an admin key \(sk-admin-…\)/);
    expect(p.stdout + p.stderr).not.toContain(project.slice(0, 14));
  });

  it('refuses keys for providers without a billing API, and unknown ones', async () => {
    const groq = await burnrateAsync(['keys', 'set', 'groq'], env(), 'gsk_abcdefghijklmnop\n');
    expect(groq.code).toBe(2);
    expect(groq.stderr).toMatch(/Groq has no billing API/);
    const unknown = await burnrateAsync(['sync', 'nosuch'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/does not know a provider named "nosuch"/);
  });

  it.runIf(process.platform === 'linux')('keys set refuses when no Secret Service answers, and stores the key nowhere', async () => {
    const key = 'sk-admin-NoKeyringHere0123456789abcd';
    const r = await burnrateAsync(['keys', 'set', 'openai'], env(), `${key}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No (keychain|Secret Service) is available/);
    expect(r.stderr).toMatch(/gnome-keyring-daemon --start --components=secrets/);
    expect(r.stderr).toMatch(/BURNRATE_OPENAI_KEY/);
    expect(r.stderr).not.toContain(key.slice(0, 12));
    const list = await burnrateAsync(['keys', 'list', '--json'], env());
    expect(list.json<{ keys: unknown[] }>().keys).toEqual([]);
    expectKeyNowhere(home, key);
  });

  it('a prepaid balance becomes balance readings: the drop between syncs is spend', async () => {
    const deepseek = await startDeepSeekServer();
    try {
      const at = (now: string) => ({ ...env({ BURNRATE_DEEPSEEK_KEY: DEEPSEEK_KEY }), BURNRATE_DEEPSEEK_BASE_URL: deepseek.url, BURNRATE_NOW: now });
      expect((await burnrateAsync(['sync', 'deepseek'], at('2026-11-10T08:00:00Z'))).code).toBe(0);
      deepseek.state.balances = [{ currency: 'USD', total_balance: '40.00', granted_balance: '0.00', topped_up_balance: '40.00' }];
      expect((await burnrateAsync(['sync', 'deepseek'], at('2026-11-10T12:00:00Z'))).code).toBe(0);
      const readings = await burnrateAsync(['readings', 'deepseek', '--json'], at('2026-11-10T12:00:00Z'));
      expect(readings.stdout).toContain('41.27');
      const status = await burnrateAsync(['status', '--json'], at('2026-11-10T12:00:00Z'));
      expect(status.json<{ providers: { provider: string; todaySpentUsd: string; source: string }[] }>().providers).toContainEqual(
        expect.objectContaining({ provider: 'deepseek', todaySpentUsd: '1.27', source: 'balance' }),
      );
    } finally {
      await deepseek.close();
    }
  });
});
