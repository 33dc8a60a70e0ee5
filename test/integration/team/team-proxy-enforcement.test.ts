import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { setPolicies } from '../../../src/budget/policies';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { teamSpendForEnforcement } from '../../../src/team/enforcement';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';
import { HAVE_PG, useTeamDatabase } from '../../helpers/team-pg';

// The members' clocks are fixed on this instant: the proxy's rows, the push and the team's "today" agree.
const NOW = '2026-03-20T15:00:00Z';

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});

/** A member's metering proxy, enforcing the team's figure read from the real store. */
function proxyOf(core: Core): Promise<RunningProxy> {
  return startProxy(core, core.prices, { port: 0, env: { BURNRATE_OPENAI_BASE_URL: fake.url }, team: teamSpendForEnforcement(core, { refreshMs: 0 }) });
}

/** One Chat Completions request through a proxy: its status and the error message if refused. */
async function chat(proxy: RunningProxy, maxTokens: number, output = 20, critical = false): Promise<{ status: number; message: string | null }> {
  const res = await fetch(`${proxy.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-test-team-key',
      'x-fake-output': String(output),
      ...(critical ? { 'x-burnrate-priority': 'critical' } : {}),
    },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: maxTokens, messages: [{ role: 'user', content: 'hello' }] }),
  });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message ?? null };
}

function proxySpend(core: Core): number {
  return (core.db.prepare(`SELECT COALESCE(SUM(cost_total_nano), 0) AS n FROM usage_events WHERE source = 'proxy'`).get() as { n: number }).n;
}

describe.skipIf(!HAVE_PG)("team: every member's metering proxy enforces the team's budget", () => {
  const bed = useTeamDatabase(NOW);

  it("member B's proxy refuses a request that its personal budget allows but the team's total (A's pushed spend) does not", async () => {
    const a = bed.member();
    const b = bed.member();
    await dispatch(a, 'teamJoin', { url: bed.url(), team: 'enf', member: 'ann' });
    await dispatch(b, 'teamJoin', { url: bed.url(), team: 'enf', member: 'bob' });

    // A spends through its own proxy and pushes.
    const pa = await proxyOf(a);
    try {
      expect((await chat(pa, 50)).status).toBe(200);
    } finally {
      await pa.close();
    }
    const spentA = proxySpend(a);
    expect(spentA).toBeGreaterThan(0);
    await dispatch(a, 'teamPush', {});

    // The team's daily budget leaves $0.001 after A's spend (no reserve); B's request reserves more:
    // 4,096 output tokens of gpt-4o-mini at $0.60 per million alone are $0.0024576.
    const dailyUsd = ((spentA + 1_000_000) / 1e9).toFixed(9);
    await dispatch(a, 'teamBudgetSet', { daily: dailyUsd, reservePct: 0, enforce: true });
    // B's personal daily budget, enforced too, is far from that request's reach.
    applyBudgetChange(b.db, { daily: 100_000_000_000, reserveBp: 0 }, new Date(NOW));
    setPolicies(b.db, [{ kind: 'daily' }], 'enforce', new Date(NOW));

    const pb = await proxyOf(b);
    try {
      const refused = await chat(pb, 4096);
      expect(refused.status).toBe(402);
      expect(refused.message).toMatch(/^Burnrate refused this request: the team "enf" daily budget of \$/);
      expect(refused.message).toContain('$0.001 is left');
      expect(proxySpend(b)).toBe(0); // nothing was forwarded or recorded

      // The same request once the team budget is no longer enforced: B's personal line alone lets it through.
      await dispatch(a, 'teamBudgetSet', { enforce: false });
      await pb.refreshTeam();
      expect((await chat(pb, 4096)).status).toBe(200);
    } finally {
      await pb.close();
    }
  });

  it("one member's sequential requests stop where the team line is: this machine's spend counts at once, not after a refresh", async () => {
    const a = bed.member();
    await dispatch(a, 'teamJoin', { url: bed.url(), team: 'small', member: 'ann' });
    // $0.01 for the day, no reserve. Each request reserves about $0.00246 (4,096 output tokens) and
    // costs about $0.0024 (4,000 served): four fit, the fifth's reservation would pass the line.
    await dispatch(a, 'teamBudgetSet', { daily: '0.01', reservePct: 0, enforce: true });
    const pa = await proxyOf(a);
    try {
      const statuses: number[] = [];
      // Sequential requests: each admission sees the spend the previous one wrote, not a 30 s-old figure.
      for (let i = 0; i < 6; i++) statuses.push((await chat(pa, 4096, 4000)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 402, 402]);
      expect(proxySpend(a)).toBeLessThanOrEqual(10_000_000);
    } finally {
      await pa.close();
    }
  });

  it("critical requests may spend the team's reserve; a team provider cap is a line of its own", async () => {
    const a = bed.member();
    await dispatch(a, 'teamJoin', { url: bed.url(), team: 'reserve', member: 'ann' });
    // $0.004 a day, half kept in reserve: an ordinary request reserving about $0.00246 passes the
    // $0.002 spendable line; marked critical it may reach the whole $0.004.
    await dispatch(a, 'teamBudgetSet', { daily: '0.004', reservePct: 50, enforce: true });
    const pa = await proxyOf(a);
    try {
      const ordinary = await chat(pa, 4096);
      expect(ordinary.status).toBe(402);
      expect(ordinary.message).toContain('the team "reserve" daily budget of $0.004 ($0.002 spendable');
      expect((await chat(pa, 4096, 20, true)).status).toBe(200);

      await dispatch(a, 'teamBudgetSet', { daily: '100', reservePct: 0 });
      await dispatch(a, 'teamBudgetSet', { provider: 'openai', monthly: '0.002' });
      await pa.refreshTeam();
      const capped = await chat(pa, 4096, 20, true);
      expect(capped.status).toBe(402);
      expect(capped.message).toMatch(/the team "reserve" openai monthly cap of \$0\.002 would be passed/);
      expect((await chat(pa, 100)).status).toBe(200); // a small request still fits under the cap
    } finally {
      await pa.close();
    }
  });

  it('a store that never answers leaves the personal lines only, said once in the log', async () => {
    const a = bed.member();
    await dispatch(a, 'teamJoin', { url: bed.url(), team: 'gone', member: 'ann' });
    await dispatch(a, 'teamBudgetSet', { daily: '0.000001', reservePct: 0, enforce: true });
    const unreachable = { current: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) };
    const log: string[] = [];
    const pa = await startProxy(a, a.prices, { port: 0, env: { BURNRATE_OPENAI_BASE_URL: fake.url }, team: unreachable, log: (l) => log.push(l) });
    try {
      await pa.refreshTeam();
      expect((await chat(pa, 50)).status).toBe(200);
      expect(log.filter((l) => l.includes("team's shared store has not answered"))).toHaveLength(1);
    } finally {
      await pa.close();
    }
  });
});
