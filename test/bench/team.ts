/**
 * `npm run bench -- team`: the shared PostgreSQL store at the scale the issue names, 50 machines ×
 * 730 days of daily rollups, against a local server (BURNRATE_BENCH_PG_URL, else
 * BURNRATE_TEST_PG_URL; scripts/pg-test-setup.sh prints one). Every figure is a ratio to a bare
 * `SELECT 1` round trip measured in the same run, on the same connection.
 *
 *  - push: rows go through the production upsert (upsertMemberRows, PUSH_CHUNK rows per
 *    transaction, the revision guard), as `team push` sends them;
 *  - re-push: the same rows again with the same revisions (what a retry after a crash sends);
 *  - status: `team status` as the CLI runs it (readTeamStatus), median of runs; how many statements
 *    it sends, and each one EXPLAIN ANALYZE'd (it must use the indexes, never scan the tables).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { connectShared, type SharedDb } from '../../src/team/pg';
import { migrateShared } from '../../src/team/shared-schema';
import { PUSH_CHUNK, upsertMemberRows } from '../../src/team/push';
import { readTeamStatus } from '../../src/team/status';
import { readTeamSnapshot } from '../../src/team/snapshot';
import type { SharedQuery } from '../../src/team/pg';
import { openCore } from '../../src/app/open';
import { fixedClock } from '../../src/time';
import type { MemberFigure } from '../../src/team/collect';

const MACHINES = Number(process.env.BENCH_TEAM_MACHINES ?? 50);
const DAYS = Number(process.env.BENCH_TEAM_DAYS ?? 730);
/** Rows per machine and day: 3 providers × 2 sources (e.g. agent_log and api_usage). */
const PROVIDERS = ['openai', 'anthropic', 'mistral'];
const SOURCES = ['agent_log', 'api_usage'];
const line = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const round = (v: number, d = 3) => Number(v.toFixed(d));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function dayOf(i: number): string {
  return new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

function rowsOf(machine: number): MemberFigure[] {
  const rows: MemberFigure[] = [];
  for (let d = 0; d < DAYS; d++) {
    for (const [p, provider] of PROVIDERS.entries()) {
      for (const [s, source] of SOURCES.entries()) {
        const n = machine * 1_000_003 + d * 31 + p * 7 + s;
        rows.push({
          localDay: dayOf(d), provider, model: `model-${p}`, project: `project-${machine % 5}`, source,
          events: 1 + (n % 50), inputTokens: n % 100_000, outputTokens: n % 30_000, cachedInputTokens: 0, cacheWriteTokens: 0,
          costNano: 1_000_000 + (n % 999_999_937), unpricedEvents: 0,
        });
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const base = process.env.BURNRATE_BENCH_PG_URL ?? process.env.BURNRATE_TEST_PG_URL;
  if (!base) {
    process.stderr.write('bench team: set BURNRATE_BENCH_PG_URL (or BURNRATE_TEST_PG_URL; scripts/pg-test-setup.sh prints one)\n');
    process.exit(1);
  }
  const name = `burnrate_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  const password = decodeURIComponent(url.password);
  url.password = '';
  url.pathname = `/${name}`;
  let db: SharedDb | null = null;
  try {
    db = await connectShared({ url: url.toString(), password });
    const shared = db;
    await migrateShared(shared);
    const teamId = randomUUID();
    await shared.query('INSERT INTO teams (id, name) VALUES ($1, $2)', [teamId, 'bench']);
    const machines = Array.from({ length: MACHINES }, (_, i) => ({ machineId: randomUUID(), member: `member-${i % 10}`, teamId }));
    for (const m of machines) await shared.query('INSERT INTO machines (id, team_id, member) VALUES ($1, $2, $3)', [m.machineId, teamId, m.member]);

    const selectOne = async () => {
      const times: number[] = [];
      for (let i = 0; i < 200; i++) times.push(await timed(() => shared.query('SELECT 1')));
      return median(times);
    };
    await selectOne(); // warm-up: the first round trips of a connection are slower
    const baseline = await selectOne();

    // Push every machine's two years, chunk by chunk, as `team push` does.
    const push = async (revisionOffset: number) => {
      let rows = 0;
      const chunkTimes: number[] = [];
      const total = await timed(async () => {
        for (const m of machines) {
          const all = rowsOf(machines.indexOf(m));
          for (let i = 0; i < all.length; i += PUSH_CHUNK) {
            const chunk = all.slice(i, i + PUSH_CHUNK).map((row, k) => ({ seq: revisionOffset + i + k + 1, row }));
            chunkTimes.push(
              await timed(() =>
                shared.transaction(async (tx) => {
                  await upsertMemberRows(tx, m, chunk);
                  await tx.query('UPDATE machines SET revision = GREATEST(revision, $2), last_push_at = now() WHERE id = $1', [m.machineId, chunk.at(-1)!.seq]);
                }),
              ),
            );
            rows += chunk.length;
          }
        }
      });
      return { rows, total, chunk: median(chunkTimes) };
    };
    const first = await push(0);
    const again = await push(0); // same revisions: the guard makes every row a no-op
    await shared.query('VACUUM ANALYZE member_rollups');
    await shared.query('VACUUM ANALYZE billed_days');

    // Half the machines are in one OpenAI organisation whose bill covers every day (5 line items a
    // day): the rule then has bills to count once and estimates to turn into drift.
    await shared.query("INSERT INTO machine_orgs (machine_id, provider, org_id) SELECT id, 'openai', 'org-bench' FROM machines WHERE team_id = $1 AND member IN ('member-0','member-1','member-2','member-3','member-4')", [teamId]);
    await shared.query(
      `INSERT INTO billed_days (team_id, provider, org_id, local_day, model, line_item, project, amount_nano, observed_at, machine_id)
       SELECT $1, 'openai', 'org-bench', d::date, 'model-0', 'item-' || i, '', 1000000000 + i, now(), 'bench'
       FROM generate_series($2::date, $3::date, interval '1 day') d, generate_series(1, 5) i`,
      [teamId, dayOf(0), dayOf(DAYS - 1)],
    );
    await shared.query('VACUUM ANALYZE member_rollups');
    await shared.query('VACUUM ANALYZE billed_days');
    await shared.query('ANALYZE machines');
    await shared.query('ANALYZE machine_orgs');

    // `team status` as the CLI runs it (readTeamStatus: every statement it sends, and what it does with the answers).
    const now = new Date(Date.UTC(2025, 0, 1) + (DAYS - 10) * 86_400_000 + 12 * 3_600_000);
    const core = openCore({ memory: true, clock: fixedClock(now.toISOString()), timeZone: 'UTC', env: {} });
    const config = { url: 'postgres://bench@localhost/bench', teamId, team: 'bench', member: 'member-0', machineId: machines[0]!.machineId, orgs: {}, joinedAt: now.toISOString() };
    const sent: { sql: string; params: readonly unknown[] | undefined }[] = [];
    const recording: SharedQuery = { query: (sql, params) => (sent.push({ sql, params }), shared.query(sql, params)) };
    const statusTimes: number[] = [];
    for (let i = 0; i < 30; i++) {
      sent.length = 0;
      statusTimes.push(await timed(() => readTeamStatus(core, recording, config)));
    }
    core.close();
    // The month alone (no forecast history): what a push's budget check and the proxy's 30 s refresh read.
    const monthTimes: number[] = [];
    const today = now.toISOString().slice(0, 10);
    for (let i = 0; i < 30; i++) monthTimes.push(await timed(() => readTeamSnapshot(shared, teamId, today)));
    const monthOnly = median(monthTimes);
    const status = median(statusTimes);
    const baselineAfter = await selectOne();
    // The profile: each statement status sends, EXPLAIN ANALYZE'd (server time, rows returned).
    const plans: string[] = [];
    let serverMs = 0;
    for (const q of sent) {
      const plan = (await shared.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      serverMs += Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0);
      plans.push(plan);
    }
    const planText = plans.join('\n\n');
    const rowsPerSec = first.rows / (first.total / 1000);
    line({ bench: 'team', metric: 'select1_median_ms', value: round(baseline), unit: 'ms', baseline: null, ratio: null });
    line({ bench: 'team', metric: 'rows_pushed', value: first.rows, unit: 'rows', baseline: null, ratio: null, machines: MACHINES, days: DAYS });
    line({ bench: 'team', metric: 'push_rows_per_s', value: Math.round(rowsPerSec), unit: 'rows/s', baseline: round(1000 / baseline), ratio: round(rowsPerSec / (1000 / baseline)), note: 'rows per second vs SELECT 1 round trips per second' });
    line({ bench: 'team', metric: 'push_chunk_median_ms', value: round(first.chunk), unit: 'ms', baseline: round(baseline), ratio: round(first.chunk / baseline), rowsPerChunk: PUSH_CHUNK });
    line({ bench: 'team', metric: 'repush_chunk_median_ms', value: round(again.chunk), unit: 'ms', baseline: round(baseline), ratio: round(again.chunk / baseline) });
    line({ bench: 'team', metric: 'status_median_ms', value: round(status), unit: 'ms', baseline: round(baseline), ratio: round(status / baseline), baselineAfterMs: round(baselineAfter) });
    line({ bench: 'team', metric: 'month_snapshot_median_ms', value: round(monthOnly), unit: 'ms', baseline: round(baseline), ratio: round(monthOnly / baseline), note: 'the same statement over the month only (push-time checks, proxy refresh)' });
    line({ bench: 'team', metric: 'status_round_trips', value: sent.length, unit: 'statements', baseline: null, ratio: null });
    line({ bench: 'team', metric: 'status_server_ms', value: round(serverMs), unit: 'ms', baseline: round(baseline), ratio: round(serverMs / baseline), note: 'sum of EXPLAIN ANALYZE execution times of the statements status sends' });
    line({ bench: 'team', metric: 'status_plan_uses_index', value: /Index (Only )?Scan using member_rollups_team_day/.test(planText) && !/Seq Scan on member_rollups/.test(planText) ? 1 : 0, unit: 'bool', baseline: null, ratio: null });
    process.stderr.write(`team status statements at scale (EXPLAIN ANALYZE):\n${planText}\n`);
  } finally {
    await db?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench team failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
