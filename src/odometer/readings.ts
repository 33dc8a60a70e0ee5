import type { ProviderReadings, ReadingAddInput, ReadingAddResult, ReadingDeleteResult, TopupResult } from '../model/odometer-views';
import { conflict, invalidInput, notFound, type BurnrateError } from '../model/errors';
import type { Core } from '../model/context';
import { formatUsd, parseUsd, type Nano } from '../money';
import { parseAt } from '../model/at';
import { addMonths } from '../time';
import { billingMonthOf, monthBounds, monthName, readingMonthOf } from './billing';
import { changeReadings, loadDerivation, toOdoReading } from './derive';
import { nameOf, usd, when } from './describe';
import { getAccount, inForce, modeChanges, periodsOf, type ProviderAccount } from './modes';
import { findViolation, type OdoReading, type OdoViolation } from './odometer';
import { getReading, insertReading, latestReading, listReadings, softDeleteReading, type ReadingRow } from './store';
import { balanceView, monthView, readingView } from './views';

/**
 * Entering, correcting and deleting readings and top-ups. Each change is checked against the
 * provider's other figures first (nothing is written when it is refused), then written together
 * with the re-derived ledger rows in one transaction.
 */

/** A reading's time: when the user read the figure, never ahead of the clock. */
function readAt(core: Core, at: string | undefined): Date {
  return parseAt(at, core, { label: 'The time the figure was read', remedy: 'give the time you read the figure' });
}

/** Refuse readings for providers whose mode takes none; transports say how to change the mode. */
function requireReadingMode(core: Core, account: ProviderAccount): 'odometer' | 'balance' {
  const { provider, mode } = account;
  if (mode === 'odometer' || mode === 'balance') return mode;
  const why: Record<string, string> = {
    api: 'is tracked through its billing API (mode api)',
    subscription: 'is tracked as a flat subscription (mode subscription)',
    manual: 'is tracked by recorded usage (mode manual)',
  };
  throw invalidInput('provider_takes_no_readings', `${nameOf(core, provider)} ${why[mode] ?? `is in mode ${mode}`}, so it takes no readings.`, { provider, mode });
}

/**
 * A refused reading as a coded error: the sentence says what clashes, the facts say which readings,
 * so each transport can offer its own way to correct or delete them.
 */
function violationError(v: OdoViolation, focusId: number, provider: string, name: string, tz: string, latestId: number | null): BurnrateError {
  const unchanged = 'Nothing was changed.';
  switch (v.kind) {
    case 'drop': {
      const { earlier, later } = v;
      const month = monthName(earlier.month);
      if (later.id === focusId) {
        return conflict(
          'reading_lower_than_previous',
          `${name}'s reading of ${usd(later.amount)} is lower than ${usd(earlier.amount)} read at ${when(earlier.atMs, tz)} in the same billing month (${month}); a month-to-date figure cannot go down. ${unchanged}`,
          { provider, field: 'amount', amountUsd: formatUsd(later.amount), previousUsd: formatUsd(earlier.amount), previousId: earlier.id, previousIsLatest: earlier.id === latestId, month: earlier.month },
        );
      }
      return conflict(
        'reading_higher_than_later',
        `${name}'s reading of ${usd(earlier.amount)} at ${when(earlier.atMs, tz)} is higher than ${usd(later.amount)} read later, at ${when(later.atMs, tz)}, in the same billing month (${month}); a month-to-date figure cannot go down. ${unchanged}`,
        { provider, field: 'at', amountUsd: formatUsd(earlier.amount), laterUsd: formatUsd(later.amount), laterId: later.id, month: earlier.month },
      );
    }
    case 'final_below': {
      // Name a stored figure the user can act on: the one not being added now.
      const addingReading = v.reading.id === focusId;
      const subject = addingReading
        ? `${name}'s reading of ${usd(v.reading.amount)} at ${when(v.reading.atMs, tz)} is higher than the final figure ${usd(v.final.amount)} for ${monthName(v.final.month)} (#${v.final.id})`
        : `The final figure ${usd(v.final.amount)} for ${monthName(v.final.month)} is lower than ${usd(v.reading.amount)} read at ${when(v.reading.atMs, tz)} in that month`;
      return conflict(
        addingReading ? 'reading_above_final' : 'final_below_reading',
        `${subject}; a month's final figure is at least its last reading. ${unchanged}${addingReading ? '' : ' Check the amount, and the readings of that month.'}`,
        {
          provider,
          amountUsd: formatUsd(addingReading ? v.reading.amount : v.final.amount),
          readingId: v.reading.id,
          readingUsd: formatUsd(v.reading.amount),
          finalId: v.final.id,
          finalUsd: formatUsd(v.final.amount),
          month: v.final.month,
        },
      );
    }
    case 'same_instant': {
      const other = v.first.id === focusId ? v.second : v.first;
      return conflict('reading_at_same_time', `${name} already has a reading at ${when(other.atMs, tz)} (#${other.id}, ${usd(other.amount)}); ${unchanged.toLowerCase()}`, {
        provider,
        field: 'at',
        readingId: other.id,
        readingUsd: formatUsd(other.amount),
        isLatest: other.id === latestId,
      });
    }
    case 'two_finals':
      return conflict('final_figure_exists', `${monthName(v.first.month)} already has a final figure for ${name} (#${v.first.id}, ${usd(v.first.amount)}); ${unchanged.toLowerCase()}`, {
        provider,
        field: 'month',
        readingId: v.first.id,
        readingUsd: formatUsd(v.first.amount),
        month: v.first.month,
      });
  }
}

