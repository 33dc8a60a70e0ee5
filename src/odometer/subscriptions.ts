import type { SubscriptionAddInput, SubscriptionList, SubscriptionRemoveResult, SubscriptionView } from '../model/odometer-views';
import { conflict, invalidInput, notFound } from '../model/errors';
import type { Core } from '../model/context';
import type { DayKey } from '../model/day-key';
import type { UsageEventInput } from '../ledger/usage';
import { addTotal, allocate, formatUsd, parseUsd, type Nano } from '../money';
import { providerInfo } from '../providers/catalog';
import { addMonths, assertDate, daysInMonth, eachDay, localDay, startOfLocalDay } from '../time';
import { getAccount, saveAccount } from './modes';
import { slugOf } from '../model/provider-slug';

/**
 * Flat monthly subscriptions (ChatGPT Plus, Claude Pro, Copilot). Decision (docs/odometer.md): a
 * subscription's fee counts once in every calendar month it runs, spread evenly over that month's
 * local days (largest remainder, exact), so the daily view and the daily budget carry a steady
 * share instead of a spike on the charge day, and each month holds exactly the fee. Rows are
 * written for days up to today; `catchUpSubscriptions` adds each new day as it arrives.
 */

interface SubscriptionRow {
  id: number;
  name: string;
  provider: string;
  monthly_nano: number;
  day_of_month: number;
  started_on: string;
  ended_on: string | null;
}

const COLUMNS = 'id, name, provider, monthly_nano, day_of_month, started_on, ended_on';

function today(core: Core): string {
  return localDay(core.clock.now(), core.timeZone);
}

function chargeDay(month: string, dayOfMonth: number): string {
  return `${month}-${String(Math.min(dayOfMonth, daysInMonth(month))).padStart(2, '0')}`;
}

function view(core: Core, s: SubscriptionRow): SubscriptionView {
  const t = today(core);
  const active = s.ended_on === null;
  let next: string | null = null;
  if (active) {
    const thisMonth = chargeDay(t.slice(0, 7), s.day_of_month);
    next = thisMonth >= t ? thisMonth : chargeDay(addMonths(t.slice(0, 7), 1), s.day_of_month);
  }
  return {
    id: s.id,
    name: s.name,
    provider: s.provider,
    monthlyUsd: formatUsd(s.monthly_nano),
    dayOfMonth: s.day_of_month,
    startedOn: s.started_on,
    endedOn: s.ended_on,
    active,
    nextChargeOn: next,
  };
}


function prefixOf(id: number, month?: string): string {
  return month === undefined ? `sub${id}:` : `sub${id}:${month}:`;
}

/** The rows of one subscription month, for its days up to `through`. */
function monthEvents(core: Core, s: SubscriptionRow, month: string, through: string): UsageEventInput[] {
  const days = eachDay(`${month}-01`, chargeDay(month, 31));
  const parts = allocate(s.monthly_nano, days.map(() => 1));
  const events: UsageEventInput[] = [];
  days.forEach((day, i) => {
    if (day > through) return;
    events.push({
      source: 'subscription',
      provider: s.provider,
      externalId: `${prefixOf(s.id, month)}${day}`,
      model: '',
      costNano: parts[i]!,
      occurredAt: startOfLocalDay(day, core.timeZone),
      metadata: { basis: 'subscription', subscriptionId: s.id, name: s.name, monthlyUsd: formatUsd(s.monthly_nano) },
    });
  });
  return events;
}

/** Months a subscription counts in, up to today's month. */
function monthsOf(s: SubscriptionRow, todayDay: string): string[] {
  const last = (s.ended_on ?? todayDay).slice(0, 7);
  const end = last < todayDay.slice(0, 7) ? last : todayDay.slice(0, 7);
  const out: string[] = [];
  for (let m = s.started_on.slice(0, 7); m <= end && out.length < 1200; m = addMonths(m, 1)) out.push(m);
  return out;
}

interface MonthPlan {
  s: SubscriptionRow;
  month: string;
  events: UsageEventInput[];
}

