import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { addNano, parseUsd, type Nano } from '../../../src/money';
import type { Notice } from '../../../src/model/ports';
import { BIN } from '../../helpers/cli';
import { admin, HAVE_PG, useTeamDatabase } from '../../helpers/team-pg';

const NOW = '2026-03-20T15:00:00Z';
const usd = (s: string): Nano => parseUsd(s);
const monthOf = async (core: Core): Promise<Nano> => usd((await dispatch(core, 'status', {})).month.spentUsd);
const team = (core: Core) => dispatch(core, 'teamStatus', {});

function record(core: Core, id: string, provider: string, cost: Nano, day = 10, source: 'manual' | 'agent_log' = 'agent_log'): void {
  core.usage.write([{ source, provider, externalId: id, model: 'm', costNano: cost, occurredAt: new Date(Date.UTC(2026, 2, day, 9)) }]);
}

function bill(core: Core, provider: string, day: number, amount: Nano): void {
  const start = new Date(Date.UTC(2026, 2, day));
  core.billed.write([{ provider, externalId: `${provider}-${day}`, bucketStart: start, bucketEnd: new Date(start.getTime() + 86_400_000), model: 'm', amountNano: amount }]);
}

/** A TCP relay to PostgreSQL that the test can cut and restore: a member's network going away. */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    port: () => port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
    restore: open,
  };
}