/** Placeholder id of a figure not yet stored: after every stored id, so it sorts last at equal times. */
const NEW_ID = Number.MAX_SAFE_INTEGER;

interface Planned {
  kind: 'odometer' | 'balance';
  amount: Nano;
  takenAt: Date;
  billingMonth: string;
  final: boolean;
  target: ReadingRow | null;
}

function planOdometer(core: Core, account: ProviderAccount, input: ReadingAddInput, amount: Nano): Planned {
  const { provider, billingTz } = account;
  const now = core.clock.now();
  if (input.final !== (input.month !== undefined)) {
    throw input.final
      ? invalidInput('final_needs_month', 'A final figure needs the month it closes.', {
          provider,
          field: 'month',
          amountUsd: input.amount,
          suggestedMonth: addMonths(billingMonthOf(now.getTime(), billingTz), -1),
        })
      : invalidInput('month_needs_final', "A month is given only with a past month's final figure; a reading of today has none.", { provider, month: input.month ?? null });
  }
  if (input.final) {
    if (input.at !== undefined) throw invalidInput('final_takes_no_time', 'A final figure belongs to its month, not to a moment, so it takes no time.', { provider, at: input.at });
    const month = input.month!;
    const bounds = monthBounds(month, billingTz);
    if (bounds.endMs > now.getTime()) {
      throw invalidInput(
        'month_not_over',
        `${monthName(month)} has not ended yet in ${nameOf(core, provider)}'s billing zone (${billingTz}); enter today's month-to-date figure as an ordinary reading, and the final figure once the month is over.`,
        { provider, field: 'month', month, billingTz },
      );
    }
    const finals = listReadings(core.db, provider, ['odometer']).filter((r) => r.is_final === 1 && r.billing_month === month);
    const target = finals.at(-1) ?? null;
    if (input.replace && !target) {
      throw invalidInput('nothing_to_replace', `${monthName(month)} has no final figure for ${nameOf(core, provider)} to replace.`, { provider, month });
    }
    return { kind: 'odometer', amount, takenAt: now, billingMonth: month, final: true, target: input.replace ? target : null };
  }
  let target: ReadingRow | null = null;
  if (input.replace) {
    const latest = latestReading(core.db, provider);
    if (!latest || latest.kind !== 'odometer') throw invalidInput('nothing_to_replace', `${nameOf(core, provider)} has no reading to replace.`, { provider });
    target = latest;
  }
  // A correction keeps the corrected reading's time unless --at says otherwise: it fixes a typo.
  const takenAt = input.at !== undefined ? readAt(core, input.at) : target ? new Date(target.taken_at) : now;
  return { kind: 'odometer', amount, takenAt, billingMonth: readingMonthOf(takenAt.getTime(), billingTz), final: false, target };
}

