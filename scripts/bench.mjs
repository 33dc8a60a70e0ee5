// npm run bench: one JSON object per line, {"bench","metric","value","unit","baseline","ratio"}.
// (a) ingest through the real write path vs a bare INSERT; (b) `burnrate --version` and
// `burnrate status --json` on that 1M-event ledger, the bundled CLI run as a user runs it, vs
// `node -e 0`. Each ratio is against a
// baseline measured in the same run.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle test/bench/<name>.ts and run it, its lines going straight to stdout. */
async function runBundled(name) {
  const outfile = path.join(root, 'dist', 'bench', `${name}.cjs`);
  await build({
    entryPoints: [path.join(root, 'test', 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', '@napi-rs/keyring'],
    logLevel: 'warning',
  });
  execFileSync(process.execPath, [outfile], { stdio: ['ignore', 'inherit', 'inherit'] });
}

// `npm run bench -- watch`: only the idle cost of the change watcher (a few minutes of idling).
// `npm run bench -- proxy`: the metering proxy's added latency against a bare pass-through, 10,000 mixed requests.
// `npm run bench -- admission`: one admission with reservations shared across proxies vs in memory only (test/bench/admission.ts).
const MODES = { watch: 'watch-cost', proxy: 'proxy', admission: 'admission' };
if (MODES[process.argv[2]]) {
  await runBundled(MODES[process.argv[2]]);
  process.exit(0);
}
// `npm run bench -- agents`: importing agent logs vs ccusage (test/bench/agents.ts says how).
if (process.argv[2] === 'agents') {
  const agentsOut = path.join(root, 'dist', 'bench', 'agents.cjs');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'cli'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await build({ entryPoints: [path.join(root, 'test', 'bench', 'agents.ts')], outfile: agentsOut, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  execFileSync(process.execPath, [agentsOut], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BENCH_ROOT: root } });
  process.exit(0);
}
// `npm run bench -- agents-parse`: a parse worker's CPU per Claude Code corpus, and JSON.parse's share (test/bench/agents-parse.ts).
if (process.argv[2] === 'agents-parse') {
  const out = path.join(root, 'dist', 'bench', 'agents-parse.cjs');
  await build({ entryPoints: [path.join(root, 'test', 'bench', 'agents-parse.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  execFileSync(process.execPath, [out], { stdio: ['ignore', 'inherit', 'inherit'] });
  process.exit(0);
}
// `npm run bench -- team-enforce`: overshoot of an enforced team budget, several members at once (test/bench/team-enforce.ts).
if (process.argv[2] === 'team-enforce') {
  const out = path.join(root, 'dist', 'bench', 'team-enforce.cjs');
  await build({ entryPoints: [path.join(root, 'test', 'bench', 'team-enforce.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3', '@napi-rs/keyring', 'pg-native'], logLevel: 'warning' });
  execFileSync(process.execPath, [out], { stdio: ['ignore', 'inherit', 'inherit'] });
  process.exit(0);
}
// `npm run bench -- team`: the shared PostgreSQL store, 50 machines × 730 days (test/bench/team.ts).
if (process.argv[2] === 'team') {
  const teamOut = path.join(root, 'dist', 'bench', 'team.cjs');
  await build({
    entryPoints: [path.join(root, 'test', 'bench', 'team.ts')],
    outfile: teamOut,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', '@napi-rs/keyring', 'pg-native'],
    logLevel: 'warning',
  });
  execFileSync(process.execPath, [teamOut], { stdio: ['ignore', 'inherit', 'inherit'] });
  process.exit(0);
}
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-'));
const out = path.join(root, 'dist', 'bench', 'ingest.cjs');

execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'cli'], { stdio: ['ignore', 'ignore', 'inherit'] });
await build({
  entryPoints: [path.join(root, 'test', 'bench', 'ingest.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', '@napi-rs/keyring'],
  logLevel: 'warning',
});
execFileSync(process.execPath, [out], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BENCH_HOME: home } });

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function timeOnce(args, env) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
/** Medians of runs interleaved round by round, so a busy moment of the machine hits every command alike. */
function timeInterleaved(commands, env, runs) {
  const times = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach((args, k) => times[k].push(timeOnce(args, env)));
  return times.map(median);
}
const runs = Number(process.env.BENCH_RUNS ?? 15);
const env = { ...process.env, BURNRATE_HOME: home, BURNRATE_NOW: '2026-11-28T18:00:00Z', TZ: 'Europe/Berlin' };
const bin = path.join(root, 'bin', 'burnrate.cjs');
const check = JSON.parse(spawnSync(process.execPath, [bin, 'status', '--json'], { env, encoding: 'utf8' }).stdout);
if (typeof check.month?.spentUsd !== 'string') throw new Error('status --json did not answer on the bench ledger');
const [bare, version, status] = timeInterleaved([['-e', '0'], [bin, '--version'], [bin, 'status', '--json']], env, runs);
const line = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const ms = (v) => Number(v.toFixed(1));
line({ bench: 'status', metric: 'node_e0_median_ms', value: ms(bare), unit: 'ms', baseline: null, ratio: null });
line({ bench: 'version', metric: 'version_median_ms', value: ms(version), unit: 'ms', baseline: ms(bare), ratio: Number((version / bare).toFixed(3)) });
line({ bench: 'status', metric: 'status_json_median_ms', value: ms(status), unit: 'ms', baseline: ms(bare), ratio: Number((status / bare).toFixed(3)) });
fs.rmSync(home, { recursive: true, force: true });
