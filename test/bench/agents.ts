/**
 * `npm run bench -- agents`: importing Claude Code logs, against ccusage on the same corpus.
 *
 * 1. A synthetic corpus shaped like real transcripts (test/helpers/claude-corpus.ts): by default the
 *    issue's size, about 2,000 files and 500,000 lines; AGENTS_BENCH_FILES / AGENTS_BENCH_LINES
 *    scale it down on a small machine.
 * 2. First import into an empty ledger (`burnrate import claude-code --path`) vs `ccusage daily
 *    --json --offline` (ccusage 20.0.24's native binary, installed on demand outside the repo).
 * 3. Re-import of the unchanged corpus vs `burnrate --version`, and vs `burnrate status --json` (the
 *    same start-up: what is left is the re-import's own work).
 * 4. Peak RSS of the first import (GNU time's %M).
 * Medians of runs interleaved round by round (AGENTS_BENCH_RUNS, default 3). Prints one JSON line
 * per metric like the rest of npm run bench, and checks the token totals against ccusage's.
 *
 * AGENTS_BENCH_ONLY=reimport measures step 3 alone: the corpus and one first import are made once,
 * then the re-import, `--version` and `status --json` are interleaved AGENTS_BENCH_RUNS times
 * (default 9); ccusage is neither installed nor run. For iterating on the re-import.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeClaudeCorpus } from '../helpers/claude-corpus';

const root = process.env.BENCH_ROOT!;
const bin = path.join(root, 'bin', 'burnrate.cjs');
const files = Number(process.env.AGENTS_BENCH_FILES ?? 2000);
const lines = Number(process.env.AGENTS_BENCH_LINES ?? 215);
const only = process.env.AGENTS_BENCH_ONLY;
const runs = Number(process.env.AGENTS_BENCH_RUNS ?? (only === 'reimport' ? 9 : 3));
const cache = process.env.BURNRATE_TEST_CACHE ?? path.join(os.homedir(), '.cache', 'burnrate-test');

const line = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (v: number, digits = 1) => Number(v.toFixed(digits));

function ccusageBinary(): string {
  const dir = path.join(cache, 'ccusage');
  const exe = path.join(dir, 'node_modules', '@ccusage', 'ccusage-linux-x64', 'bin', 'ccusage');
  if (!fs.existsSync(exe)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', 'ccusage@20.0.24'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!fs.existsSync(exe)) throw new Error(`ccusage's native binary is not at ${exe} after installing ccusage@20.0.24.`);
  fs.chmodSync(exe, 0o755); // npm 11 may skip the install script that marks it executable
  return exe;
}

/** Wall time (ms) and peak RSS (MB) of one command, through GNU time. */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; rssMb: number; stdout: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { ms, rssMb: kb / 1024, stdout: r.stdout };
}

/** The re-import lines: against `--version`, and against `status --json` (the same start-up and ledger). */
function reimportLines(again: number[], version: number[], status: number[]): void {
  const ms = (v: number) => round(v);
  line({ bench: 'agents', metric: 'reimport_median_ms', value: ms(median(again)), unit: 'ms', baseline: ms(median(version)), baseline_name: 'burnrate --version', ratio: round(median(again) / median(version), 3) });
  // The same re-import against a command that loads the same runtime and opens the same ledger:
  // what the re-import costs beyond a command's start-up (a stat per file).
  line({ bench: 'agents', metric: 'reimport_vs_status', value: ms(median(again)), unit: 'ms', baseline: ms(median(status)), baseline_name: 'burnrate status --json', ratio: round(median(again) / median(status), 3) });
}