function planBalance(core: Core, account: ProviderAccount, input: ReadingAddInput, amount: Nano): Planned {
  const { provider, billingTz } = account;
  if (input.final || input.month !== undefined) {
    throw invalidInput('balance_has_no_final', `${nameOf(core, provider)} is a prepaid balance (mode balance): it has no month-to-date figure to finalise.`, { provider });
  }
  let target: ReadingRow | null = null;
  if (input.replace) {
    const latest = listReadings(core.db, provider, ['balance']).at(-1);
    if (!latest) throw invalidInput('nothing_to_replace', `${nameOf(core, provider)} has no balance reading to replace.`, { provider });
    target = latest;
  }
  const takenAt = input.at !== undefined ? readAt(core, input.at) : target ? new Date(target.taken_at) : core.clock.now();
  return { kind: 'balance', amount, takenAt, billingMonth: billingMonthOf(takenAt.getTime(), billingTz), final: false, target };
}

/** A reading counts only inside a period of its kind's mode (docs/ledger.md): refuse one dated outside. */
function checkInForce(core: Core, account: ProviderAccount, plan: Planned): void {
  const periods = periodsOf(modeChanges(core.db, account.provider), plan.kind);
  const bounds = monthBounds(plan.billingMonth, account.billingTz);
  const ok = plan.final ? inForce(periods, bounds.startMs, bounds.endMs) : inForce(periods, plan.takenAt.getTime());
  if (ok) return;
  const since = periods.at(-1)?.startMs ?? core.clock.now().getTime();
  const what = plan.final ? `a final figure for ${monthName(plan.billingMonth)}` : `a ${plan.kind === 'odometer' ? 'month-to-date' : 'balance'} reading at ${when(plan.takenAt.getTime(), core.timeZone)}`;
  throw invalidInput(
    'reading_before_mode',
    `${nameOf(core, account.provider)} counts ${plan.kind} figures only from ${when(since, core.timeZone)} on (its earlier mode measured the time before), so ${what} would not count; nothing was changed.`,
    { provider: account.provider, kind: plan.kind, since: new Date(since).toISOString() },
  );
}

/** Refuse a plan that would leave the figures inconsistent. Nothing has been written yet. */
function check(core: Core, account: ProviderAccount, plan: Planned): void {
  const { provider } = account;
  checkInForce(core, account, plan);
  if (plan.kind === 'odometer') {
    const existing = listReadings(core.db, provider, ['odometer']).filter((r) => r.id !== plan.target?.id);
    const candidate: OdoReading[] = [
      ...existing.map(toOdoReading),
      { id: NEW_ID, amount: plan.amount, atMs: plan.takenAt.getTime(), month: plan.billingMonth, final: plan.final },
    ];
    const v = findViolation(candidate, NEW_ID);
    if (v) {
      const latest = latestReading(core.db, provider);
      throw violationError(v, NEW_ID, provider, nameOf(core, provider), core.timeZone, latest?.kind === 'odometer' ? latest.id : null);
    }
    return;
  }
  const clash = listReadings(core.db, provider, ['balance']).find((r) => r.id !== plan.target?.id && Date.parse(r.taken_at) === plan.takenAt.getTime());
  if (clash) {
    const latest = listReadings(core.db, provider, ['balance']).at(-1);
    throw conflict(
      'reading_at_same_time',
      `${nameOf(core, provider)} already has a balance reading at ${when(plan.takenAt.getTime(), core.timeZone)} (#${clash.id}, ${usd(clash.amount_nano)}); nothing was changed.`,
      { provider, field: 'at', readingId: clash.id, readingUsd: formatUsd(clash.amount_nano), isLatest: latest?.id === clash.id },
    );
  }
}

