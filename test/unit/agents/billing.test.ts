import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { agentSpendRule, modelFamily, setAgentBilling, setFamilyBilling } from '../../../src/ledger/agent-billing';
import { currentFigures } from '../../../src/team/collect';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('modelFamily', () => {
  it.each([
    ['claude-code', 'claude-opus-4-5-20251101', 'opus'],
    ['claude-code', 'claude-3-5-sonnet-20241022', 'sonnet'],
    ['claude-code', 'claude-haiku-4-5', 'haiku'],
    ['claude-code', 'claude-sonnet-4-5@20250929', 'sonnet'],
    ['claude-code', 'some-other-model-20250101', 'some-other-model'],
    ['codex', 'gpt-5-codex', 'gpt-5-codex'],
    ['codex', 'gpt-5-2025-08-07', 'gpt-5'],
    ['codex', 'GPT-5.1-Codex-Max', 'gpt-5.1-codex-max'],
    ['gemini', 'gemini-2.5-pro', 'pro'],
    ['gemini', 'gemini-2.5-flash', 'flash'],
    ['gemini', 'gemini-2.5-flash-lite', 'flash-lite'],
    ['gemini', 'gemma-3-27b', 'gemma-3-27b'],
  ] as const)('%s %s is %s', (agent, model, family) => {
    expect(modelFamily(agent, model)).toBe(family);
  });
});

describe('agentSpendRule', () => {
  let core: Core;
  beforeEach(() => {
    core = openCore({ memory: true, timeZone: 'UTC', clock: { now: () => NOW } });
  });
  afterEach(() => core.close());

  it('counts everything until something is on a subscription', () => {
    const rule = agentSpendRule(core.db);
    expect(rule.allCount).toBe(true);
    expect(rule.counts('agent_log', 'anthropic', 'claude-opus-4-5')).toBe(true);
  });

  it('a family’s own mode wins over its agent’s, both ways, and other sources and agents are untouched', () => {
    setAgentBilling(core.db, 'claude-code', 'subscription', NOW);
    setFamilyBilling(core.db, 'claude-code', 'haiku', 'api', NOW);
    setFamilyBilling(core.db, 'codex', 'gpt-5-codex', 'subscription', NOW);
    const rule = agentSpendRule(core.db);
    expect(rule.allCount).toBe(false);
    expect(rule.counts('agent_log', 'anthropic', 'claude-opus-4-5')).toBe(false);
    expect(rule.counts('agent_log', 'anthropic', 'claude-sonnet-4-5-20250929')).toBe(false);
    expect(rule.counts('agent_log', 'anthropic', 'claude-haiku-4-5')).toBe(true);
    expect(rule.counts('proxy', 'anthropic', 'claude-opus-4-5')).toBe(true);
    expect(rule.counts('agent_log', 'openai', 'gpt-5-codex')).toBe(false);
    expect(rule.counts('agent_log', 'openai', 'gpt-5')).toBe(true); // codex itself: not answered, counted
    expect(rule.counts('agent_log', 'gemini', 'gemini-2.5-pro')).toBe(true);
  });

  it('a family set back to inherit follows its agent again', () => {
    setAgentBilling(core.db, 'gemini', 'api', NOW);
    setFamilyBilling(core.db, 'gemini', 'flash', 'subscription', NOW);
    expect(agentSpendRule(core.db).counts('agent_log', 'gemini', 'gemini-2.5-flash')).toBe(false);
    setFamilyBilling(core.db, 'gemini', 'flash', null, NOW);
    const rule = agentSpendRule(core.db);
    expect(rule.allCount).toBe(true);
    expect(rule.counts('agent_log', 'gemini', 'gemini-2.5-flash')).toBe(true);
  });

  it('the team push leaves out a subscription family’s rows and keeps the family billed by API', () => {
    const at = new Date('2026-11-20T10:00:00Z');
    core.usage.write([
      { source: 'agent_log', provider: 'anthropic', externalId: 'msg_opus', model: 'claude-opus-4-5', inputTokens: 1000, outputTokens: 100, occurredAt: at },
      { source: 'agent_log', provider: 'anthropic', externalId: 'msg_haiku', model: 'claude-haiku-4-5', inputTokens: 1000, outputTokens: 100, occurredAt: at },
      { source: 'proxy', provider: 'anthropic', externalId: 'msg_proxy', model: 'claude-opus-4-5', inputTokens: 1000, outputTokens: 100, occurredAt: at },
    ]);
    const models = () =>
      [...currentFigures(core.db, { orgs: {} }).values()]
        .flatMap((f) => (f.kind === 'member' ? [`${f.row.source}:${f.row.model}`] : []))
        .sort();
    expect(models()).toEqual(['agent_log:claude-haiku-4-5', 'agent_log:claude-opus-4-5', 'proxy:claude-opus-4-5']);
    setAgentBilling(core.db, 'claude-code', 'subscription', NOW);
    setFamilyBilling(core.db, 'claude-code', 'haiku', 'api', NOW);
    expect(models()).toEqual(['agent_log:claude-haiku-4-5', 'proxy:claude-opus-4-5']);
  });
});
