import type { ReminderList, ReminderView } from '../model/odometer-views';
import type { Reminder } from '../model/views';
import { conflict, notFound } from '../api/errors';
import type { Core } from '../model/context';
import { addMonths, localDay } from '../time';
import { importApiBalances } from './apiBalances';
import { billingMonthOf, monthBounds, monthName } from './billing';
import { loadDerivation, writeSummaries, type Derivation } from './derive';
import { nameOf, usd } from './describe';
import { catchUpSubscriptions } from './subscriptions';
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
  return core.db
    .prepare(
      `SELECT id, kind, provider, message, period FROM reminders
       WHERE answered_at IS NULL AND dismissed_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
         AND (snoozed_until IS NULL OR snoozed_until <= ?)
       ORDER BY created_at, id`,
    )
    .all(now, now) as Reminder[];
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
  const name = nameOf(provider);
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
      const command = `burnrate reading ${provider} USD --month ${previous} --final`;
      const message =
        m && m.lastReadingAtMs !== null
          ? `${name}'s ${monthName(previous)} total is ${usd(m.total)}, from a reading on ${localDay(m.lastReadingAtMs, billingTz)}, before the month's last days: mind entering the final ${monthName(previous)} figure from the ${name} console? (${command})`
          : `Burnrate has no ${name} figure for ${monthName(previous)}: mind entering its final figure from the ${name} console? (${command})`;
      wanted.push({ kind: 'month_final', period: previous, message, expiresAt: null });
    }
    const checkedLately = odo.some((r) => Date.parse(r.taken_at) >= bounds.checkFromMs && r.billing_month === current);
    if (nowMs >= bounds.checkFromMs && nowMs < bounds.endMs && !checkedLately) {
      wanted.push({
        kind: 'month_end',
        period: current,
        message: `${name}'s billing month ends on ${localDay(bounds.endMs - 1, billingTz)}: mind checking your ${name} usage? (burnrate reading ${provider} USD)`,
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
      message: `Your last ${name} reading is from ${localDay(latestMs, core.timeZone)}, over a week ago: mind checking your ${name} ${what}? (burnrate reading ${provider} USD)`,
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

/**
 * Bring time-dependent state up to date and raise reminders that became due: balances the sync
 * reported become readings, subscription days are written through today, month statuses follow
 * the clock (a month closes when it ends), then reminders, answering those whose reading arrived. Idempotent; cheap enough to run at the start of every status read.
 */
export function refreshReminders(core: Core): void {
  importApiBalances(core);
  const touched = catchUpSubscriptions(core);
  if (touched.length > 0) core.spendChanged('subscription', touched);

  const now = core.clock.now();
  const nowIso = now.toISOString();
  const created: ReminderRow[] = [];
  core.db.transaction(() => {
    const insert = core.db.prepare(
      `INSERT INTO reminders (kind, provider, period, message, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, provider, period) DO NOTHING`,
    );
    const open = core.db.prepare('SELECT * FROM reminders WHERE provider = ? AND answered_at IS NULL');
    const answer = core.db.prepare('UPDATE reminders SET answered_at = ? WHERE id = ?');
    const askedSince = core.db.prepare("SELECT 1 FROM reminders WHERE provider = ? AND kind <> 'month_final' AND created_at >= ? LIMIT 1");
    const byId = core.db.prepare('SELECT * FROM reminders WHERE id = ?');
    const supersede = core.db.prepare("UPDATE reminders SET answered_at = ? WHERE provider = ? AND kind = 'stale_reading' AND answered_at IS NULL");
    const withReminders = (core.db.prepare("SELECT DISTINCT provider FROM reminders WHERE answered_at IS NULL AND provider <> ''").all() as { provider: string }[]).map(
      (r) => r.provider,
    );
    const providers = new Set([...providersWithReadings(core.db, ['odometer', 'balance', 'topup']), ...withReminders]);
    for (const provider of providers) {
      const d = loadDerivation(core.db, provider, now.getTime());
      writeSummaries(core.db, provider, d, nowIso);
      const { wanted, answered } = assess(core, provider, d, now.getTime());
      for (const r of open.all(provider) as ReminderRow[]) if (answered(r)) answer.run(nowIso, r.id);
      for (const w of wanted) {
        if (w.kind === 'stale_reading') {
          const latest = [...d.odometerRows, ...d.balanceRows].filter((r) => r.kind !== 'topup' && r.is_final === 0).map((r) => r.taken_at).sort().at(-1);
          if (latest && askedSince.get(provider, latest)) continue;
        }
        const result = insert.run(w.kind, provider, w.period, w.message, nowIso, w.expiresAt);
        if (result.changes === 1) created.push(byId.get(Number(result.lastInsertRowid)) as ReminderRow);
        // The month-end check asks what a stale-reading reminder asks: one prompt per provider is enough.
        if (w.kind === 'month_end') supersede.run(nowIso, provider);
      }
    }
  })();
  for (const r of created) {
    const reminder: Reminder = { id: r.id, kind: r.kind, provider: r.provider, message: r.message, period: r.period };
    core.events.emit('reminderDue', reminder);
    try {
      void Promise.resolve(core.notifier.notify({ kind: 'reminder', title: nameOf(r.provider), body: r.message, target: { view: 'reading', provider: r.provider } })).catch(
        () => undefined,
      );
    } catch {
      // A notifier that fails must not stop the reading that raised the reminder.
    }
  }
}

/** Due and snoozed reminders (answered, dismissed and expired ones are history). */
export function listReminders(core: Core): ReminderList {
  refreshReminders(core);
  const now = core.clock.now().toISOString();
  const rows = core.db
    .prepare(
      `SELECT * FROM reminders WHERE answered_at IS NULL AND dismissed_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
       ORDER BY (snoozed_until IS NOT NULL AND snoozed_until > ?), created_at, id`,
    )
    .all(now, now) as ReminderRow[];
  return { reminders: rows.map((r) => toView(r, now)) };
}

function find(core: Core, id: number): ReminderRow {
  const row = core.db.prepare('SELECT * FROM reminders WHERE id = ?').get(id) as ReminderRow | undefined;
  if (!row) throw notFound(`There is no reminder #${id}; list them with "burnrate reminders".`);
  return row;
}

export function snoozeReminder(core: Core, id: number, hours: number): ReminderView {
  refreshReminders(core);
  const now = core.clock.now();
  const row = find(core, id);
  const state = stateOf(row, now.toISOString());
  if (state === 'answered' || state === 'dismissed') {
    throw conflict(`Reminder #${id} was already ${state === 'answered' ? 'answered' : 'dismissed'}; there is nothing to snooze.`);
  }
  const until = new Date(now.getTime() + hours * 3_600_000).toISOString();
  core.db.prepare('UPDATE reminders SET snoozed_until = ? WHERE id = ?').run(until, id);
  core.events.emit('statusChanged', { reason: 'reminder' });
  return toView(find(core, id), now.toISOString());
}

export function dismissReminder(core: Core, id: number): ReminderView {
  refreshReminders(core);
  const now = core.clock.now().toISOString();
  const row = find(core, id);
  if (stateOf(row, now) === 'due' || stateOf(row, now) === 'snoozed') {
    core.db.prepare('UPDATE reminders SET dismissed_at = ? WHERE id = ?').run(now, id);
    core.events.emit('statusChanged', { reason: 'reminder' });
  }
  return toView(find(core, id), now);
}
