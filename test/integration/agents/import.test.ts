import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importAgentLogs } from '../../../src/agents/importer';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { countedTotal } from '../../../src/ledger/spend';

/**
 * The importer on logs shaped like each agent writes them (test/fixtures/agents, see the README
 * there). Every expected figure below is worked out by hand from the fixture lines and the bundled
 * catalogue's prices, in nano-USD.
 */

const FIXTURES = path.resolve(__dirname, '../../fixtures/agents');
let home: string;
let core: Core;

function copyFixtures(): void {
  fs.cpSync(path.join(FIXTURES, 'claude'), path.join(home, '.claude'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'codex'), path.join(home, '.codex'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'gemini'), path.join(home, '.gemini'), { recursive: true });
}

function open(): Core {
  return openCore({ memory: true, env: { HOME: home }, timeZone: 'UTC', clock: { now: () => new Date('2026-11-22T12:00:00Z') } });
}

interface Row {
  external_id: string;
  model: string;
  project: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cost_total_nano: number | null;
  cost_origin: string;
}

function rows(provider: string): Row[] {
  return core.db
    .prepare(
      `SELECT external_id, model, project, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cost_total_nano, cost_origin
       FROM usage_events WHERE source = 'agent_log' AND provider = ? ORDER BY occurred_at`,
    )
    .all(provider) as Row[];
}

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-agents-'));
  core = open();
});
afterEach(() => {
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('Claude Code logs', () => {
  beforeEach(copyFixtures);

  it('keeps one row per response with its largest output, counts a subagent once, skips <synthetic> and malformed lines', () => {
    const report = importAgentLogs(core, { agents: ['claude-code'] });
    const claude = report.agents[0]!;
    expect(claude.files).toBe(2);
    expect(claude.skipped).toBe(1); // the cut-off JSON line
    expect(rows('anthropic')).toEqual([
      // 3 lines of msg_01A: output 1 → 60 → 412; the largest counts. 1200×3 + 412×15 + 2000×3.75 + 500×0.3 = 17 430 µ$
      { external_id: 'msg_01A', model: 'claude-sonnet-4-5', project: 'shop', input_tokens: 1200, output_tokens: 412, cached_input_tokens: 500, cache_write_tokens: 2000, cost_total_nano: 17_430_000, cost_origin: 'catalogue' },
      // 6000 5-minute writes at 3.75 and 4000 1-hour writes at 6: 30×3 + 800×15 + 6000×3.75 + 4000×6 + 3000×0.3 = 59 490 µ$
      { external_id: 'msg_02B', model: 'claude-sonnet-4-5', project: 'shop', input_tokens: 30, output_tokens: 800, cached_input_tokens: 3000, cache_write_tokens: 10000, cost_total_nano: 59_490_000, cost_origin: 'catalogue' },
      // In the parent's progress line and in its own subagents file: once. 900×1 + 40×5 = 1 100 µ$
      { external_id: 'msg_S1', model: 'claude-haiku-4-5', project: 'shop', input_tokens: 900, output_tokens: 40, cached_input_tokens: 0, cache_write_tokens: 0, cost_total_nano: 1_100_000, cost_origin: 'catalogue' },
      // A model the catalogue does not know: unpriced, never $0.
      { external_id: 'msg_03C', model: 'claude-opus-9-unknown', project: 'shop', input_tokens: 100, output_tokens: 100, cached_input_tokens: 0, cache_write_tokens: 0, cost_total_nano: null, cost_origin: 'unpriced' },
    ]);
    expect(countedTotal(core.db, '2026-11-20', '2026-11-20', 'anthropic')).toBe(78_020_000n);
  });

  it('reads every root of CLAUDE_CONFIG_DIR (comma-separated)', () => {
    const second = path.join(home, 'work-claude');
    const slug = path.join(second, 'projects', '-home-dev-other');
    fs.mkdirSync(slug, { recursive: true });
    const line = { type: 'assistant', cwd: '/home/dev/other', sessionId: 's2', requestId: 'r9', timestamp: '2026-11-20T11:00:00Z', message: { id: 'msg_X9', model: 'claude-haiku-4-5', usage: { input_tokens: 10, output_tokens: 2 } } };
    fs.writeFileSync(path.join(slug, 's2.jsonl'), JSON.stringify(line) + '\n');
    core.close();
    core = openCore({ memory: true, env: { HOME: home, CLAUDE_CONFIG_DIR: `${path.join(home, '.claude')}, ${second}` }, timeZone: 'UTC' });
    const report = importAgentLogs(core, { agents: ['claude-code'] });
    expect(report.agents[0]!.roots).toEqual([path.join(home, '.claude', 'projects'), path.join(second, 'projects')]);
    expect(rows('anthropic').map((r) => [r.external_id, r.project])).toContainEqual(['msg_X9', 'other']);
  });
});

describe('import --path', () => {
  it('needs the agent whose logs the folder holds, and says so in one sentence', async () => {
    await expect(dispatch(core, 'agentsImport', { path: home })).rejects.toThrow(`Name the agent whose logs are in ${home} (claude-code, codex or gemini).`);
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM agent_log_files').get()).toEqual({ n: 0 });
  });

  it('reads the folder given instead of the default roots', async () => {
    copyFixtures();
    const other = path.join(home, 'elsewhere');
    fs.cpSync(path.join(FIXTURES, 'codex'), other, { recursive: true });
    const r = (await dispatch(core, 'agentsImport', { agent: 'codex', path: other })) as { agents: { roots: string[]; files: number }[] };
    expect(r.agents).toMatchObject([{ roots: [path.join(other, 'sessions'), path.join(other, 'archived_sessions')], files: 2 }]);
  });
});

describe('Codex logs', () => {
  beforeEach(copyFixtures);

  it('counts deltas of the cumulative totals once across a fork, skips re-emitted totals, restarts on totals going backwards, prefers sessions/ over archived_sessions/', () => {
    const report = importAgentLogs(core, { agents: ['codex'] });
    expect(report.agents[0]!.files).toBe(2); // the archived copy of the parent is not read
    const got = rows('openai').map((r) => [r.model, r.input_tokens, r.cached_input_tokens, r.output_tokens, r.cost_total_nano]);
    expect(got).toEqual([
      ['gpt-5', 4000, 1000, 300, 8_125_000], // 4000×1.25 + 1000×0.125 + 300×10
      ['gpt-5', 1000, 5000, 400, 5_875_000], // the delta 11000-5000 input of which 5000 cached
      ['gpt-5-mini', 2000, 0, 200, 900_000], // the fork's own turn, after its turn_context
      ['gpt-5-mini', 3000, 0, 100, 950_000], // totals went backwards: last_token_usage is the row
    ]);
    expect(rows('openai').every((r) => r.project === 'api')).toBe(true);
  });

  it('keys a row by the response id Codex 0.171 logs, and a fork replaying it counts it once', () => {
    const day = path.join(home, '.codex', 'sessions', '2026', '11', '21');
    fs.mkdirSync(day, { recursive: true });
    const usage = (input: number, output: number) => ({ input_tokens: input, cached_input_tokens: 0, output_tokens: output, reasoning_output_tokens: 0, total_tokens: input + output });
    const turn = (at: string, id: string, total: ReturnType<typeof usage>) => [
      { timestamp: at, type: 'token_usage_record', payload: { response_id: id, usage: total, thread_token_usage: total } },
      { timestamp: at, type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: total, last_token_usage: total } } },
    ];
    const parent = [{ timestamp: '2026-11-21T09:00:00Z', type: 'turn_context', payload: { model: 'gpt-5', cwd: '/w/ids' } }, ...turn('2026-11-21T09:00:01Z', 'resp_parent_1', usage(1000, 10))];
    const fork = [...parent, ...turn('2026-11-21T09:05:00Z', 'resp_fork_2', usage(2500, 30))];
    const write = (name: string, lines: object[]) => fs.writeFileSync(path.join(day, name), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    write('rollout-2026-11-21T09-00-00-ids-parent.jsonl', parent);
    write('rollout-2026-11-21T09-05-00-ids-fork.jsonl', fork);
    importAgentLogs(core, { agents: ['codex'], path: path.join(home, '.codex') });
    const got = rows('openai').filter((r) => r.project === 'ids').map((r) => [r.external_id, r.input_tokens, r.output_tokens]);
    expect(got).toEqual([
      ['resp_parent_1', 1000, 10],
      ['resp_fork_2', 1500, 20],
    ]);
  });

  it('names a usage field it does not know (a newer format) instead of dropping it silently', () => {
    const day = path.join(home, '.codex', 'sessions', '2026', '11', '21');
    fs.mkdirSync(day, { recursive: true });
    const usage = { input_tokens: 100, cached_input_tokens: 0, cache_write_input_tokens: 40, output_tokens: 5, reasoning_output_tokens: 0, total_tokens: 105 };
    const lines = [
      { timestamp: '2026-11-21T09:00:00Z', type: 'turn_context', payload: { model: 'gpt-5', cwd: '/w/new' } },
      { timestamp: '2026-11-21T09:00:01Z', type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: usage, last_token_usage: usage } } },
    ];
    const file = path.join(day, 'rollout-2026-11-21T09-00-00-new.jsonl');
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const report = importAgentLogs(core, { agents: ['codex'] });
    expect(report.agents[0]!.problems).toContain(`Codex wrote usage fields Burnrate does not know (cache_write_input_tokens); they are not priced. (${file})`);
  });
});