export function addReading(core: Core, input: ReadingAddInput): ReadingAddResult {
  const amount = parseUsd(input.amount, { label: 'The reading' });
  const account = getAccount(core.db, input.provider);
  const mode = requireReadingMode(core, account);
  const plan = mode === 'odometer' ? planOdometer(core, account, input, amount) : planBalance(core, account, input, amount);
  const before = plan.target ? loadDerivation(core.db, input.provider, core.clock.now().getTime()) : null;
  const { value: id, d } = changeReadings(core, input.provider, () => {
    // Checked inside the write transaction, so two processes cannot both pass the check.
    check(core, account, plan);
    const at = core.clock.now().toISOString();
    if (plan.target) softDeleteReading(core.db, plan.target.id, at);
    return insertReading(core.db, {
      provider: input.provider,
      kind: plan.kind,
      amount: plan.amount,
      takenAt: plan.takenAt.toISOString(),
      billingMonth: plan.billingMonth,
      final: plan.final,
      note: input.note ?? '',
      replacesId: plan.target?.id ?? null,
      createdAt: at,
    });
  });
  const row = getReading(core.db, id)!;
  let closedMonth = null;
  if (plan.kind === 'odometer' && !plan.final) {
    const idx = d.months.findIndex((m) => m.month === plan.billingMonth);
    const here = d.months[idx];
    const previous = idx > 0 ? d.months[idx - 1] : undefined;
    // The reset: this reading opened its month (a later back-dated one does not close anything again).
    if (here && previous && here.readings.length === 1 && here.readings[0]!.id === id) closedMonth = monthView(d, previous.month);
  }
  const nowMs = core.clock.now().getTime();
  const closesMonth = plan.kind === 'odometer' && !plan.final && plan.billingMonth !== billingMonthOf(plan.takenAt.getTime(), account.billingTz) ? plan.billingMonth : null;
  return {
    reading: readingView(row, d),
    closesMonth,
    replaced: plan.target ? readingView(plan.target, before) : null,
    mode: plan.kind,
    month: plan.kind === 'odometer' ? monthView(d, plan.billingMonth) : null,
    closedMonth,
    balance: plan.kind === 'balance' ? balanceView(core.db, d, nowMs, core.timeZone) : null,
  };
}

export function deleteReading(core: Core, id: number): ReadingDeleteResult {
  const row = getReading(core.db, id);
  if (!row || row.deleted_at !== null) {
    throw notFound('reading_not_found', `There is no reading #${id}${row ? ' (it was already deleted)' : ''}.`, { readingId: id, deleted: row !== undefined });
  }
  const before = loadDerivation(core.db, row.provider, core.clock.now().getTime());
  const { d } = changeReadings(core, row.provider, () => softDeleteReading(core.db, id, core.clock.now().toISOString()));
  return {
    deleted: readingView(row, before),
    month: row.kind === 'odometer' ? monthView(d, row.billing_month) : null,
    balance: row.kind === 'odometer' ? null : balanceView(core.db, d, core.clock.now().getTime(), core.timeZone),
  };
}

export function addTopup(core: Core, input: { provider: string; amount: string; at?: string | undefined; note?: string | undefined }): TopupResult {
  const amount = parseUsd(input.amount, { label: 'The top-up' });
  const account = getAccount(core.db, input.provider);
  const name = nameOf(core, input.provider);
  if (account.mode !== 'balance') {
    const why =
      account.mode === 'odometer'
        ? `${name} is tracked by its console's month-to-date spend (mode odometer), so it has no prepaid balance to top up`
        : `${name} is in mode ${account.mode}, so it has no prepaid balance to top up`;
    throw invalidInput('topup_needs_balance_mode', `${why}.`, { provider: input.provider, field: 'provider', mode: account.mode });
  }
  if (amount === 0) throw invalidInput('topup_zero', 'A top-up of $0.00 changes nothing; give the amount added to the balance.', { provider: input.provider, field: 'amount' });
  const at = readAt(core, input.at);
  const { value: id, d } = changeReadings(core, input.provider, () =>
    insertReading(core.db, {
      provider: input.provider,
      kind: 'topup',
      amount,
      takenAt: at.toISOString(),
      billingMonth: billingMonthOf(at.getTime(), account.billingTz),
      final: false,
      note: input.note ?? '',
      replacesId: null,
      createdAt: core.clock.now().toISOString(),
    }),
  );
  return { topup: readingView(getReading(core.db, id)!, d), balance: balanceView(core.db, d, core.clock.now().getTime(), core.timeZone) };
}

export function providerReadings(core: Core, provider: string): ProviderReadings {
  const nowMs = core.clock.now().getTime();
  const d = loadDerivation(core.db, provider, nowMs);
  const rows = [...d.odometerRows, ...d.balanceRows].sort((a, b) => b.taken_at.localeCompare(a.taken_at) || b.id - a.id);
  return {
    provider,
    mode: d.account.mode,
    billingTimeZone: d.account.billingTz,
    readings: rows.map((r) => readingView(r, d)),
    months: [...d.months].reverse().map((m) => monthView(d, m.month)!),
    balance: balanceView(core.db, d, nowMs, core.timeZone),
  };
}
