import type { ReminderList, ReminderView } from '../model/odometer-views';
import type { Reminder } from '../model/views';
import { conflict, notFound } from '../model/errors';
import type { Core } from '../model/context';
import { addMonths, localDay } from '../time';
import { billingMonthOf, monthBounds, monthName } from './billing';
import { loadDerivation, type Derivation } from './derive';
import { nameOf, usd } from './describe';
import { providersWithReadings } from './store';

/**
 * Reminders: the conversational prompts ("mind checking your Groq usage?") that the popover,
 * notifications and `status` show. Three kinds, each about one provider and one period:
 * - month_end:     the provider's billing month ends soon (from the day two days before its last
 *                  day) and no reading was taken since; expires when the month ends;
 * - month_final:   the previous billing month closed without a final figure (its last reading was
 *                  taken before its last three days, or it has none);
 * - stale_reading: the latest reading is more than 7 days old (not asked when another reminder
 *                  for the provider was raised since that reading, nor within a day of entering
 *                  one, e.g. back-dated history; a month-end check supersedes it).
 * A reminder is stored once per (kind, provider, period): once answered (the reading it asked for
 * arrived), dismissed or expired it never comes back; a snoozed one returns when the snooze ends.
 */

const STALE_MS = 7 * 86_400_000;
const ENTERED_LATELY_MS = 86_400_000;

interface ReminderRow {
  id: number;
  kind: string;
  provider: string;
  period: string;
  message: string;
  created_at: string;
  expires_at: string | null;
  snoozed_until: string | null;
  dismissed_at: string | null;
  answered_at: string | null;
}

/** Reminders that are due now: not answered, dismissed or expired, and not snoozed past now. */
export function activeReminders(core: Core): Reminder[] {
  const now = core.clock.now().toISOString();
  return currentRows(core)
    .filter((r) => stateOf(r, now) === 'due')
    .map((r) => ({ id: r.id, kind: r.kind, provider: r.provider, message: r.message, period: r.period }));
}

function stateOf(r: ReminderRow, now: string): ReminderView['state'] {
  if (r.answered_at !== null || (r.expires_at !== null && r.expires_at <= now)) return 'answered';
  if (r.dismissed_at !== null) return 'dismissed';
  if (r.snoozed_until !== null && r.snoozed_until > now) return 'snoozed';
  return 'due';
}

function toView(r: ReminderRow, now: string): ReminderView {
  return {
    id: r.id,
    kind: r.kind,
    provider: r.provider,
    message: r.message,
    period: r.period,
    state: stateOf(r, now),
    createdAt: r.created_at,
    snoozedUntil: r.snoozed_until,
  };
}

interface Wanted {
  kind: 'month_end' | 'month_final' | 'stale_reading';
  period: string;
  message: string;
  expiresAt: string | null;
}

/** What a provider's readings call for now, and which open reminders they answer. */
function assess(core: Core, provider: string, d: Derivation, nowMs: number): { wanted: Wanted[]; answered: (r: ReminderRow) => boolean } {
  const name = nameOf(core, provider);
  const { mode, billingTz } = d.account;
  const wanted: Wanted[] = [];
  const current = billingMonthOf(nowMs, billingTz);
  const bounds = monthBounds(current, billingTz);
  const odo = d.odometerRows.filter((r) => r.is_final === 0);
  const balances = d.balanceRows.filter((r) => r.kind === 'balance');
  const latest = mode === 'odometer' ? odo.at(-1) : mode === 'balance' ? balances.at(-1) : undefined;
  const latestMs = latest ? Date.parse(latest.taken_at) : null;

  if (mode === 'odometer') {
    const previous = addMonths(current, -1);
    const prevBounds = monthBounds(previous, billingTz);
    const trackedBefore = odo.some((r) => Date.parse(r.taken_at) < prevBounds.endMs) || d.months.some((m) => m.month <= previous);
    if (trackedBefore && d.statuses.get(previous) !== 'final') {
      const m = d.months.find((x) => x.month === previous);
      // Stored and shown everywhere (window, notification): neutral; the CLI adds its command (src/cli/remedies.ts).
      const message =
        m && m.lastReadingAtMs !== null
          ? `${name}'s ${monthName(previous)} total is ${usd(m.total)}, from a reading on ${localDay(m.lastReadingAtMs, billingTz)}, before the month's last days: mind entering the final ${monthName(previous)} figure from the ${name} console?`
          : `Burnrate has no ${name} figure for ${monthName(previous)}: mind entering its final figure from the ${name} console?`;
      wanted.push({ kind: 'month_final', period: previous, message, expiresAt: null });
    }
    const checkedLately = odo.some((r) => Date.parse(r.taken_at) >= bounds.checkFromMs && r.billing_month === current);
    if (nowMs >= bounds.checkFromMs && nowMs < bounds.endMs && !checkedLately) {
      wanted.push({
        kind: 'month_end',
        period: current,
        message: `${name}'s billing month ends on ${localDay(bounds.endMs - 1, billingTz)}: mind checking your ${name} usage?`,
        expiresAt: new Date(bounds.endMs).toISOString(),
      });
    }
  }
  // Someone entering figures right now (say, back-dated history) is not to be told they are late.
  const enteredLately = [...d.odometerRows, ...d.balanceRows].some((r) => nowMs - Date.parse(r.created_at) < ENTERED_LATELY_MS);
  if (latest && latestMs !== null && nowMs - latestMs > STALE_MS && !enteredLately) {
    const what = mode === 'balance' ? `balance` : `usage`;
    wanted.push({
      kind: 'stale_reading',
      period: localDay(latestMs, core.timeZone),
      message: `Your last ${name} reading is from ${localDay(latestMs, core.timeZone)}, over a week ago: mind checking your ${name} ${what}?`,
      expiresAt: null,
    });
  }

  const answered = (r: ReminderRow): boolean => {
    if (mode !== 'odometer' && mode !== 'balance') return true; // no longer takes readings: nothing left to ask
    switch (r.kind) {
      case 'month_end': {
        const b = monthBounds(r.period, billingTz);
        return odo.some((x) => x.billing_month === r.period && Date.parse(x.taken_at) >= b.checkFromMs);
      }
      case 'month_final':
        return d.statuses.get(r.period) === 'final';
      case 'stale_reading':
        return latestMs !== null && localDay(latestMs, core.timeZone) > r.period;
      default:
        return false;
    }
  };
  return { wanted, answered };
}

