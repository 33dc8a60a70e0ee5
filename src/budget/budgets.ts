import type { Database } from 'better-sqlite3';
import { amountText } from '../amount-text';
import { getSetting, setSetting } from '../ledger/settings';
import { MoneyError, parseUsd, type Nano } from '../money';
import { PROVIDERS } from '../providers/catalog';
import { DEFAULT_RESERVE_BP } from './health';

/**
 * The budgets a user sets: a daily and a monthly virtual budget over all providers, one reserve
 * share for both (settings key 'reserve_bp', in basis points, default 2000 = 20 %), and optional
 * monthly caps per provider (no reserve: a cap is a hard line).
 */
export interface Budgets {
  daily: Nano | null;
  monthly: Nano | null;
  reserveBp: number;
  /** Per-provider monthly caps. */
  caps: Record<string, Nano>;
  /** Per-project monthly caps (no reserve either), by project name. */
  projectCaps: Record<string, Nano>;
}

export const RESERVE_SETTING = 'reserve_bp';

/** A budget input the user must fix; the handler turns it into an invalid-input error. */
export class BudgetInputError extends Error {
  override name = 'BudgetInputError';
  constructor(
    message: string,
    /** The reason a transport words its remedy by (src/model/errors.ts); 'bad_budget' has none. */
    readonly reason = 'bad_budget',
    readonly facts: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function readReserveBp(db: Database): number {
  const stored = getSetting<unknown>(db, RESERVE_SETTING, DEFAULT_RESERVE_BP);
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 && stored <= 10_000 ? stored : DEFAULT_RESERVE_BP;
}

export function readBudgets(db: Database): Budgets {
  const rows = db.prepare('SELECT scope, provider, amount_nano FROM budgets ORDER BY provider').all() as {
    scope: string;
    provider: string;
    amount_nano: number;
  }[];
  const budgets: Budgets = { daily: null, monthly: null, reserveBp: readReserveBp(db), caps: {}, projectCaps: readProjectCaps(db) };
  for (const r of rows) {
    if (r.scope === 'daily') budgets.daily = r.amount_nano;
    else if (r.scope === 'monthly') budgets.monthly = r.amount_nano;
    else budgets.caps[r.provider] = r.amount_nano;
  }
  return budgets;
}

/** Monthly caps by project name, from project_budgets (migration 011). */
export function readProjectCaps(db: Database): Record<string, Nano> {
  const rows = db.prepare('SELECT project, amount_nano FROM project_budgets ORDER BY project').all() as { project: string; amount_nano: number }[];
  const caps: Record<string, Nano> = {};
  for (const r of rows) caps[r.project] = r.amount_nano;
  return caps;
}

export { PROJECT_NAME } from '../model/input-patterns';

/** What a `budget set` changes; undefined leaves a value as it is, null removes it. */
export interface BudgetChange {
  daily?: Nano | null;
  monthly?: Nano | null;
  reserveBp?: number;
  cap?: { provider: string; amount: Nano | null };
  projectCap?: { project: string; amount: Nano | null };
}

const CLEAR_WORDS = new Set(['none', 'off', 'clear']);

/**
 * A budget amount: more than zero, or none/off/clear (or null) to remove it. "0" is refused rather
 * than read as "no budget" or "nothing may be spent": both readings surprise someone.
 */
export function parseBudgetAmount(value: string | number | null, flag: string): Nano | null {
  if (value === null) return null;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (CLEAR_WORDS.has(text.toLowerCase())) return null;
  // "the monthly cap", "the daily budget": a cap is not also called a budget.
  const subject = flag.endsWith('cap') ? `The ${flag}` : `The ${flag} budget`;
  let nano: Nano;
  try {
    nano = parseUsd(amountText(value, subject), { label: subject, allowNegative: true });
  } catch (error) {
    if (error instanceof MoneyError) throw new BudgetInputError(`${error.message.replace(/\.$/, '')}; nothing was changed.`);
    throw error;
  }
  // Neutral sentences: how to remove one is the transport's to say (a field left empty, none, null).
  const facts = { budget: flag };
  if (nano < 0) throw new BudgetInputError(`${subject} "${text}" is negative; give an amount such as 5.00. Nothing was changed.`, 'budget_negative', facts);
  if (nano === 0) throw new BudgetInputError(`${subject} must be more than $0. Nothing was changed.`, 'budget_zero', facts);
  return nano;
}

/** "20" or "12.5" (percent) → basis points; 0–100 with at most two decimals. */
export function parseReservePct(value: string | number): number {
  const text = String(value).trim().replace(/%$/, '');
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  const bp = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : NaN;
  if (!m || bp > 10_000) {
    throw new BudgetInputError(`The reserve must be a percentage from 0 to 100 such as 20 (got "${String(value)}"); nothing was changed.`);
  }
  return bp;
}

/**
 * A provider Burnrate knows: one of the catalogue's, or one that has rows, an account, a
 * subscription or a cap already. A cap for anything else is almost always a typo.
 */
export function isKnownProvider(db: Database, provider: string): boolean {
  if (PROVIDERS.some((p) => p.slug === provider)) return true;
  const row = db
    .prepare(
      `SELECT 1 FROM provider_accounts WHERE provider = @p
       UNION ALL SELECT 1 FROM daily_rollups WHERE provider = @p
       UNION ALL SELECT 1 FROM subscriptions WHERE provider = @p
       UNION ALL SELECT 1 FROM budgets WHERE provider = @p
       LIMIT 1`,
    )
    .get({ p: provider });
  return row !== undefined;
}

export function knownProviders(db: Database): string[] {
  const rows = db
    .prepare(
      `SELECT provider FROM provider_accounts UNION SELECT provider FROM daily_rollups
       UNION SELECT provider FROM subscriptions ORDER BY provider`,
    )
    .all() as { provider: string }[];
  return [...new Set([...PROVIDERS.map((p) => p.slug), ...rows.map((r) => r.provider)])];
}

/** Apply a validated change in one transaction: all of it or nothing. */
export function applyBudgetChange(db: Database, change: BudgetChange, now: Date): void {
  const upsert = db.prepare(
    `INSERT INTO budgets (scope, provider, amount_nano, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (scope, provider) DO UPDATE SET amount_nano = excluded.amount_nano, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM budgets WHERE scope = ? AND provider = ?');
  const set = (scope: string, provider: string, amount: Nano | null) =>
    amount === null ? remove.run(scope, provider) : upsert.run(scope, provider, amount, now.toISOString());
  db.transaction(() => {
    if (change.daily !== undefined) set('daily', '', change.daily);
    if (change.monthly !== undefined) set('monthly', '', change.monthly);
    if (change.cap) set('provider_monthly', change.cap.provider, change.cap.amount);
    if (change.projectCap) {
      const { project, amount } = change.projectCap;
      if (amount === null) db.prepare('DELETE FROM project_budgets WHERE project = ?').run(project);
      else {
        db.prepare(
          `INSERT INTO project_budgets (project, amount_nano, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (project) DO UPDATE SET amount_nano = excluded.amount_nano, updated_at = excluded.updated_at`,
        ).run(project, amount, now.toISOString());
      }
    }
    if (change.reserveBp !== undefined) setSetting(db, RESERVE_SETTING, change.reserveBp, now);
  })();
}
