/**
 * Benchmark (a): ingest N usage events through the real write path (validation, pricing, idempotent
 * upsert, rollups) against a bare prepared INSERT of the same rows into a bare table, in one
 * transaction, in the same run. Prints one JSON line per figure. Leaves the ledger in BENCH_HOME for
 * benchmark (b).
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openCore } from '../../src/app/open';
import type { UsageEventInput } from '../../src/ledger/usage';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
// Written as an importer does: calls of the write path with 10,000 events, one transaction each
// (BENCH_PAGE changes the size; one giant transaction measured slower, from memory pressure).
const PAGE = Number(process.env.BENCH_PAGE ?? 10_000);
const home = process.env.BENCH_HOME!;
const now = new Date('2026-11-28T18:00:00Z');

function line(bench: string, metric: string, value: number, unit: string, baseline: number | null, ratio: number | null) {
  process.stdout.write(JSON.stringify({ bench, metric, value: Number(value.toFixed(3)), unit, baseline: baseline === null ? null : Number(baseline.toFixed(3)), ratio: ratio === null ? null : Number(ratio.toFixed(3)) }) + '\n');
}

/**
 * Deterministic synthetic events over the 90 days before `now`, across providers and models, in
 * time order with jitter, as a proxy log or an agent-log import delivers them.
 */
function makeEvents(): UsageEventInput[] {
  const models = [
    ['openai', 'gpt-4o-mini'],
    ['openai', 'gpt-4.1'],
    ['anthropic', 'claude-sonnet-4-5'],
    ['groq', 'llama-3.3-70b-versatile'],
    ['deepseek', 'deepseek-flash'],
    ['openai', 'unpriced-model-x'],
  ] as const;
  const events: UsageEventInput[] = new Array(N);
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const span = 90 * 86_400_000;
  for (let i = 0; i < N; i++) {
    const [provider, model] = models[i % models.length]!;
    events[i] = {
      source: 'proxy',
      provider,
      model,
      externalId: `req-${i}`,
      project: i % 3 === 0 ? 'alpha' : 'beta',
      inputTokens: Math.floor(rand() * 4000),
      outputTokens: Math.floor(rand() * 800),
      cachedInputTokens: Math.floor(rand() * 2000),
      occurredAt: new Date(now.getTime() - span + Math.floor((i / N) * span) + Math.floor(rand() * 60_000)),
    };
  }
  return events;
}

const COLUMNS = [
  'source', 'provider', 'account', 'external_id', 'model', 'project', 'input_tokens', 'output_tokens',
  'cached_input_tokens', 'cache_write_tokens', 'total_tokens', 'input_price', 'output_price',
  'cached_input_price', 'cache_write_price', 'cost_input_nano', 'cost_output_nano', 'cost_total_nano',
  'cost_origin', 'occurred_at', 'local_day', 'metadata', 'recorded_at',
];

/** The baseline: the same rows, every column, into a table with no key, index or check. */
function bareIngest(events: UsageEventInput[], file: string): number {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE bare (${COLUMNS.join(', ')})`);
  const insert = db.prepare(`INSERT INTO bare VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  const recordedAt = now.toISOString();
  const started = process.hrtime.bigint();
  db.transaction(() => {
    for (const e of events) {
      const iso = e.occurredAt.toISOString();
      const input = e.inputTokens ?? 0;
      const output = e.outputTokens ?? 0;
      const cached = e.cachedInputTokens ?? 0;
      insert.run(e.source, e.provider, 'default', e.externalId, e.model, e.project, input, output, cached, 0,
        input + output + cached, null, null, null, null, null, null, null, 'unpriced', iso, iso.slice(0, 10), '{}', recordedAt);
    }
  })();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return seconds;
}

function ourIngest(events: UsageEventInput[]): number {
  const core = openCore({ home, env: { ...process.env, BURNRATE_NOW: now.toISOString() }, timeZone: 'Europe/Berlin' });
  const started = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += PAGE) core.usage.write(events.slice(i, i + PAGE));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  core.close();
  return seconds;
}

// Three rounds, baseline and write path interleaved, medians reported: on a shared 2-core machine
// single runs of either vary by ±15 %.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const events = makeEvents();
const bareTimes: number[] = [];
const ourTimes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true });
  bareTimes.push(bareIngest(events, path.join(home, 'bare.sqlite')));
  fs.rmSync(path.join(home, 'bare.sqlite'), { force: true });
  ourTimes.push(ourIngest(events)); // the last round's ledger stays for benchmark (b)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bareRate = N / median(bareTimes);
const ourRate = N / median(ourTimes);
line('ingest', 'bare_insert_events_per_s', bareRate, 'events/s', null, null);
line('ingest', 'write_path_events_per_s', ourRate, 'events/s', bareRate, ourRate / bareRate);