describe('Gemini CLI logs', () => {
  beforeEach(copyFixtures);

  it('takes the last write per message id, keeps rewound messages (their tokens were served) and reads the old .json format', () => {
    importAgentLogs(core, { agents: ['gemini'] });
    const got = rows('gemini').map((r) => [r.external_id, r.model, r.project, r.input_tokens, r.cached_input_tokens, r.output_tokens, r.cost_total_nano]);
    expect(got).toEqual([
      ['gemini:gem-old:o2', 'gemini-2.5-flash', 'abc123', 400, 0, 25, 182_500], // 400×0.3 + 25×2.5
      ['gemini:gem-1:m2', 'gemini-2.5-pro', 'site', 1500, 500, 200, 3_937_500], // 1500×1.25 + 500×0.125 + 200×10
      ['gemini:gem-1:m3', 'gemini-2.5-flash', 'site', 1020, 0, 100, 556_000], // (1000 + 20 tool)×0.3 + 100×2.5
    ]);
  });
});

describe('incremental import', () => {
  const slugDir = () => path.join(home, '.claude', 'projects', '-home-dev-live');
  const file = () => path.join(slugDir(), 'live.jsonl');
  const line = (id: string, output: number, ts = '2026-11-20T10:00:00Z') =>
    JSON.stringify({ type: 'assistant', cwd: '/home/dev/live', sessionId: 'live', requestId: `req_${id}`, timestamp: ts, message: { id, model: 'claude-haiku-4-5', usage: { input_tokens: 1000, output_tokens: output } } }) + '\n';
  const outputs = () => rows('anthropic').map((r) => [r.external_id, r.output_tokens]);

  beforeEach(() => fs.mkdirSync(slugDir(), { recursive: true }));

  it('reads no content of unchanged logs, reads appended lines from the offset and leaves a partial last line for later', () => {
    copyFixtures();
    importAgentLogs(core);
    const before = countedTotal(core.db, '2026-01-01', '2026-12-31');
    const again = importAgentLogs(core);
    expect(again.agents.map((a) => [a.filesRead, a.bytesRead, a.added, a.updated])).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    expect(countedTotal(core.db, '2026-01-01', '2026-12-31')).toBe(before);

    fs.writeFileSync(file(), line('msg_L1', 5));
    const whole = line('msg_L2', 7);
    fs.appendFileSync(file(), whole.slice(0, 40)); // the agent is still writing this line
    const first = importAgentLogs(core, { agents: ['claude-code'] });
    expect(first.agents[0]!.filesRead).toBe(1);
    expect(first.agents[0]!.skipped).toBe(0);
    expect(outputs()).toContainEqual(['msg_L1', 5]);
    expect(outputs().map(([id]) => id)).not.toContain('msg_L2');

    fs.appendFileSync(file(), whole.slice(40));
    const second = importAgentLogs(core, { agents: ['claude-code'] });
    // Only the bytes after the first complete line were read.
    expect(second.agents[0]!.bytesRead).toBe(whole.length);
    expect(outputs()).toContainEqual(['msg_L2', 7]);
  });

  it('grows a response whose later line has more output, and never shrinks it', () => {
    fs.writeFileSync(file(), line('msg_G', 10));
    importAgentLogs(core, { agents: ['claude-code'] });
    fs.appendFileSync(file(), line('msg_G', 300));
    const grown = importAgentLogs(core, { agents: ['claude-code'] });
    expect([grown.agents[0]!.added, grown.agents[0]!.updated]).toEqual([0, 1]);
    fs.appendFileSync(file(), line('msg_G', 20));
    importAgentLogs(core, { agents: ['claude-code'] });
    expect(outputs()).toEqual([['msg_G', 300]]);
    // 1000×1 + 300×5 = 2 500 µ$, in the rollups too
    expect(countedTotal(core.db, '2026-11-20', '2026-11-20', 'anthropic')).toBe(2_500_000n);
  });

  it('reads a rewritten file again from the start (its first bytes changed)', () => {
    fs.writeFileSync(file(), line('msg_A', 10) + line('msg_B', 10));
    importAgentLogs(core, { agents: ['claude-code'] });
    fs.writeFileSync(file(), line('msg_C', 10));
    const report = importAgentLogs(core, { agents: ['claude-code'] });
    expect(report.agents[0]!.added).toBe(1);
    // What was imported stays (Claude Code deletes old transcripts; the ledger keeps them).
    expect(outputs().map(([id]) => id).sort()).toEqual(['msg_A', 'msg_B', 'msg_C']);
  });

  it('handles a line of several megabytes without losing the lines around it', () => {
    const big = JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', content: 'x'.repeat(5_000_000) }] }, usage: 'not a usage line' });
    fs.writeFileSync(file(), line('msg_1', 1) + big + '\n' + line('msg_2', 2));
    const report = importAgentLogs(core, { agents: ['claude-code'] });
    expect(report.agents[0]!.skipped).toBe(0);
    expect(outputs()).toEqual([['msg_1', 1], ['msg_2', 2]]);
  });
});