describe.skipIf(!HAVE_PG)('team push: bills once, offline catch-up, crashes, alerts', () => {
  const bed = useTeamDatabase(NOW);
  const member = bed.member;
  const db = { get url() { return bed.url(); } };

  it("counts the same organisation's bill once, and the covered members' estimates as drift", async () => {
    const [a, b, c] = [member(), member(), member()];
    // a and b sync the same OpenAI organisation: the same bill lands in both ledgers.
    bill(a, 'openai', 10, 5_000_000_001);
    bill(b, 'openai', 10, 5_000_000_001);
    record(a, 'a1', 'openai', 1_700_000_000); // a's agent log for the billed day: inside the bill
    record(b, 'b1', 'openai', 2_100_000_000); // b's too
    record(b, 'b2', 'openai', 300_000_000, 11); // a day without a bill: counts
    // c belongs to another OpenAI organisation: its estimates are not covered by org-shared's bill.
    record(c, 'c1', 'openai', 900_000_007);
    await dispatch(a, 'teamJoin', { url: db.url, team: 'orgs', member: 'ann', orgs: { openai: 'org-shared' } });
    await dispatch(b, 'teamJoin', { url: db.url, team: 'orgs', member: 'bob', orgs: { openai: 'org-shared' } });
    await dispatch(c, 'teamJoin', { url: db.url, team: 'orgs', member: 'cy', orgs: { openai: 'org-other' } });

    const s = await team(a);
    // bill once + b's unbilled day + c's estimate; never the bill twice, never a's or b's estimates for day 10.
    expect(usd(s.month.spentUsd)).toBe(5_000_000_001 + 300_000_000 + 900_000_007);
    expect(usd(s.billedMonthUsd)).toBe(5_000_000_001);
    expect(usd(s.coveredEstimatesMonthUsd)).toBe(1_700_000_000 + 2_100_000_000);
    const rows = await admin((q) => q.query("SELECT COUNT(*)::int AS n FROM billed_days WHERE org_id = 'org-shared'"), db.url);
    expect(rows.rows[0].n).toBe(1);
    // Each member alone counts the bill once too; the team is less than their sum exactly by the shared bill.
    let sum: Nano = 0;
    for (const m of [a, b, c]) sum = addNano(sum, await monthOf(m));
    expect(usd(s.month.spentUsd)).toBe(sum - 5_000_000_001);
  });

  it('a member offline for a day catches up in order, and a re-sent outbox after a crash changes nothing', async () => {
    const a = member();
    const b = member();
    const pg = new URL(db.url);
    const net1 = await relay({ host: pg.hostname, port: Number(pg.port) });
    const viaRelay = new URL(db.url);
    viaRelay.port = String(net1.port());
    record(a, 'a1', 'anthropic', 1_000_000_001, 1);
    await dispatch(a, 'teamJoin', { url: db.url, team: 'offline', member: 'ann' });
    await dispatch(b, 'teamJoin', { url: viaRelay.toString(), team: 'offline', member: 'bob' });

    await net1.cut();
    // A day of work offline: the same day's figure changes three times, another day appears.
    record(b, 'b1', 'anthropic', 2_000_000_000, 5);
    await expect(dispatch(b, 'teamPush', {})).rejects.toThrow(/did not answer.*wait in this machine's outbox/);
    record(b, 'b2', 'anthropic', 3_000_000_000, 5);
    await expect(dispatch(b, 'teamPush', {})).rejects.toThrow(/did not answer/);
    record(b, 'b3', 'anthropic', 4_000_000_000, 6);
    await expect(dispatch(b, 'teamPush', {})).rejects.toThrow(/did not answer/);
    const queued = b.db.prepare('SELECT seq, payload FROM team_outbox ORDER BY seq').all() as { seq: number; payload: string }[];
    expect(queued.length).toBe(3); // day 5 twice (2.00, then 5.00), day 6 once
    expect(usd((await team(a)).month.spentUsd)).toBe(1_000_000_001); // the team has not seen b's day yet

    await net1.restore();
    const caught = await dispatch(b, 'teamPush', {});
    expect(caught).toMatchObject({ pushed: 3, pending: 0, revision: queued.at(-1)!.seq });
    const bobDay5 = await admin((q) => q.query("SELECT cost_nano::text AS c, revision::int AS r FROM member_rollups WHERE member = 'bob' AND local_day = '2026-03-05'"), db.url);
    expect(bobDay5.rows).toEqual([{ c: '5000000000', r: queued[1]!.seq }]); // the newest figure, with its revision
    const total = usd((await team(a)).month.spentUsd);
    expect(total).toBe((await monthOf(a)) + (await monthOf(b)));

    // Killed after the store committed and before the outbox was emptied: the same rows go again.
    const insert = b.db.prepare('INSERT INTO team_outbox (seq, kind, payload, queued_at) VALUES (?, ?, ?, ?)');
    for (const q of queued) insert.run(q.seq, 'member', q.payload, NOW);
    const again = await dispatch(b, 'teamPush', {});
    expect(again.pushed).toBe(3);
    expect(usd((await team(a)).month.spentUsd)).toBe(total);
    const stale = await admin((q) => q.query("SELECT cost_nano::text AS c FROM member_rollups WHERE member = 'bob' AND local_day = '2026-03-05'"), db.url);
    expect(stale.rows).toEqual([{ c: '5000000000' }]); // the older 2.00 (a lower revision) did not overwrite it
    await net1.cut();
  });

  it('a push killed with SIGKILL in the middle changes nothing; the next push completes it', async () => {
    const a = member();
    record(a, 'a1', 'mistral', 1_111_111_111, 3);
    const joined = await dispatch(a, 'teamJoin', { url: db.url, team: 'crash', member: 'ann' });
    record(a, 'a2', 'mistral', 2_222_222_222, 4);
    record(a, 'a3', 'mistral', 3_333_333_333, 7);
    const password = new URL(db.url).password;
    const before = usd((await team(a)).month.spentUsd);

    // Hold this machine's row so the child's push blocks inside its transaction, then kill it there.
    const killedInside = await admin(async (q) => {
      await q.query('BEGIN');
      await q.query('SELECT 1 FROM machines WHERE id = $1 FOR UPDATE', [joined.machineId]);
      const child = spawn(process.execPath, [BIN, 'team', 'push'], {
        env: { ...process.env, TZ: 'UTC', BURNRATE_HOME: a.home, BURNRATE_NOW: NOW, BURNRATE_TEAM_POSTGRES_KEY: password },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      let done = false;
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => {
          done = true;
          resolve(signal);
        }),
      );
      // Wait for the explicit signal that it is blocked on our lock (no sleeping and hoping).
      for (;;) {
        // Inside a transaction the activity view is a snapshot: clear it to see the child now.
        await q.query('SELECT pg_stat_clear_snapshot()');
        const waiting = await q.query("SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'burnrate %' AND wait_event_type = 'Lock'");
        if (waiting.rowCount) break;
        if (done) throw new Error(`the push ended before it blocked: ${stderr}`);
        // Polled, not slept on: the condition is explicit; the pause only leaves the child the CPU.
        await new Promise((r) => setTimeout(r, 25));
      }
      child.kill('SIGKILL');
      const signal = await exited;
      await q.query('ROLLBACK');
      return signal;
    }, db.url);
    expect(killedInside).toBe('SIGKILL');
    // The store rolled the half-done push back: nothing of it counts.
    expect(usd((await team(a)).month.spentUsd)).toBe(before);
    // The next push sends what the killed one queued (in the outbox since before it connected).
    await dispatch(a, 'teamPush', {});
    expect(usd((await team(a)).month.spentUsd)).toBe(await monthOf(a));
    // And a re-push changes nothing.
    expect(await dispatch(a, 'teamPush', {})).toMatchObject({ pushed: 0 });
    expect(usd((await team(a)).month.spentUsd)).toBe(await monthOf(a));
  }, 120_000);

  it("a team budget's alert fires once across members and pushes", async () => {
    const noticesA: Notice[] = [];
    const noticesB: Notice[] = [];
    const a = member(noticesA);
    const b = member(noticesB);
    await dispatch(a, 'teamJoin', { url: db.url, team: 'budget', member: 'ann' });
    await dispatch(b, 'teamJoin', { url: db.url, team: 'budget', member: 'bob' });
    await dispatch(a, 'teamBudgetSet', { monthly: '10' });
    record(a, 'a1', 'openai', 3_000_000_000, 20); // $3 alone: under 50 % of $8 spendable
    await dispatch(a, 'teamPush', {});
    expect([...noticesA, ...noticesB]).toEqual([]);
    record(b, 'b1', 'openai', 8_500_000_000, 20); // together $11.50: past the whole $10
    await dispatch(b, 'teamPush', {});
    await dispatch(a, 'teamPush', {});
    record(a, 'a2', 'openai', 1, 20);
    await dispatch(a, 'teamPush', {});
    await dispatch(b, 'teamPush', {});
    const all = [...noticesA, ...noticesB];
    expect(all.map((n) => n.body)).toEqual(['Team: This month\'s spend exceeded the monthly budget: $11.50 of $10.00.']);
    expect(noticesB).toHaveLength(1); // b's push crossed it
    const rows = await admin((q) => q.query("SELECT rule FROM team_alerts a JOIN teams t ON t.id = a.team_id WHERE t.name = 'budget' ORDER BY rule"), db.url);
    expect(rows.rows.map((r: { rule: string }) => r.rule)).toEqual(['month_50', 'month_80', 'month_exceeded', 'month_reserve']);
    const s = await team(a);
    expect(s.month).toMatchObject({ budgetUsd: '10.00', health: 'exceeded' });
    expect(s.members.map((m) => [m.member, m.shareBp])).toEqual([
      ['ann', 2609],
      ['bob', 7391],
    ]);
  });
});
