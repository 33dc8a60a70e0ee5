import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { startTeamPusher } from '../../../src/team/pusher';
import { pushTeam } from '../../../src/team/sync';
import { teamSpendForEnforcement } from '../../../src/team/enforcement';
import { admin, HAVE_PG, useTeamDatabase } from '../../helpers/team-pg';

const NOW = '2026-03-20T15:00:00Z';
function record(core: Core, id: string, cost: number): void {
  const r = core.usage.write([{ source: 'agent_log', provider: 'openai', externalId: id, model: 'm', costNano: cost, occurredAt: new Date(NOW) }]);
  core.spendChanged('test', r.touched);
}

describe.skipIf(!HAVE_PG)('team: member role, push after changes, enforcement figure', () => {
  const bed = useTeamDatabase(NOW);
  const member = bed.member;
  const db = { get url() { return bed.url(); } };

  it("the documented least-privilege member role joins and pushes, but cannot touch another member's rows or the budgets", async () => {
    const owner = member();
    record(owner, 'o1', 1_000_000_000);
    await dispatch(owner, 'teamJoin', { url: db.url, team: 'roles', member: 'owner' });
    const role = `burnrate_member_${randomBytes(3).toString('hex')}`;
    const dbName = new URL(db.url).pathname.slice(1);
    const sql = fs
      .readFileSync('docs/team-member-role.sql', 'utf8')
      .replaceAll('burnrate_member', role)
      .replace('DATABASE burnrate ', `DATABASE ${dbName} `);
    await admin((q) => q.query(sql), db.url);
    const memberUrl = new URL(db.url);
    memberUrl.username = role;
    memberUrl.password = 'member-secret';

    const bob = member();
    record(bob, 'b1', 2_000_000_000);
    await dispatch(bob, 'teamJoin', { url: memberUrl.toString(), team: 'roles', member: 'bob' });
    expect((await dispatch(bob, 'teamStatus', {})).month.spentUsd).toBe('3.00');
    await expect(dispatch(bob, 'teamBudgetSet', { daily: '5' })).rejects.toThrow(/refused this role: permission denied for table team_budgets/);
    const asMember = async (text: string) => {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: memberUrl.toString() });
      await c.connect();
      try {
        return await c.query(text);
      } finally {
        await c.end();
      }
    };
    expect((await asMember("UPDATE member_rollups SET cost_nano = 1 WHERE member = 'owner'")).rowCount).toBe(0); // RLS: not its rows
    await expect(asMember('DELETE FROM member_rollups')).rejects.toThrow(/permission denied/);
    expect((await dispatch(owner, 'teamStatus', {})).month.spentUsd).toBe('3.00');
    await admin((q) => q.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`), db.url).catch(() => undefined);
  });

  it('a local change is pushed by itself (debounced), without anyone running team push', async () => {
    const a = member();
    await dispatch(a, 'teamJoin', { url: db.url, team: 'auto', member: 'ann' });
    const pusher = startTeamPusher(a, pushTeam, 0);
    try {
      record(a, 'a1', 1_234_567_891); // spendChanged → statusChanged, as every writer does
      // The push runs on its own timer: wait for its explicit result (the figure marked as sent).
      const sent = () => (a.db.prepare('SELECT COUNT(*) AS n FROM team_sent').get() as { n: number }).n;
      while (sent() === 0 || (a.db.prepare('SELECT COUNT(*) AS n FROM team_outbox').get() as { n: number }).n > 0) {
        await pusher.settled();
        await new Promise((r) => setTimeout(r, 10));
      }
      expect((await dispatch(a, 'teamStatus', {})).month.spentUsd).toBe('1.234567891');
    } finally {
      await pusher.stop();
    }
  });

  it('the enforcement figure is the store figure plus this machine’s spend since, without waiting for a refresh', async () => {
    const a = member();
    const b = member();
    await dispatch(a, 'teamJoin', { url: db.url, team: 'enforce', member: 'ann' });
    await dispatch(b, 'teamJoin', { url: db.url, team: 'enforce', member: 'bob' });
    await dispatch(a, 'teamBudgetSet', { daily: '10', enforce: true });
    record(b, 'b1', 2_000_000_000);
    await dispatch(b, 'teamPush', {});
    // A refresh interval longer than the test: only the first call reads the store.
    const source = teamSpendForEnforcement(a, { refreshMs: 3_600_000 });
    record(a, 'a1', 500_000_000); // not pushed yet: the first refresh pushes it
    const first = await source.current();
    expect(first).toMatchObject({ dayNano: 2_500_000_000n, unpushedDayNano: 0n });
    expect(first?.budgets).toMatchObject({ daily: 10_000_000_000, enforce: true });
    record(a, 'a2', 300_000_000); // this machine's new spend counts at once
    record(b, 'b2', 7_000_000_000);
    await dispatch(b, 'teamPush', {}); // another member's: only after the next refresh (the staleness bound)
    const second = await source.current();
    expect(second).toMatchObject({ dayNano: 2_800_000_000n, unpushedDayNano: 300_000_000n, storeAsOf: first!.storeAsOf });
  });
});
