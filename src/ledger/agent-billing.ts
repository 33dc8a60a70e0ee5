import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from './settings';

/**
 * How each coding agent is billed, and which ledger rows that keeps out of spend.
 *
 * An agent run on a flat plan (Claude Pro/Max, ChatGPT Plus/Pro) costs its plan's fee, not the
 * API price of its tokens. Its imported rows stay in the ledger as "API-equivalent value" but are
 * left out of every counted total. The exclusion is applied where the counted totals are read
 * (spend.ts for rollups, summary.ts for raw rows, team/collect.ts for the team push), so status,
 * budgets, charts, exports and reconciliation agree without rewriting a row when the user changes
 * the mode.
 *
 * The mode is set per agent, and per model family where it differs (Claude Code on a Max plan for
 * opus and sonnet but an API key for haiku): a family's own mode wins over its agent's.
 *
 * Unset (the default) is counted as spend, and `agents` and the window ask until the user answers:
 * an unasked agent is never quietly treated as free.
 */

export const AGENT_NAMES = ['claude-code', 'codex', 'gemini'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];
export type BillingMode = 'api' | 'subscription';

/** The provider each agent's responses are filed under (so a billed day outranks the log's figure). */
export const AGENT_PROVIDER: Record<AgentName, string> = { 'claude-code': 'anthropic', codex: 'openai', gemini: 'gemini' };

/** The ledger source of imported agent rows. */
export const AGENT_SOURCE = 'agent_log' as const;

const KEY = 'agent_billing';
/** Per agent, the families billed otherwise than the agent: { "claude-code": { "haiku": "api" } }. */
const FAMILY_KEY = 'agent_billing_families';

/** A family name as the CLI and the window take it: what modelFamily returns for some model. */
export const FAMILY_PATTERN = /^[a-z0-9][a-z0-9.-]{0,63}$/;

export function isAgentName(value: string): value is AgentName {
  return (AGENT_NAMES as readonly string[]).includes(value);
}

function agentOfProvider(provider: string): AgentName | undefined {
  return AGENT_NAMES.find((a) => AGENT_PROVIDER[a] === provider);
}

/**
 * The family of a model, as the plans draw their lines: Anthropic's and Google's tiers (opus,
 * sonnet, haiku; pro, flash, flash-lite) whatever the version, else the model without its release
 * date (gpt-5-codex-2025-09-15 → gpt-5-codex). Lower case; '' stays ''.
 */
export function modelFamily(agent: AgentName, model: string): string {
  const m = model.trim().toLowerCase();
  const parts = m.split(/[^a-z0-9.]+/);
  if (agent === 'claude-code') {
    const tier = parts.find((p) => p === 'opus' || p === 'sonnet' || p === 'haiku');
    if (tier) return tier;
  }
  if (agent === 'gemini') {
    const i = parts.findIndex((p) => p === 'pro' || p === 'flash');
    if (i >= 0) return parts[i] === 'flash' && parts[i + 1] === 'lite' ? 'flash-lite' : parts[i]!;
  }
  return m.replace(/[-@](\d{4}-\d{2}-\d{2}|\d{8})$/, '');
}

export function agentBilling(db: Database): Partial<Record<AgentName, BillingMode>> {
  return getSetting<Partial<Record<AgentName, BillingMode>>>(db, KEY, {});
}

export function familyBilling(db: Database): Partial<Record<AgentName, Record<string, BillingMode>>> {
  return getSetting<Partial<Record<AgentName, Record<string, BillingMode>>>>(db, FAMILY_KEY, {});
}

export function setAgentBilling(db: Database, agent: AgentName, mode: BillingMode, now: Date): void {
  setSetting(db, KEY, { ...agentBilling(db), [agent]: mode }, now);
}

/** Set a family's own mode, or (null) let it follow its agent again. */
export function setFamilyBilling(db: Database, agent: AgentName, family: string, mode: BillingMode | null, now: Date): void {
  const all = familyBilling(db);
  const own = { ...(all[agent] ?? {}) };
  if (mode === null) delete own[family];
  else own[family] = mode;
  const next = { ...all, [agent]: own };
  if (Object.keys(own).length === 0) delete next[agent];
  setSetting(db, FAMILY_KEY, next, now);
}

/** Whether a row counts as spend by how its agent (and its model's family) is billed. */
export interface AgentSpendRule {
  /** No agent or family is on a subscription: every row counts (the readers skip the check). */
  readonly allCount: boolean;
  counts(source: string, provider: string, model: string): boolean;
}

/** The rule as the settings say now; read once per read model, asked per row. */
export function agentSpendRule(db: Database): AgentSpendRule {
  const agents = agentBilling(db);
  const families = familyBilling(db);
  const anySubscription =
    Object.values(agents).includes('subscription') || Object.values(families).some((f) => f !== undefined && Object.values(f).includes('subscription'));
  const memo = new Map<string, boolean>();
  return {
    allCount: !anySubscription,
    counts(source, provider, model) {
      if (!anySubscription || source !== AGENT_SOURCE) return true;
      const key = `${provider}\u0000${model}`;
      let answer = memo.get(key);
      if (answer === undefined) {
        const agent = agentOfProvider(provider);
        const mode = agent ? (families[agent]?.[modelFamily(agent, model)] ?? agents[agent]) : undefined;
        memo.set(key, (answer = mode !== 'subscription'));
      }
      return answer;
    },
  };
}
