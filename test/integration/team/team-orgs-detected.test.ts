import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { addNano, parseUsd } from '../../../src/money';
import { fixedClock } from '../../../src/time';
import { ANTHROPIC_ADMIN_KEY, ANTHROPIC_DOCUMENTED, OPENAI_ADMIN_KEY, OPENAI_DOCUMENTED, startAnthropicServer, startOpenAIServer, type AnthropicServer, type OpenAIServer } from '../../fixtures/servers';
import { tempHome } from '../../helpers/cli';
import { admin, freshDatabase, HAVE_PG, memoryKeychain } from '../../helpers/team-pg';

// The organisation a bill belongs to is what the provider says at sync, not something to declare:
// OpenAI names it in every answer's openai-organization header, Anthropic at GET /v1/organizations/me
// (local fake servers speaking those documented shapes). --org stays an override.
const NOW = '2026-11-10T12:00:00Z';

describe.skipIf(!HAVE_PG)('organisations detected at sync key the team’s bills', () => {
  let db: { url: string; drop: () => Promise<void> };
  let one: OpenAIServer;
  let two: OpenAIServer;
  let anthropic: AnthropicServer;
  const homes: string[] = [];
  const cores: Core[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
    one = await startOpenAIServer({ organization: 'org-one' });
    two = await startOpenAIServer({ organization: 'org-two' });
    anthropic = await startAnthropicServer({ organization: '4f2c7a0e-1b1d-4a5e-9c3b-0d6e2f8a9b11' });
  });
  afterAll(async () => {
    for (const c of cores) c.close();
    await Promise.all([one, two, anthropic].map((s) => s?.close()));
    await db?.drop();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  /** A member whose OpenAI key belongs to `openai`'s organisation, with an agent-log estimate on a billed day. */
  async function member(openai: OpenAIServer, name: string, withAnthropic = false): Promise<Core> {
    const home = tempHome('burnrate-team-org-');
    homes.push(home);
    const env = {
      BURNRATE_OPENAI_BASE_URL: openai.url,
      BURNRATE_OPENAI_KEY: OPENAI_ADMIN_KEY,
      ...(withAnthropic ? { BURNRATE_ANTHROPIC_BASE_URL: anthropic.url, BURNRATE_ANTHROPIC_KEY: ANTHROPIC_ADMIN_KEY } : {}),
    };
    const core = openCore({ home, clock: fixedClock(NOW), timeZone: 'UTC', env, secrets: memoryKeychain() });
    cores.push(core);
    core.usage.write([{ source: 'agent_log', provider: 'openai', externalId: `${name}-est`, model: 'gpt-4o', costNano: 1_000_000_007, occurredAt: new Date('2026-11-05T10:00:00Z') }]);
    const synced = await dispatch(core, 'sync', {});
    expect(synced.runs.every((r) => r.outcome === 'ok')).toBe(true);
    return core;
  }

  it('two members of one organisation count its bill once, a third of another counts its own; nobody declared an org', async () => {
    const a = await member(one, 'a', true);
    const b = await member(one, 'b');
    const c = await member(two, 'c');
    for (const [core, name] of [[a, 'ann'], [b, 'bob'], [c, 'cy']] as const) await dispatch(core, 'teamJoin', { url: db.url, team: 'det', member: name });

    const orgs = await admin(async (x) => (await x.query('SELECT DISTINCT provider, org_id FROM billed_days ORDER BY 1, 2')).rows, db.url);
    expect(orgs).toEqual([
      { provider: 'anthropic', org_id: '4f2c7a0e-1b1d-4a5e-9c3b-0d6e2f8a9b11' },
      { provider: 'openai', org_id: 'org-one' },
      { provider: 'openai', org_id: 'org-two' },
    ]);
    const s = await dispatch(a, 'teamStatus', {});
    const openaiBill = parseUsd(OPENAI_DOCUMENTED.costTotalUsd);
    // org-one's bill once (a and b synced it), org-two's once, Anthropic's once; every estimate is inside a bill.
    expect(parseUsd(s.billedMonthUsd)).toBe(addNano(addNano(openaiBill, openaiBill), parseUsd(ANTHROPIC_DOCUMENTED.costTotalUsd)));
    expect(parseUsd(s.month.spentUsd)).toBe(parseUsd(s.billedMonthUsd));
    // Each member's estimates (its agent log and the usage API's tokens) are drift against its own organisation's bill.
    const estimates = [a, b, c].reduce((sum, core) => sum + (core.db.prepare('SELECT COALESCE(SUM(cost_total_nano), 0) AS n FROM usage_events').get() as { n: number }).n, 0);
    expect(estimates).toBeGreaterThan(3 * 1_000_000_007);
    expect(parseUsd(s.coveredEstimatesMonthUsd)).toBe(estimates);
  });

  it('--org overrides what the provider said', async () => {
    const d = await member(one, 'd');
    await dispatch(d, 'teamJoin', { url: db.url, team: 'override', member: 'dee', orgs: { openai: 'org-declared' } });
    const rows = await admin(async (x) => (await x.query("SELECT DISTINCT b.org_id FROM billed_days b JOIN teams t ON t.id = b.team_id WHERE t.name = 'override'")).rows, db.url);
    expect(rows).toEqual([{ org_id: 'org-declared' }]);
  });
});