/** What raising the reminders now would change: rows to insert, open rows it answers. */
interface ReminderPlan {
  /** New rows as they will be stored, ids included (SQLite gives max(id) + 1 in turn). */
  inserts: ReminderRow[];
  /** Open reminders answered by a reading that arrived, or superseded by a month-end check. */
  answered: Set<number>;
  /** Open reminders whose sentence no longer tells the figures (a reading for that month arrived since): the new sentence. */
  reworded: Map<number, string>;
}

/**
 * Plan the reminders due now, without writing: `raiseReminders` stores the plan, and reads show it
 * on the fly (`currentRows`), so a read-only ledger lists what a caught-up one stores.
 */
function planReminders(core: Core, now: Date): ReminderPlan {
  const nowIso = now.toISOString();
  const db = core.db;
  const all = db.prepare('SELECT * FROM reminders ORDER BY id').all() as ReminderRow[];
  const keys = new Set(all.map((r) => `${r.kind}|${r.provider}|${r.period}`));
  let nextId = (all.reduce((max, r) => Math.max(max, r.id), 0) as number) + 1;
  const plan: ReminderPlan = { inserts: [], answered: new Set(), reworded: new Map() };
  const withReminders = all.filter((r) => r.answered_at === null && r.provider !== '').map((r) => r.provider);
  const providers = new Set([...providersWithReadings(db, ['odometer', 'balance', 'topup']), ...withReminders]);
  for (const provider of [...providers].sort()) {
    const d = loadDerivation(db, provider, now.getTime());
    const { wanted, answered } = assess(core, provider, d, now.getTime());
    const mine = [...all, ...plan.inserts].filter((r) => r.provider === provider);
    for (const r of mine) if (r.answered_at === null && answered(r)) plan.answered.add(r.id);
    for (const w of wanted) {
      if (w.kind === 'stale_reading') {
        const latest = [...d.odometerRows, ...d.balanceRows].filter((r) => r.kind !== 'topup' && r.is_final === 0).map((r) => r.taken_at).sort().at(-1);
        const asked = [...all, ...plan.inserts].some((r) => r.provider === provider && r.kind !== 'month_final' && latest !== undefined && r.created_at >= latest);
        if (latest && asked) continue;
      }
      const key = `${w.kind}|${provider}|${w.period}`;
      const open = all.find((r) => r.kind === w.kind && r.provider === provider && r.period === w.period && r.answered_at === null && r.dismissed_at === null);
      if (open && open.message !== w.message) plan.reworded.set(open.id, w.message);
      if (!keys.has(key)) {
        keys.add(key);
        plan.inserts.push({
          id: nextId++,
          kind: w.kind,
          provider,
          period: w.period,
          message: w.message,
          created_at: nowIso,
          expires_at: w.expiresAt,
          snoozed_until: null,
          dismissed_at: null,
          answered_at: null,
        });
      }
      // The month-end check asks what a stale-reading reminder asks: one prompt per provider is enough.
      if (w.kind === 'month_end') {
        for (const r of [...all, ...plan.inserts]) if (r.provider === provider && r.kind === 'stale_reading' && r.answered_at === null) plan.answered.add(r.id);
      }
    }
  }
  return plan;
}

/** Every stored reminder as raising them now would leave it (the truth as of now, for reads). */
function currentRows(core: Core): ReminderRow[] {
  const now = core.clock.now();
  const plan = planReminders(core, now);
  const stored = core.db.prepare('SELECT * FROM reminders ORDER BY created_at, id').all() as ReminderRow[];
  return [...stored, ...plan.inserts]
    .map((r) => (plan.reworded.has(r.id) ? { ...r, message: plan.reworded.get(r.id)! } : r))
    .map((r) => (plan.answered.has(r.id) ? { ...r, answered_at: now.toISOString() } : r));
}