/** The subscription months whose stored rows are not those of today (force: every month). */
function planSubscriptions(core: Core, force: boolean): MonthPlan[] {
  const t = today(core);
  const subs = core.db.prepare(`SELECT ${COLUMNS} FROM subscriptions ORDER BY id`).all() as SubscriptionRow[];
  const plans: MonthPlan[] = [];
  for (const s of subs) {
    const stored = new Map<string, number>();
    for (const { external_id } of storedIds(core, s)) {
      const month = external_id.slice(prefixOf(s.id).length, prefixOf(s.id).length + 7);
      stored.set(month, (stored.get(month) ?? 0) + 1);
    }
    for (const month of monthsOf(s, t)) {
      const events = monthEvents(core, s, month, t);
      if (!force && stored.get(month) === events.length) continue; // force: days moved (zone change)
      plans.push({ s, month, events });
    }
  }
  return plans;
}

function storedIds(core: Core, s: SubscriptionRow): { external_id: string }[] {
  return core.db
    .prepare("SELECT external_id FROM usage_events WHERE source = 'subscription' AND provider = ? AND substr(external_id, 1, ?) = ?")
    .all(s.provider, prefixOf(s.id).length, prefixOf(s.id)) as { external_id: string }[];
}

/**
 * Write every subscription's rows through today: months whose stored day count is already right
 * are skipped, so a daily catch-up touches only the current month. Returns the changed days.
 */
export function catchUpSubscriptions(core: Core, options: { force?: boolean } = {}): DayKey[] {
  const touched: DayKey[] = [];
  core.db.transaction(() => {
    for (const { s, month, events } of planSubscriptions(core, options.force ?? false)) {
      touched.push(...core.usage.replaceDerived('subscription', s.provider, prefixOf(s.id, month), events).touched);
    }
  })();
  return touched;
}

/**
 * The subscription days the catch-up would add now and has not stored yet (a day that began since
 * it last ran), in the order it would store them: reads add them on the fly (ledger/view.ts), so
 * a read-only ledger shows the same figures as a caught-up one.
 */
export function dueSubscriptionEvents(core: Core): UsageEventInput[] {
  const due: UsageEventInput[] = [];
  const storedBy = new Map<number, Set<string>>();
  for (const { s, events } of planSubscriptions(core, false)) {
    let stored = storedBy.get(s.id);
    if (!stored) storedBy.set(s.id, (stored = new Set(storedIds(core, s).map((r) => r.external_id))));
    due.push(...events.filter((e) => !stored.has(e.externalId!)));
  }
  return due;
}

function reportChange(core: Core, touched: DayKey[]): void {
  if (touched.length > 0) core.spendChanged('subscription', touched);
}

/** What a subscription to add would be, checked as adding it checks it (the preview asks the same). */
export interface CheckedSubscription {
  monthly: Nano;
  provider: string;
  since: string;
  today: string;
}

export function checkSubscription(core: Core, input: SubscriptionAddInput): CheckedSubscription {
  const monthly = parseUsd(input.monthly, { label: 'The monthly fee' });
  const provider = input.provider ?? slugOf(input.name);
  if (!/^[a-z0-9][a-z0-9._-]{0,39}$/.test(provider)) {
    throw invalidInput('provider_name_needed', `Burnrate cannot make a provider name from "${input.name}"; name the provider yourself (letters, digits, - . _).`, { name: input.name, field: 'provider' });
  }
  const t = today(core);
  const since = input.since !== undefined ? assertDate(input.since, 'The start date') : t;
  if (since > t) throw invalidInput('start_in_future', `The start date ${since} is in the future; add the subscription once it has started.`, { since, field: 'since' });
  const same = (core.db.prepare(`SELECT ${COLUMNS} FROM subscriptions WHERE ended_on IS NULL`).all() as SubscriptionRow[]).find(
    (s) => s.name.toLowerCase() === input.name.toLowerCase(),
  );
  if (same) {
    throw conflict('subscription_exists', `"${same.name}" is already tracked as subscription #${same.id}; nothing was added.`, { subscriptionId: same.id, name: same.name, field: 'name' });
  }
  return { monthly, provider, since, today: t };
}

