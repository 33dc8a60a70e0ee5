import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShared, type SharedDb } from '../../../src/team/pg';
import { migrateShared } from '../../../src/team/shared-schema';
import { readTeamSnapshot } from '../../../src/team/snapshot';
import { freshDatabase, HAVE_PG } from '../../helpers/team-pg';

/**
 * The rule for totals across machines, as PostgreSQL applies it (src/team/totals.ts): rows put
 * straight into the shared tables, read back through the one statement team status makes.
 */
type Row = { machine: string; member: string; source: string; cost: number; provider?: string; day?: string };

describe.skipIf(!HAVE_PG)('the rule for totals across machines (in PostgreSQL)', () => {
  let fresh: { url: string; drop: () => Promise<void> };
  let db: SharedDb;
  beforeAll(async () => {
    fresh = await freshDatabase();
    const u = new URL(fresh.url);
    const password = decodeURIComponent(u.password);
    u.password = '';
    db = await connectShared({ url: u.toString(), password });
    await migrateShared(db);
  });
  afterAll(async () => {
    await db?.close();
    await fresh?.drop();
  });

  /** A team with these rows, bills and machine organisations; its snapshot for `today`. */
  async function team(rows: Row[], bills: { org: string; amount: number; provider?: string; day?: string }[], orgs: Record<string, string>, today = '2026-03-11') {
    const teamId = randomUUID();
    await db.query('INSERT INTO teams (id, name) VALUES ($1, $2)', [teamId, teamId]);
    const ids = new Map<string, string>();
    for (const r of rows) {
      if (!ids.has(r.machine)) {
        ids.set(r.machine, randomUUID());
        await db.query('INSERT INTO machines (id, team_id, member) VALUES ($1, $2, $3)', [ids.get(r.machine), teamId, r.member]);
      }
    }
    for (const [machine, org] of Object.entries(orgs)) {
      await db.query("INSERT INTO machine_orgs (machine_id, provider, org_id) VALUES ($1, 'openai', $2)", [ids.get(machine), org]);
    }
    for (const r of rows) {
      await db.query(
        `INSERT INTO member_rollups (machine_id, local_day, provider, model, project, source, member, team_id, events, input_tokens, output_tokens,
           cached_input_tokens, cache_write_tokens, cost_nano, unpriced_events, revision)
         VALUES ($1, $2, $3, 'm', '', $4, $5, $6, 1, 0, 0, 0, 0, $7, 0, 1)`,
        [ids.get(r.machine), r.day ?? '2026-03-10', r.provider ?? 'openai', r.source, r.member, teamId, r.cost],
      );
    }
    for (const b of bills) {
      await db.query(
        `INSERT INTO billed_days (team_id, provider, org_id, local_day, model, line_item, project, amount_nano, observed_at, machine_id)
         VALUES ($1, $2, $3, $4, 'm', '', '', $5, now(), 'x')`,
        [teamId, b.provider ?? 'openai', b.org, b.day ?? '2026-03-10', b.amount],
      );
    }
    return readTeamSnapshot(db, teamId, today);
  }
  const byMember = (s: Awaited<ReturnType<typeof team>>) => Object.fromEntries(s.members.map((m) => [m.member, m.monthNano]));

  it('without a bill each machine counts its strongest tier, and the team is their sum', async () => {
    const s = await team(
      [
        { machine: 'm1', member: 'ann', source: 'api_usage', cost: 500 },
        { machine: 'm1', member: 'ann', source: 'agent_log', cost: 450 },
        { machine: 'm2', member: 'bob', source: 'agent_log', cost: 70 },
        { machine: 'm2', member: 'bob', source: 'manual', cost: 30 },
      ],
      [],
      {},
    );
    expect(s.days).toHaveLength(1);
    // ann: reported (500) outranks her agent log; bob: both estimates (70 + 30).
    expect(s.days[0]).toMatchObject({ countedNano: 600n, billedNano: 0n, coveredEstimateNano: 0n, feesNano: 0n });
    expect(byMember(s)).toEqual({ ann: 500n, bob: 100n });
    expect(s.figures.monthSpent).toBe(600n);
  });

  it("an organisation's bill counts once; its machines' estimates are drift; another org's machine and subscriptions still count", async () => {
    const s = await team(
      [
        { machine: 'm1', member: 'ann', source: 'agent_log', cost: 300 },
        { machine: 'm2', member: 'bob', source: 'api_usage', cost: 600 },
        { machine: 'm2', member: 'bob', source: 'subscription', cost: 20 },
        { machine: 'm3', member: 'cy', source: 'agent_log', cost: 40 },
      ],
      [{ org: 'org-a', amount: 1000 }],
      { m1: 'org-a', m2: 'org-a', m3: 'org-b' },
    );
    expect(s.days[0]).toMatchObject({ countedNano: 1000n + 20n + 40n, billedNano: 1000n, coveredEstimateNano: 300n + 600n, feesNano: 20n });
    expect(byMember(s)).toEqual({ bob: 20n, cy: 40n });
  });

  it('a bill covers only its own day and provider; today and the month are this calendar', async () => {
    const s = await team(
      [
        { machine: 'm1', member: 'ann', source: 'agent_log', cost: 300, day: '2026-03-11' },
        { machine: 'm1', member: 'ann', source: 'agent_log', cost: 5, provider: 'anthropic' },
      ],
      [{ org: 'default', amount: 1000 }],
      {},
    );
    expect(s.days.map((d) => [d.localDay, d.provider, d.countedNano])).toEqual([
      ['2026-03-10', 'anthropic', 5n],
      ['2026-03-10', 'openai', 1000n],
      ['2026-03-11', 'openai', 300n],
    ]);
    expect(s.figures).toMatchObject({ today: '2026-03-11', daySpent: 300n, monthSpent: 1305n });
    expect(s.members).toEqual([{ member: 'ann', monthNano: 305n, todayNano: 300n }]);
  });

  it('a billed-tier row of a machine is not an estimate it counts, and sums past 2^53 stay exact', async () => {
    const big = 9_000_000_000_000_000; // $9M in nano: two of them pass Number.MAX_SAFE_INTEGER
    const s = await team(
      [
        { machine: 'm1', member: 'ann', source: 'billing_api', cost: 777 },
        { machine: 'm1', member: 'ann', source: 'agent_log', cost: big },
        { machine: 'm2', member: 'bob', source: 'agent_log', cost: big },
      ],
      [],
      {},
    );
    expect(s.days[0]!.countedNano).toBe(18_000_000_000_000_000n);
    expect(byMember(s)).toEqual({ ann: 9_000_000_000_000_000n, bob: 9_000_000_000_000_000n });
  });
});
