import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from './settings';

/**
 * How each coding agent is billed, and which ledger rows that keeps out of spend.
 *
 * An agent run on a flat plan (Claude Pro/Max, ChatGPT Plus/Pro) costs its plan's fee, not the
 * API price of its tokens. Its imported rows stay in the ledger as "API-equivalent value" but are
 * left out of every counted total. The exclusion is applied where the counted totals are read
 * (spend.ts for rollups, summary.ts for raw rows), so status, budgets, charts, exports and
 * reconciliation agree without rewriting a row when the user changes the mode.
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

export function isAgentName(value: string): value is AgentName {
  return (AGENT_NAMES as readonly string[]).includes(value);
}

export function agentBilling(db: Database): Partial<Record<AgentName, BillingMode>> {
  return getSetting<Partial<Record<AgentName, BillingMode>>>(db, KEY, {});
}

export function setAgentBilling(db: Database, agent: AgentName, mode: BillingMode, now: Date): void {
  setSetting(db, KEY, { ...agentBilling(db), [agent]: mode }, now);
}

/** Providers whose agent-log rows are not spend (their agent runs on a subscription). */
export function uncountedAgentProviders(db: Database): ReadonlySet<string> {
  const out = new Set<string>();
  for (const [agent, mode] of Object.entries(agentBilling(db))) {
    if (mode === 'subscription' && isAgentName(agent)) out.add(AGENT_PROVIDER[agent]);
  }
  return out;
}