describe('summary --by agent', () => {
  beforeEach(copyFixtures);

  it('groups counted spend by the agent that logged it, and the groups add up to the same total as by provider', async () => {
    importAgentLogs(core);
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-5', cost: '1.00', at: '2026-11-20T15:00:00Z', source: 'manual' });
    const range = { from: '2026-10-01', to: '2026-11-30' };
    const byAgent = (await dispatch(core, 'spendSummary', { groupBy: 'agent', ...range })) as { totalUsd: string; groups: { key: string; costUsd: string; events: number }[] };
    const byProvider = (await dispatch(core, 'spendSummary', { groupBy: 'provider', ...range })) as { totalUsd: string };
    expect(byAgent.totalUsd).toBe(byProvider.totalUsd);
    // Claude Code 0.07802 (+1 unpriced), Codex 0.01585, Gemini 0.004676; the manual record is no agent's.
    expect(byAgent.groups.map((g) => [g.key, g.costUsd, g.events])).toEqual([
      ['', '1.00', 1],
      ['claude-code', '0.07802', 4],
      ['codex', '0.01585', 4],
      ['gemini', '0.004676', 3],
    ]);
  });
});

describe('billing mode', () => {
  beforeEach(copyFixtures);

  it('asks until answered; a subscription agent is value, not spend, in status and the summary alike', async () => {
    await dispatch(core, 'agentsImport', {});
    const asked = (await dispatch(core, 'agentsList', {})) as { askBilling: string[]; agents: { agent: string; apiValueUsd: string; rows: number }[] };
    expect(asked.askBilling).toEqual(['claude-code', 'codex', 'gemini']);
    const claude = asked.agents.find((a) => a.agent === 'claude-code')!;
    expect([claude.rows, claude.apiValueUsd]).toEqual([4, '0.07802']);
    expect(countedTotal(core.db, '2026-11-20', '2026-11-20', 'anthropic')).toBe(78_020_000n);

    const after = (await dispatch(core, 'agentsSetBilling', { agent: 'claude-code', mode: 'subscription' })) as typeof asked;
    expect(after.askBilling).toEqual(['codex', 'gemini']);
    expect(after.agents.find((a) => a.agent === 'claude-code')!.apiValueUsd).toBe('0.07802');
    expect(countedTotal(core.db, '2026-11-20', '2026-11-20', 'anthropic')).toBe(0n);
    const byProject = (await dispatch(core, 'spendSummary', { groupBy: 'project', from: '2026-11-20', to: '2026-11-20' })) as { groups: { key: string }[] };
    expect(byProject.groups.map((g) => g.key)).not.toContain('shop');
    const byProvider = (await dispatch(core, 'spendSummary', { groupBy: 'provider', from: '2026-11-20', to: '2026-11-20' })) as { groups: { key: string }[] };
    expect(byProvider.groups.map((g) => g.key).sort()).toEqual(['gemini', 'openai']);
  });
});
