import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

/**
 * Billing per model family, through the CLI as a user runs it: Claude Code on a subscription for
 * its sonnet and opus responses but an API key for haiku. The figures are the fixture's
 * (test/fixtures/agents, worked out in import.test.ts): sonnet 17 430 + 59 490 µ$, haiku 1 100 µ$,
 * one opus response of a model the catalogue does not know (unpriced).
 */

const FIXTURES = path.resolve(__dirname, '../../fixtures/agents');
let home: string;
let env: Record<string, string>;

const run = (...args: string[]) => burnrate(args, env);
const ok = (...args: string[]) => {
  const r = run(...args);
  expect(r.code, `burnrate ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const daySpent = () => ok('status', '--json').json<{ day: { spentUsd: string } }>().day.spentUsd;

interface FamilyJson {
  family: string;
  models: string[];
  billing: string | null;
  effective: string | null;
  countsAsSpend: boolean;
  rows: number;
  apiValueUsd: string;
  unpricedRows: number;
}
const claude = () => ok('agents', '--json').json<{ agents: { agent: string; billing: string | null; families: FamilyJson[] }[]; askBilling: string[] }>();

beforeEach(() => {
  home = tempHome('burnrate-billing-family-');
  fs.cpSync(path.join(FIXTURES, 'claude'), path.join(home, '.claude'), { recursive: true });
  env = { HOME: home, BURNRATE_HOME: path.join(home, 'burnrate'), BURNRATE_NOW: '2026-11-20T18:00:00Z', XDG_CONFIG_HOME: path.join(home, '.config'), CLAUDE_CONFIG_DIR: '' };
  ok('import', 'claude-code', '--json');
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('billing per model family (burnrate agents billing --family)', () => {
  it('a family billed by API counts while its subscription agent does not, and agents --json shows each family', () => {
    expect(daySpent()).toBe('0.07802');
    const before = claude();
    const families = before.agents.find((a) => a.agent === 'claude-code')!.families;
    expect(families).toEqual([
      { family: 'haiku', models: ['claude-haiku-4-5'], billing: null, effective: null, countsAsSpend: true, rows: 1, apiValueUsd: '0.0011', unpricedRows: 0 },
      { family: 'opus', models: ['claude-opus-9-unknown'], billing: null, effective: null, countsAsSpend: true, rows: 1, apiValueUsd: '0.00', unpricedRows: 1 },
      { family: 'sonnet', models: ['claude-sonnet-4-5'], billing: null, effective: null, countsAsSpend: true, rows: 2, apiValueUsd: '0.07692', unpricedRows: 0 },
    ]);

    ok('agents', 'billing', 'claude-code', 'subscription');
    expect(daySpent()).toBe('0.00');
    const set = ok('agents', 'billing', 'claude-code', '--family', 'haiku', 'api');
    expect(set.stdout).toMatch(/haiku\s+api \(spend\); claude-haiku-4-5: 1 row, \$0\.0011\n/);
    expect(set.stdout).toMatch(/opus\s+as the agent \(subscription\); claude-opus-9-unknown: 1 row, unpriced\n/);
    expect(set.stdout).toMatch(/sonnet\s+as the agent \(subscription\)/);
    // Only haiku's response counts: in status, the summary by model and the summary by agent alike.
    expect(daySpent()).toBe('0.0011');
    const byModel = ok('summary', '--by', 'model', '--from', '2026-11-20', '--to', '2026-11-20', '--json').json<{ totalUsd: string; groups: { key: string; costUsd: string }[] }>();
    expect(byModel.groups.map((g) => [g.key, g.costUsd])).toEqual([['claude-haiku-4-5', '0.0011']]);
    const byAgent = ok('summary', '--by', 'agent', '--from', '2026-11-20', '--to', '2026-11-20', '--json').json<{ groups: { key: string; costUsd: string }[] }>();
    expect(byAgent.groups.map((g) => [g.key, g.costUsd])).toEqual([['claude-code', '0.0011']]);

    const after = claude().agents.find((a) => a.agent === 'claude-code')!;
    expect(after.billing).toBe('subscription');
    expect(after.families.map((f) => [f.family, f.billing, f.effective, f.countsAsSpend])).toEqual([
      ['haiku', 'api', 'api', true],
      ['opus', null, 'subscription', false],
      ['sonnet', null, 'subscription', false],
    ]);

    // Back to its agent's mode: nothing counts again.
    ok('agents', 'billing', 'claude-code', '--family', 'HAIKU', 'inherit');
    expect(daySpent()).toBe('0.00');
    expect(claude().agents.find((a) => a.agent === 'claude-code')!.families.every((f) => f.billing === null)).toBe(true);
  });

  it('the other way round: an API agent with one family on a plan, set before any of its responses', () => {
    ok('agents', 'billing', 'claude-code', 'api');
    ok('agents', 'billing', 'claude-code', '--family', 'sonnet', 'subscription');
    ok('agents', 'billing', 'claude-code', '--family', 'mythos', 'subscription');
    expect(daySpent()).toBe('0.0011');
    const families = claude().agents.find((a) => a.agent === 'claude-code')!.families;
    expect(families.find((f) => f.family === 'mythos')).toEqual({ family: 'mythos', models: [], billing: 'subscription', effective: 'subscription', countsAsSpend: false, rows: 0, apiValueUsd: '0.00', unpricedRows: 0 });
  });

  it('refuses a family without a mode of its own, or a name that is no family, in one sentence and changes nothing', () => {
    ok('agents', 'billing', 'claude-code', 'subscription');
    const inherit = run('agents', 'billing', 'claude-code', 'inherit');
    expect(inherit.code).not.toBe(0);
    expect(inherit.stderr.trim()).toBe('burnrate: Only a model family can be billed as its agent (inherit): say api or subscription for claude-code itself, or name the family; nothing was changed.');
    const bad = run('agents', 'billing', 'claude-code', '--family', 'opus 4!', 'api');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/must be a model family such as opus/);
    const mode = run('agents', 'billing', 'claude-code', '--family', 'opus', 'free');
    expect(mode.code).not.toBe(0);
    expect(mode.stderr).toMatch(/must be api or subscription/);
    expect(claude().agents.find((a) => a.agent === 'claude-code')!.billing).toBe('subscription');
    expect(daySpent()).toBe('0.00');
  });
});