/**
 * Store the reminders due now and mark those a reading answered (one transaction); returns the
 * new ones for `announceReminders`. Idempotent: a second run with nothing new changes nothing.
 */
export function raiseReminders(core: Core): Reminder[] {
  const now = core.clock.now();
  const nowIso = now.toISOString();
  return core.db
    .transaction(() => {
      const plan = planReminders(core, now);
      const answer = core.db.prepare('UPDATE reminders SET answered_at = ? WHERE id = ?');
      for (const id of plan.answered) if (plan.inserts.every((r) => r.id !== id)) answer.run(nowIso, id);
      const reword = core.db.prepare('UPDATE reminders SET message = ? WHERE id = ?');
      for (const [id, message] of plan.reworded) reword.run(message, id);
      const insert = core.db.prepare(
        `INSERT INTO reminders (id, kind, provider, period, message, created_at, expires_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of plan.inserts) insert.run(r.id, r.kind, r.provider, r.period, r.message, r.created_at, r.expires_at, plan.answered.has(r.id) ? nowIso : null);
      return plan.inserts.filter((r) => !plan.answered.has(r.id)).map((r) => ({ id: r.id, kind: r.kind, provider: r.provider, message: r.message, period: r.period }));
    })
    .immediate();
}

/** Tell clients and the user about reminders just raised (the event, then an OS notification). */
export function announceReminders(core: Core, raised: readonly Reminder[]): void {
  for (const reminder of raised) {
    core.events.emit('reminderDue', reminder);
    try {
      void Promise.resolve(
        core.notifier.notify({ kind: 'reminder', title: nameOf(core, reminder.provider), body: reminder.message, target: { view: 'reading', provider: reminder.provider } }),
      ).catch(() => undefined);
    } catch {
      // A notifier that fails must not stop the reading that raised the reminder.
    }
  }
}

/** Due and snoozed reminders; with `dismissed`, the dismissed ones too (to be seen, not to come back). Answered and expired ones are history. */
export function listReminders(core: Core, options: { dismissed?: boolean } = {}): ReminderList {
  const now = core.clock.now().toISOString();
  const shown: ReminderView['state'][] = options.dismissed ? ['due', 'snoozed', 'dismissed'] : ['due', 'snoozed'];
  const rows = currentRows(core);
  // Due first, then snoozed, then dismissed; each in the order they were raised (currentRows keeps created_at, id).
  const ordered = shown.flatMap((state) => rows.filter((r) => stateOf(r, now) === state));
  return { reminders: ordered.map((r) => toView(r, now)) };
}

/** Store what is due first, so a reminder a read showed on the fly can be snoozed or dismissed. */
function raiseFirst(core: Core): void {
  announceReminders(core, raiseReminders(core));
}

function find(core: Core, id: number): ReminderRow {
  const row = core.db.prepare('SELECT * FROM reminders WHERE id = ?').get(id) as ReminderRow | undefined;
  if (!row) throw notFound('reminder_not_found', `There is no reminder #${id}.`, { reminderId: id });
  return row;
}

export function snoozeReminder(core: Core, id: number, hours: number): ReminderView {
  raiseFirst(core);
  const now = core.clock.now();
  const row = find(core, id);
  const state = stateOf(row, now.toISOString());
  if (state === 'answered' || state === 'dismissed') {
    throw conflict('reminder_closed', `Reminder #${id} was already ${state === 'answered' ? 'answered' : 'dismissed'}; there is nothing to snooze.`, { reminderId: id, state });
  }
  const until = new Date(now.getTime() + hours * 3_600_000).toISOString();
  core.db.prepare('UPDATE reminders SET snoozed_until = ? WHERE id = ?').run(until, id);
  core.events.emit('statusChanged', { reason: 'reminder' });
  return toView(find(core, id), now.toISOString());
}

/** End a snooze now: the reminder is due again. One already due stays as it is. */
export function unsnoozeReminder(core: Core, id: number): ReminderView {
  raiseFirst(core);
  const now = core.clock.now().toISOString();
  const row = find(core, id);
  const state = stateOf(row, now);
  if (state === 'answered' || state === 'dismissed') {
    throw conflict('reminder_closed', `Reminder #${id} was already ${state === 'answered' ? 'answered' : 'dismissed'}; there is no snooze to end.`, { reminderId: id, state });
  }
  if (state === 'snoozed') {
    core.db.prepare('UPDATE reminders SET snoozed_until = NULL WHERE id = ?').run(id);
    core.events.emit('statusChanged', { reason: 'reminder' });
  }
  return toView(find(core, id), now);
}

export function dismissReminder(core: Core, id: number): ReminderView {
  raiseFirst(core);
  const now = core.clock.now().toISOString();
  const row = find(core, id);
  if (stateOf(row, now) === 'due' || stateOf(row, now) === 'snoozed') {
    core.db.prepare('UPDATE reminders SET dismissed_at = ? WHERE id = ?').run(now, id);
    core.events.emit('statusChanged', { reason: 'reminder' });
  }
  return toView(find(core, id), now);
}
