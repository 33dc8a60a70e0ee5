import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from '../ledger/settings';
import { readBudgets } from './budgets';

/**
 * What the metering proxy does when a request would pass a budget's line (docs/proxy.md):
 *   enforce  refuse it before it reaches the provider
 *   warn     let it through (alerts still fire as for any spend)
 *   off      the proxy ignores this budget
 * Default 'warn', so nothing is ever refused until the user asks for it. Stored in settings (one
 * JSON object) rather than beside the amounts, so removing and re-setting an amount keeps its policy.
 */
export const POLICIES = ['enforce', 'warn', 'off'] as const;
export type Policy = (typeof POLICIES)[number];
export const DEFAULT_POLICY: Policy = 'warn';

/** A budget the proxy can enforce: the daily, the monthly, one provider's or one project's monthly cap. */
export type PolicyScope = { kind: 'daily' } | { kind: 'monthly' } | { kind: 'cap'; provider: string } | { kind: 'project'; project: string };

export const POLICY_SETTING = 'budget_policies';

function keyOf(scope: PolicyScope): string {
  if (scope.kind === 'cap') return `cap:${scope.provider}`;
  return scope.kind === 'project' ? `project:${scope.project}` : scope.kind;
}

function isPolicy(value: unknown): value is Policy {
  return typeof value === 'string' && (POLICIES as readonly string[]).includes(value);
}

/** Every stored policy by key (daily, monthly, cap:<provider>, project:<name>); anything unreadable is ignored. */
export function readPolicies(db: Database): Record<string, Policy> {
  const stored = getSetting<unknown>(db, POLICY_SETTING, {});
  const out: Record<string, Policy> = {};
  if (stored && typeof stored === 'object') {
    for (const [k, v] of Object.entries(stored)) if (isPolicy(v)) out[k] = v;
  }
  return out;
}

export function policyOf(policies: Readonly<Record<string, Policy>>, scope: PolicyScope): Policy {
  return policies[keyOf(scope)] ?? DEFAULT_POLICY;
}

/** Set the policy of some budgets in one write. */
export function setPolicies(db: Database, scopes: readonly PolicyScope[], policy: Policy, now: Date): void {
  const next = readPolicies(db);
  for (const s of scopes) next[keyOf(s)] = policy;
  setSetting(db, POLICY_SETTING, next, now);
}

/**
 * Which budgets a `budget set … --enforce` means: the provider's cap with --provider, the daily
 * and/or monthly budget when named, else every budget that is set now.
 */
export function scopesForPolicy(db: Database, named: { daily?: unknown; monthly?: unknown; provider?: string | undefined; project?: string | undefined }): PolicyScope[] {
  if (named.provider !== undefined) return [{ kind: 'cap', provider: named.provider }];
  if (named.project !== undefined) return [{ kind: 'project', project: named.project }];
  const scopes: PolicyScope[] = [];
  if (named.daily !== undefined) scopes.push({ kind: 'daily' });
  if (named.monthly !== undefined) scopes.push({ kind: 'monthly' });
  if (scopes.length) return scopes;
  const b = readBudgets(db);
  if (b.daily !== null) scopes.push({ kind: 'daily' });
  if (b.monthly !== null) scopes.push({ kind: 'monthly' });
  for (const provider of Object.keys(b.caps)) scopes.push({ kind: 'cap', provider });
  for (const project of Object.keys(b.projectCaps)) scopes.push({ kind: 'project', project });
  return scopes;
}
