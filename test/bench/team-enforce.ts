/**
 * `npm run bench -- team-enforce`: how far several members spending at once can pass an enforced
 * team budget (docs/team.md, "Enforcement by the proxy"). Each member has its own BURNRATE_HOME,
 * its own metering proxy (reading the team figure every REFRESH ms) and its own push cadence
 * (PUSH ms, as the debounced pusher); all push to one real PostgreSQL database
 * (BURNRATE_BENCH_PG_URL, else BURNRATE_TEST_PG_URL) and send requests through their proxies to a
 * local fake upstream until their proxies refuse. The overshoot is the team's final total minus
 * the budget; it is printed in USD, as a ratio to the budget, and as a ratio to its bound: what the
 * other members can spend in one staleness window (their spend rate × (REFRESH + PUSH), plus one
 * request each in flight at the read). The real
 * cadence is 30 s + 5 s; the bench shortens both so that a run takes seconds — the ratio to the
 * bound is what carries over. A single member (no one else's spend to be stale about) is the
 * baseline, measured in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dispatch } from '../../src/api/dispatch';
import { openCore, type Core } from '../../src/app/open';
import { parseUsdTotal } from '../../src/money';
import type { SecretStore } from '../../src/model/ports';
import { startProxy, type RunningProxy } from '../../src/proxy/server';
import { teamSpendForEnforcement } from '../../src/team/enforcement';
import { startFakeUpstream } from '../fixtures/llm/fake-upstream';

const PG_URL = process.env.BURNRATE_BENCH_PG_URL ?? process.env.BURNRATE_TEST_PG_URL ?? '';
const MEMBERS = Number(process.env.BENCH_TEAM_MEMBERS ?? 4);
const REFRESH_MS = Number(process.env.BENCH_TEAM_REFRESH_MS ?? 1000);
const PUSH_MS = Number(process.env.BENCH_TEAM_PUSH_MS ?? 500);
const BUDGET_NANO = 1_000_000_000; // $1 a day, no reserve
/** Pause between one member's requests: sets each member's spend rate. */
const PACE_MS = Number(process.env.BENCH_TEAM_PACE_MS ?? 40);
const line = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const round = (v: number, d = 3) => Number(v.toFixed(d));

function memoryKeychain(): SecretStore {
  const keys = new Map<string, string>();
  return { description: 'bench keychain', get: async (k) => keys.get(k) ?? null, set: async (k, v) => void keys.set(k, v), delete: async (k) => keys.delete(k) };
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

interface Member {
  core: Core;
  proxy: RunningProxy;
  home: string;
  admitted: number;
}

async function run(members: number, fakeUrl: string): Promise<Record<string, number>> {
  const name = `burnrate_b_${randomBytes(5).toString('hex')}`;
  await admin(PG_URL, `CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const team: Member[] = [];
  try {
    for (let i = 0; i < members; i++) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-team-'));
      const core = openCore({ home, timeZone: 'UTC', env: {}, secrets: memoryKeychain() });
      await dispatch(core, 'teamJoin', { url: u.toString(), team: 'bench', member: `m${i}` });
      if (i === 0) await dispatch(core, 'teamBudgetSet', { daily: String(BUDGET_NANO / 1e9), reservePct: 0, enforce: true });
      const proxy = await startProxy(core, core.prices, {
        port: 0,
        env: { BURNRATE_OPENAI_BASE_URL: fakeUrl },
        team: teamSpendForEnforcement(core, { refreshMs: 0 }),
        teamRefreshMs: REFRESH_MS,
      });
      team.push({ core, proxy, home, admitted: 0 });
    }
    const started = performance.now();
    let stop = false;
    const pushers = team.map(async (m) => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, PUSH_MS));
        await dispatch(m.core, 'teamPush', {});
      }
    });
    const spenders = team.map(async (m) => {
      let refusals = 0;
      while (refusals < 3) {
        const res = await fetch(`${m.proxy.url}/openai/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'x-fake-output': '4000' },
          body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 4096, messages: [{ role: 'user', content: 'hello' }] }),
        });
        await res.arrayBuffer();
        if (res.status === 402) refusals++;
        else m.admitted++;
        await new Promise((r) => setTimeout(r, PACE_MS));
      }
    });
    await Promise.all(spenders);
    const seconds = (performance.now() - started) / 1000;
    stop = true;
    await Promise.all(pushers);
    for (const m of team) await dispatch(m.core, 'teamPush', {});
    const status = await dispatch(team[0]!.core, 'teamStatus', {});
    // Exact to the nano, as the store sums it; a Number only for the printed ratios (well under 2^53).
    const totalNano = Number(parseUsdTotal(status.day.spentUsd));
    const overshoot = Math.max(0, totalNano - BUDGET_NANO);
    // Each member's spend rate over the run, and what the others spend in one staleness window.
    // Plus one request each of theirs in flight at the read (admitted, not yet written or pushed).
    const ratePerMember = totalNano / members / seconds;
    const largest = Math.max(...team.map((m) => (m.core.db.prepare(`SELECT COALESCE(MAX(cost_total_nano), 0) AS n FROM usage_events WHERE source = 'proxy'`).get() as { n: number }).n));
    const bound = (members - 1) * (ratePerMember * ((REFRESH_MS + PUSH_MS) / 1000) + largest);
    return { members, seconds: round(seconds, 2), requests: team.reduce((n, m) => n + m.admitted, 0), totalUsd: totalNano / 1e9, overshootUsd: overshoot / 1e9, overshootOfBudget: round(overshoot / BUDGET_NANO), boundUsd: round(bound / 1e9, 6), overshootOfBound: bound > 0 ? round(overshoot / bound) : 0 };
  } finally {
    for (const m of team) {
      await m.proxy.close();
      m.core.close();
      fs.rmSync(m.home, { recursive: true, force: true });
    }
    await admin(PG_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function main(): Promise<void> {
  if (!PG_URL) {
    line({ skipped: 'BURNRATE_BENCH_PG_URL / BURNRATE_TEST_PG_URL not set (scripts/pg-test-setup.sh prints one)' });
    return;
  }
  const fake = await startFakeUpstream();
  try {
    line({ bench: 'team-enforce', budgetUsd: BUDGET_NANO / 1e9, refreshMs: REFRESH_MS, pushMs: PUSH_MS, paceMs: PACE_MS });
    line({ case: 'baseline: one member', ...(await run(1, fake.url)) });
    line({ case: `${MEMBERS} members at once`, ...(await run(MEMBERS, fake.url)) });
  } finally {
    await fake.close();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