/** AGENTS_BENCH_ONLY=reimport: one first import, then only the interleaved re-import rounds. */
function reimportOnly(work: string, corpus: string, emptyHome: string): void {
  const env = { ...process.env, BURNRATE_HOME: path.join(work, 'ledger'), HOME: emptyHome, TZ: 'UTC' };
  const imported = measure(process.execPath, [bin, 'import', 'claude-code', '--path', corpus, '--json'], env);
  line({ bench: 'agents', metric: 'first_import_ms', value: round(imported.ms), unit: 'ms', baseline: null, ratio: null });
  const again: number[] = [];
  const version: number[] = [];
  const status: number[] = [];
  for (let i = 0; i < runs; i++) {
    again.push(measure(process.execPath, [bin, 'import', 'claude-code', '--path', corpus, '--json'], env).ms);
    version.push(measure(process.execPath, [bin, '--version'], env).ms);
    status.push(measure(process.execPath, [bin, 'status', '--json'], env).ms);
  }
  reimportLines(again, version, status);
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-agents-bench-'));
  try {
    const corpus = path.join(work, 'claude');
    const facts = writeClaudeCorpus(path.join(corpus, 'projects'), { files, linesPerFile: lines, toolResultBytes: 2000 });
    // Let the kernel write the fresh corpus out before anything is timed: 900 MB of dirty pages
    // flushed during the first rounds slow whichever command writes (ours: the ledger's commits
    // and checkpoints), a state a user's logs, written over weeks, are never in.
    execFileSync('sync');
    line({ bench: 'agents', metric: 'corpus', value: facts.lines, unit: 'lines', files: facts.files, mb: round(facts.bytes / 1e6), responses: facts.responses, baseline: null, ratio: null });
    const emptyHome = path.join(work, 'empty-home');
    fs.mkdirSync(emptyHome);
    if (only === 'reimport') return reimportOnly(work, corpus, emptyHome);
    const ccusage = ccusageBinary();
    const ccEnv = { ...process.env, CLAUDE_CONFIG_DIR: corpus, HOME: emptyHome, TZ: 'UTC' };
    const first: number[] = [];
    const cc: number[] = [];
    const rss: number[] = [];
    const again: number[] = [];
    const version: number[] = [];
    const status: number[] = [];
    let ours: { agents: { added: number }[] } | undefined;
    let theirs: { totals: Record<string, number> } | undefined;
    let lastHome = '';
    for (let i = 0; i < runs; i++) {
      const home = path.join(work, `ledger-${i}`);
      const env = { ...process.env, BURNRATE_HOME: home, HOME: emptyHome, TZ: 'UTC' };
      const a = measure(process.execPath, [bin, 'import', 'claude-code', '--path', corpus, '--json'], env);
      first.push(a.ms);
      rss.push(a.rssMb);
      ours = JSON.parse(a.stdout) as typeof ours;
      const b = measure(ccusage, ['daily', '--json', '--offline'], ccEnv);
      cc.push(b.ms);
      theirs = JSON.parse(b.stdout) as typeof theirs;
      again.push(measure(process.execPath, [bin, 'import', 'claude-code', '--path', corpus, '--json'], env).ms);
      version.push(measure(process.execPath, [bin, '--version'], env).ms);
      status.push(measure(process.execPath, [bin, 'status', '--json'], env).ms);
      if (lastHome) fs.rmSync(lastHome, { recursive: true, force: true });
      lastHome = home;
    }
    const ms = (v: number) => round(v);
    line({ bench: 'agents', metric: 'first_import_median_ms', value: ms(median(first)), unit: 'ms', baseline: ms(median(cc)), baseline_name: 'ccusage daily --json --offline', ratio: round(median(first) / median(cc), 3), rounds: first.map(ms), baseline_rounds: cc.map(ms), round_ratios: first.map((v, i) => round(v / cc[i]!, 3)) });
    reimportLines(again, version, status);
    line({ bench: 'agents', metric: 'first_import_peak_rss_mb', value: round(Math.max(...rss)), unit: 'MB', baseline: 300, baseline_name: 'the issue\'s ceiling', ratio: round(Math.max(...rss) / 300, 3) });
    // The same corpus must give the same tokens: a fast import that counts wrong is no win.
    const db = path.join(lastHome, 'ledger.sqlite');
    const sums = JSON.parse(
      execFileSync(process.execPath, ['-e', `const D=require(${JSON.stringify(path.join(root, 'node_modules', 'better-sqlite3'))});const d=new D(${JSON.stringify(db)},{readonly:true});console.log(JSON.stringify(d.prepare("SELECT SUM(input_tokens) i, SUM(output_tokens) o, SUM(cache_write_tokens) w, SUM(cached_input_tokens) r, SUM(cost_total_nano) c FROM usage_events").get()))`], { encoding: 'utf8' }),
    ) as { i: number; o: number; w: number; r: number; c: number };
    const t = theirs!.totals;
    const same = sums.i === t.inputTokens && sums.o === t.outputTokens && sums.w === t.cacheCreationTokens && sums.r === t.cacheReadTokens;
    line({ bench: 'agents', metric: 'tokens_equal_ccusage', value: same ? 1 : 0, unit: 'bool', ours: sums, ccusage: { input: t.inputTokens, output: t.outputTokens, cacheWrite: t.cacheCreationTokens, cacheRead: t.cacheReadTokens, costUsd: t.totalCost }, rows: ours!.agents[0]!.added, baseline: null, ratio: null });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
