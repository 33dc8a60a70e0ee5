import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANTHROPIC_ADMIN_KEY, ANTHROPIC_DOCUMENTED, startAnthropicServer, type AnthropicServer } from '../../fixtures/servers/anthropic';
import { burnrateAsync, tempHome } from '../../helpers/cli';

/**
 * The "Done when" of reconciliation on replayed data from the sync area's fake Anthropic Admin API:
 * `burnrate sync anthropic` writes the billed days (cost report, cents as decimal strings) and the
 * usage report (tokens, priced from the catalogue: the 'reported' tier, below the bill and above our
 * own estimates), `record --cost` adds estimates, then
 * `reconcile` and `status` run as a user runs them.
 */

/** The CLI, asynchronously: the fake server lives in this process and must keep answering. */
const run = (args: string[], env: Record<string, string>) => burnrateAsync(args, env);

let server: AnthropicServer;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startAnthropicServer();
  home = tempHome('burnrate-reconcile-sync-');
  env = {
    BURNRATE_HOME: home,
    BURNRATE_NOW: '2026-11-11T12:00:00Z',
    TZ: 'UTC',
    BURNRATE_ANTHROPIC_BASE_URL: server.url,
    BURNRATE_ANTHROPIC_KEY: ANTHROPIC_ADMIN_KEY,
    // Never a developer's real keychain.
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/burnrate-test-bus',
  };
});

afterAll(async () => {
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('reconcile after a real sync from the fake Anthropic Admin API', () => {
  it('totals equal the bill exactly, days without a bill use estimates, drift matches a hand calculation, re-running changes nothing', async () => {
    const sync = await run(['sync', 'anthropic', '--json'], env);
    expect(sync.code, sync.stderr).toBe(0);
    for (const [cost, at, id] of [
      ['0.50', '2026-11-01T09:00:00Z', 'note-1'], // an estimate on a billed day
      ['2.00', '2026-11-11T09:00:00Z', 'note-2'], // today: nothing billed yet
    ] as const) {
      const r = await run(['record', '--provider', 'anthropic', '--model', 'claude-sonnet-4-6', '--cost', cost, '--at', at, '--id', id], env);
      expect(r.code, r.stderr).toBe(0);
    }

    // The month counts the ten billed days exactly as documented, plus today's estimate.
    const status = JSON.parse((await run(['status', '--json'], env)).stdout);
    expect(ANTHROPIC_DOCUMENTED.costTotalUsd).toBe('68.270914334');
    expect(status.month.spentUsd).toBe('70.270914334');
    expect(status.day.spentUsd).toBe('2.00');

    const first = await run(['reconcile', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const r1 = JSON.parse(first.stdout);
    expect(r1.changed).toBe(true);
    expect(r1.run).toMatchObject({ from: '2026-10-12', to: '2026-11-10' });
    expect(r1.days).toHaveLength(10);
    expect(r1.providers).toEqual([expect.objectContaining({ provider: 'anthropic', days: 10, coveredDays: 10, billedUsd: '68.270914334', coverageBp: 10_000 })]);
    // 2026-11-01, by hand. Billed (documented): $13.38104. Estimated: the usage report priced at
    // Anthropic's list prices (per million tokens) plus the $0.50 record:
    //   claude-sonnet-4-6: 152,340 input × $3 = 0.45702; 20,000 cache writes (5 m) × $3.75 = 0.075;
    //                      880,000 cache reads × $0.30 = 0.264; 41,210 output × $15 = 0.61815
    //   claude-haiku-4-5:  5,000 input × $1 = 0.005; 1,000 output × $5 = 0.005
    //   api_usage = 0.45702 + 0.075 + 0.264 + 0.61815 + 0.005 + 0.005 = 1.42417 (tier 'reported')
    // The $0.50 record is in the weaker 'estimates' tier: the usage API saw that request too, so it is
    // kept apart (bySource) and not added — the estimate compared is 1.42417, not 1.92417.
    // Drift = 1.42417 - 13.38104 = -11.95687 → -11.95687 / 13.38104 = -8935.68 bp → -8936.
    expect(r1.days[0]).toEqual({
      provider: 'anthropic',
      date: '2026-11-01',
      billedUsd: '13.38104',
      estimatedUsd: '1.42417',
      estimateTier: 'reported',
      driftUsd: '-11.95687',
      driftBp: -8936,
      coverageBp: 10_000,
      unpricedEvents: 0,
      bySourceUsd: { api_usage: '1.42417', manual: '0.50' },
    });

    // The human summary says the 11-01 estimate was the usage API's (the reported tier).
    const human = await run(['accuracy', '--worst', '10'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/2026-11-01\s+anthropic\s+billed \$13\.38104\s+estimated \$1\.42417 \(usage API\)\s+-89\.36%/);

    // A second sync and a second reconcile change nothing.
    const again = await run(['sync', 'anthropic', '--json'], env);
    expect(JSON.parse(again.stdout).runs[0].rowsChanged).toBe(0);
    const r2 = JSON.parse((await run(['reconcile', '--json'], env)).stdout);
    expect(r2.changed).toBe(false);
    expect(r2.run.id).toBe(r1.run.id);
    expect(r2.days).toEqual(r1.days);
  });
});
