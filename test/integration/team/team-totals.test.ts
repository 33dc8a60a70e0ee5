import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { addNano, parseUsd, type Nano } from '../../../src/money';
import type { Source } from '../../../src/model/ledger';
import { teamSnapshotQuery } from '../../../src/team/snapshot';
import { admin, HAVE_PG, useTeamDatabase } from '../../helpers/team-pg';

const NOW = '2026-03-20T15:00:00Z';
/** Deterministic spend with nano-level amounts over March's days, several providers, models, projects and sources. */
function spend(core: Core, seed: number, count: number): void {
  const sources: Source[] = ['manual', 'agent_log', 'proxy'];
  const providers = ['openai', 'anthropic', 'mistral'];
  core.usage.write(
    Array.from({ length: count }, (_, i) => {
      const n = seed * 1000 + i;
      return {
        source: sources[n % 3]!,
        provider: providers[(n >> 1) % 3]!,
        externalId: `m${seed}-e${i}`,
        model: `model-${n % 4}`,
        project: `p${n % 2}`,
        inputTokens: 100 + n,
        outputTokens: 7 * n,
        costNano: 1_234_567 + ((n * 7_919_131) % 900_000_007),
        occurredAt: new Date(Date.UTC(2026, 2, 1 + (n % 20), n % 24, (n * 7) % 60)),
      };
    }),
  );
}

const usd = (s: string): Nano => parseUsd(s);
const monthOf = async (core: Core): Promise<Nano> => usd((await dispatch(core, 'status', {})).month.spentUsd);
const teamMonth = async (core: Core): Promise<Nano> => usd((await dispatch(core, 'teamStatus', {})).month.spentUsd);

describe.skipIf(!HAVE_PG)('team totals on a real PostgreSQL', () => {
  const bed = useTeamDatabase(NOW);
  const member = bed.member;
  const db = { get url() { return bed.url(); } };

  for (const size of [2, 5]) {
    it(`${size} members: the team's total is the sum of the members' own totals, to the nano`, async () => {
      const team = `t${size}`;
      const members = Array.from({ length: size }, () => member());
      members.forEach((m, i) => spend(m, i + size * 10, 40 + i * 7));
      for (const [i, m] of members.entries()) {
        const joined = await dispatch(m, 'teamJoin', { url: db.url, team, member: `person${i}` });
        expect(joined.pushed).toBeGreaterThan(0);
        expect(joined.passwordStoredIn).toBe('test keychain');
      }
      let sum: Nano = 0;
      for (const m of members) sum = addNano(sum, await monthOf(m));
      expect(sum).toBeGreaterThan(0);
      for (const m of members) expect(await teamMonth(m)).toBe(sum);
      const status = await dispatch(members[0]!, 'teamStatus', {});
      expect(status.members.map((x) => x.member)).toEqual(members.map((_, i) => `person${i}`));
      let shares: Nano = 0;
      for (const x of status.members) shares = addNano(shares, usd(x.monthSpentUsd));
      expect(shares).toBe(sum);

      // A re-push of unchanged figures sends nothing and changes nothing.
      const again = await dispatch(members[1]!, 'teamPush', {});
      expect(again).toMatchObject({ queued: 0, pushed: 0, pending: 0 });
      expect(await teamMonth(members[0]!)).toBe(sum);

      // New local spend reaches the team on the next push, and only that.
      spend(members[1]!, 999 + size, 3);
      const pushed = await dispatch(members[1]!, 'teamPush', {});
      expect(pushed.pushed).toBeGreaterThan(0);
      let after: Nano = 0;
      for (const m of members) after = addNano(after, await monthOf(m));
      expect(after).toBeGreaterThan(sum);
      expect(await teamMonth(members[0]!)).toBe(after);
    });
  }

  it('keeps the password out of the ledger and off every answer', async () => {
    const m = member();
    spend(m, 77, 3);
    const secret = new URL(db.url).password;
    const joined = await dispatch(m, 'teamJoin', { url: db.url, team: 'secrets', member: 'a' });
    expect(JSON.stringify(joined)).not.toContain(secret);
    expect(JSON.stringify(await dispatch(m, 'teamStatus', {}))).not.toContain(secret);
    const settings = m.db.prepare('SELECT value FROM settings').all() as { value: string }[];
    expect(settings.some((s) => s.value.includes('127.0.0.1'))).toBe(true); // the URL is stored …
    expect(settings.some((s) => s.value.includes(secret))).toBe(false); // … without its password
    m.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(path.join(m.home, 'ledger.sqlite')).includes(secret)).toBe(false);
  });

  it('refuses a URL that is not PostgreSQL, and a store that does not answer, in one sentence each', async () => {
    const m = member();
    await expect(dispatch(m, 'teamJoin', { url: 'mysql://x@localhost/db' })).rejects.toThrow(/must start with postgres:\/\//);
    await expect(dispatch(m, 'teamJoin', { url: 'postgres://u:pw@127.0.0.1:1/db' })).rejects.toThrow(/did not answer/);
    await expect(dispatch(m, 'teamStatus', {})).rejects.toThrow(/has not joined a team/);
  });

  it('status reads the indexes, not the tables', async () => {
    const plan = await admin(async (c) => {
      await c.query('BEGIN');
      // A table this small is cheapest to read whole; with sequential scans priced out, the plan shows
      // that an index serves the query at all (the bench shows the planner's own choice at scale).
      await c.query('SET LOCAL enable_seqscan = off');
      // The statement team status sends (history included: the forecast's weeks before the month).
      const q = teamSnapshotQuery('x', '2026-03-20', { history: true });
      const r = await c.query(`EXPLAIN ${q.sql}`, q.params);
      await c.query('ROLLBACK');
      return r.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
    }, db.url);
    expect(plan).toMatch(/Index Only Scan using member_rollups_team_day_rule/);
    expect(plan).toMatch(/Index Only Scan using billed_days_team_day/);
    expect(plan).not.toMatch(/Seq Scan on (member_rollups|billed_days)/);
  });
});