/**
 * The fee a subscription would add to each local day from its first month through today, in the
 * rows the catch-up would write: the same split, so a preview and the saved figures agree.
 */
export function subscriptionDayShares(core: Core, s: CheckedSubscription & { name: string; day: number }): { day: string; nano: Nano }[] {
  const row: SubscriptionRow = { id: 0, name: s.name, provider: s.provider, monthly_nano: s.monthly, day_of_month: s.day, started_on: s.since, ended_on: null };
  return monthsOf(row, s.today).flatMap((month) => monthEvents(core, row, month, s.today).map((e) => ({ day: e.externalId!.slice(-10), nano: e.costNano! })));
}

export function addSubscription(core: Core, input: SubscriptionAddInput): SubscriptionView {
  const { monthly, provider, since } = checkSubscription(core, input);
  const now = core.clock.now().toISOString();
  const id = core.db.transaction(() => {
    // A new name of its own (chatgpt-plus) is a subscription-mode provider; a known one keeps its mode.
    if (!providerInfo(provider) && !getAccount(core.db, provider).configured) {
      saveAccount(core.db, { provider, mode: 'subscription', billingTz: 'UTC' }, now);
    }
    return Number(
      core.db
        .prepare('INSERT INTO subscriptions (name, provider, monthly_nano, day_of_month, started_on, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(input.name, provider, monthly, input.day, since, now).lastInsertRowid,
    );
  })();
  reportChange(core, catchUpSubscriptions(core));
  return view(core, core.db.prepare(`SELECT ${COLUMNS} FROM subscriptions WHERE id = ?`).get(id) as SubscriptionRow);
}

export function listSubscriptions(core: Core): SubscriptionList {
  const rows = core.db.prepare(`SELECT ${COLUMNS} FROM subscriptions ORDER BY ended_on IS NOT NULL, name, id`).all() as SubscriptionRow[];
  let total = 0n;
  for (const s of rows) if (s.ended_on === null) total = addTotal(total, s.monthly_nano);
  return { subscriptions: rows.map((s) => view(core, s)), monthlyTotalUsd: formatUsd(total) };
}

/**
 * End a subscription today: months so far keep their fee (the current month's fee was paid, so
 * the month still counts it whole). With purge (a mistaken entry), delete it and all its rows.
 */
export function removeSubscription(core: Core, id: number, purge: boolean): SubscriptionRemoveResult {
  const s = core.db.prepare(`SELECT ${COLUMNS} FROM subscriptions WHERE id = ?`).get(id) as SubscriptionRow | undefined;
  if (!s) throw notFound('subscription_not_found', `There is no subscription #${id}.`, { subscriptionId: id });
  if (purge) {
    const touched = core.db.transaction(() => {
      const result = core.usage.replaceDerived('subscription', s.provider, prefixOf(s.id), []);
      core.db.prepare('DELETE FROM subscriptions WHERE id = ?').run(id);
      return result.touched;
    })();
    reportChange(core, touched);
    return { subscription: { ...view(core, s), active: false, nextChargeOn: null }, purged: true };
  }
  if (s.ended_on !== null) {
    throw conflict('subscription_already_ended', `Subscription #${id} (${s.name}) already ended on ${s.ended_on}; only deleting it with its history is left.`, {
      subscriptionId: id,
      name: s.name,
      endedOn: s.ended_on,
    });
  }
  core.db.prepare('UPDATE subscriptions SET ended_on = ? WHERE id = ?').run(today(core), id);
  reportChange(core, catchUpSubscriptions(core));
  const ended = core.db.prepare(`SELECT ${COLUMNS} FROM subscriptions WHERE id = ?`).get(id) as SubscriptionRow;
  return { subscription: view(core, ended), purged: false };
}
