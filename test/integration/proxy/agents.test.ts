import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { setPolicies } from '../../../src/budget/policies';
import { importAgentLogs } from '../../../src/agents/importer';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

/**
 * The real agents as clients of the proxy (../shared/machine-notes.md): Claude Code with
 * ANTHROPIC_BASE_URL at the proxy, the Codex CLI with a provider whose base_url is the proxy, both
 * to the local fake upstream. They are large (about 650 MB together) and never dependencies: the
 * test runs when they are installed, either in BURNRATE_AGENT_CACHE (one folder with both, e.g.
 *   npm install --prefix ~/.cache/burnrate-agents @anthropic-ai/claude-code @openai/codex)
 * or where test/integration/agents/real-agents.test.ts installs them (BURNRATE_TEST_CACHE, default
 * ~/.cache/burnrate-test, one folder per agent), and is skipped otherwise.
 */
function agentBin(folder: string, bin: string): string {
  const own = process.env.BURNRATE_AGENT_CACHE ?? path.join(os.homedir(), '.cache', 'burnrate-agents');
  const shared = process.env.BURNRATE_TEST_CACHE ?? path.join(os.homedir(), '.cache', 'burnrate-test');
  const candidates = [path.join(own, 'node_modules', '.bin', bin), path.join(shared, folder, 'node_modules', '.bin', bin)];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}
const claude = agentBin('claude-code', 'claude');
const codex = agentBin('codex', 'codex');

let fake: FakeUpstream;
let core: Core;
let proxy: RunningProxy;

beforeAll(async () => {
  fake = await startFakeUpstream();
  core = openCore({ home: tempHome('burnrate-agents-proxy-'), env: { BURNRATE_ANTHROPIC_BASE_URL: fake.url, BURNRATE_OPENAI_BASE_URL: fake.url }, timeZone: 'UTC' });
  proxy = await startProxy(core, core.prices, { port: 0 });
});
afterAll(async () => {
  await proxy?.close();
  core?.close();
  await fake?.close();
});

function agentLogRows(provider: string): number {
  return (core.db.prepare(`SELECT count(*) AS n FROM usage_events WHERE source = 'agent_log' AND provider = ?`).get(provider) as { n: number }).n;
}

function proxyRows(provider: string): { n: number; input: number; output: number } {
  return core.db.prepare(`SELECT count(*) AS n, coalesce(sum(input_tokens), 0) AS input, coalesce(sum(output_tokens), 0) AS output FROM usage_events WHERE source = 'proxy' AND provider = ?`).get(provider) as { n: number; input: number; output: number };
}

/** Run an agent asynchronously enough for the in-process proxy and fake to answer: a child with its own loop. */
function run(cmd: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe.skipIf(!fs.existsSync(claude))('Claude Code through the proxy', () => {
  it('meters every response, totals equal the fake, and a refusal stops it with the sentence', async () => {
    const home = tempHome('claude-home-');
    const env = { HOME: home, ANTHROPIC_BASE_URL: `${proxy.url}/anthropic`, ANTHROPIC_API_KEY: 'sk-ant-test', DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    fake.reset();
    const ok = await run(claude, ['-p', 'say hi'], env, home);
    expect(ok.code, ok.out).toBe(0);
    await proxy.settled(); // rows are committed in batches a little after their answers (recorder.ts)
    const rows = proxyRows('anthropic');
    expect(rows.n).toBe(fake.served.requests);
    expect(rows.input).toBe(fake.served.input);
    expect(rows.output).toBe(fake.served.output);

    // Claude Code logged the same responses under the same message ids: importing adds nothing.
    const imported = importAgentLogs(core, { agents: ['claude-code'], path: path.join(home, '.claude') });
    expect(imported.agents[0]!.filesRead).toBeGreaterThan(0);
    expect(imported.agents[0]).toMatchObject({ added: 0, skipped: 0 });
    expect(agentLogRows('anthropic')).toBe(0);
    expect(proxyRows('anthropic')).toEqual(rows);

    applyBudgetChange(core.db, { daily: 1_000 }, new Date()); // $0.000001: spent already
    setPolicies(core.db, [{ kind: 'daily' }], 'enforce', new Date());
    const refused = await run(claude, ['-p', 'say hi again'], env, home);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('Burnrate refused this request');
    setPolicies(core.db, [{ kind: 'daily' }], 'off', new Date());
  }, 300_000);
});

describe.skipIf(!fs.existsSync(codex))('Codex CLI through the proxy', () => {
  it('meters every response of `codex exec` and totals equal the fake', async () => {
    const codexHome = tempHome('codex-home-');
    fs.writeFileSync(
      path.join(codexHome, 'config.toml'),
      `model_provider = "metered"\nmodel = "gpt-4o-mini"\n[model_providers.metered]\nname = "metered"\nbase_url = "${proxy.url}/openai/v1"\nenv_key = "OPENAI_API_KEY"\nwire_api = "responses"\n`,
    );
    fake.reset();
    const before = proxyRows('openai');
    const ok = await run(codex, ['exec', '--skip-git-repo-check', 'say hi'], { HOME: codexHome, CODEX_HOME: codexHome, OPENAI_API_KEY: 'sk-test' }, codexHome);
    expect(ok.code, ok.out).toBe(0);
    await proxy.settled();
    const after = proxyRows('openai');
    expect(after.n - before.n).toBe(fake.served.requests);
    expect(after.output - before.output).toBe(fake.served.output);

    // Codex 0.171+ logged each response's id (token_usage_record): importing adds nothing.
    const imported = importAgentLogs(core, { agents: ['codex'], path: codexHome });
    expect(imported.agents[0]!.filesRead).toBeGreaterThan(0);
    expect(imported.agents[0]).toMatchObject({ added: 0, skipped: 0 });
    expect(agentLogRows('openai')).toBe(0);
    expect(proxyRows('openai')).toEqual(after);

    // The proxy knew the real Codex CLI by its headers (originator / User-Agent): every row says so.
    const clients = core.db.prepare(`SELECT DISTINCT json_extract(metadata, '$.client') AS c FROM usage_events WHERE source = 'proxy' AND provider = 'openai'`).pluck().all();
    expect(clients).toEqual(['codex']);

    // The same rollouts as a Codex before 0.171 writes them (no token_usage_record, so no response
    // id): each row is paired with the proxy's as twins (src/ledger/codex-twins.ts) and adds nothing.
    const oldHome = tempHome('codex-old-');
    const rollouts: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (e.name.startsWith('rollout-')) rollouts.push(path.join(dir, e.name));
      }
    };
    walk(path.join(codexHome, 'sessions'));
    expect(rollouts.length).toBeGreaterThan(0);
    for (const file of rollouts) {
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('"token_usage_record"'));
      fs.mkdirSync(path.join(oldHome, 'sessions'), { recursive: true });
      fs.writeFileSync(path.join(oldHome, 'sessions', path.basename(file)), lines.join('\n'));
    }
    const old = importAgentLogs(core, { agents: ['codex'], path: oldHome });
    expect(old.agents[0]).toMatchObject({ added: 0, skipped: 0 });
    expect(agentLogRows('openai')).toBe(0);
    const paired = core.db.prepare(`SELECT COUNT(*) FROM usage_events WHERE source = 'proxy' AND provider = 'openai' AND json_extract(metadata, '$.twinOf') LIKE 'codex:%'`).pluck().get();
    expect(paired).toBe(after.n);
  }, 300_000);
});
