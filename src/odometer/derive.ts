import type { Database } from 'better-sqlite3';
import type { Core } from '../model/context';
import { uniqueDayKeys, type DayKey } from '../model/day-key';
import type { Source } from '../ledger/sources';
import type { UsageEventInput } from '../ledger/usage';
import { deriveBalance, type BalanceDerivation } from './balance';
import { monthBounds } from './billing';
import { getAccount, inForce, modeChanges, periodsOf, type ProviderAccount } from './modes';
import { deriveOdometer, monthStatuses, type MonthStatus, type OdoMonth, type OdoReading } from './odometer';
import { spreadOverDays, type DayShare } from './spread';
import { listReadings, providersWithReadings, type ReadingRow } from './store';

/**
 * Turns a provider's readings into ledger rows: one derived row per local day (source 'odometer'
 * or 'balance', cost given, marked as an estimate in metadata), with external ids "<month>:<day>"
 * so the rows of one month share a prefix. Every write re-derives the provider's months from its
 * readings and replaces each month's rows through UsageWriter.replaceDerived, all inside one
 * transaction: readers see the old figures or the new ones, and an unchanged day is not touched.
 */

export interface Derivation {
  account: ProviderAccount;
  months: OdoMonth[];
  statuses: Map<string, MonthStatus>;
  balance: BalanceDerivation;
  odometerRows: ReadingRow[];
  balanceRows: ReadingRow[];
}

export function toOdoReading(r: ReadingRow): OdoReading {
  return { id: r.id, amount: r.amount_nano, atMs: Date.parse(r.taken_at), month: r.billing_month, final: r.is_final === 1 };
}

/**
 * Which readings count: those taken while their kind's mode was in force (a mode applies from the
 * moment it is set, so a switch neither erases what the old mode counted nor lets two kinds count
 * the same time). A final figure belongs to its month: it counts when the odometer mode was in
 * force at any time in that month.
 */
export function countedReadings(db: Database, account: ProviderAccount, odometerRows: readonly ReadingRow[], balanceRows: readonly ReadingRow[]) {
  const changes = modeChanges(db, account.provider);
  const odo = periodsOf(changes, 'odometer');
  const bal = periodsOf(changes, 'balance');
  return {
    odometer: odometerRows.filter((r) => {
      if (r.is_final === 0) return inForce(odo, Date.parse(r.taken_at));
      const b = monthBounds(r.billing_month, account.billingTz);
      return inForce(odo, b.startMs, b.endMs);
    }),
    balance: balanceRows.filter((r) => inForce(bal, Date.parse(r.taken_at))),
  };
}

export function loadDerivation(db: Database, provider: string, nowMs: number): Derivation {
  const account = getAccount(db, provider);
  const odometerRows = listReadings(db, provider, ['odometer']);
  const balanceRows = listReadings(db, provider, ['balance', 'topup']);
  const counted = countedReadings(db, account, odometerRows, balanceRows);
  const months = deriveOdometer(counted.odometer.map(toOdoReading), account.billingTz);
  return {
    account,
    months,
    statuses: monthStatuses(months, nowMs),
    balance: deriveBalance(
      counted.balance.map((r) => ({ id: r.id, kind: r.kind === 'topup' ? 'topup' : 'balance', amount: r.amount_nano, atMs: Date.parse(r.taken_at) })),
    ),
    odometerRows,
    balanceRows,
  };
}

function eventsOf(source: Source, provider: string, shares: readonly DayShare[], prefix: string, metadata: Record<string, unknown>): UsageEventInput[] {
  return shares.map((s) => ({
    source,
    provider,
    externalId: `${prefix}${s.day}`,
    model: '',
    costNano: s.amount,
    occurredAt: new Date(s.firstAtMs),
    metadata,
  }));
}

function storedPrefixes(db: Database, source: Source, provider: string): string[] {
  return (
    db
      .prepare("SELECT DISTINCT substr(external_id, 1, 8) AS prefix FROM usage_events WHERE source = ? AND provider = ? AND account = 'default'")
      .all(source, provider) as { prefix: string }[]
  ).map((r) => r.prefix);
}

/** Replace the rows of every month that has rows now or had them before; returns what changed. */
function replaceMonths(core: Core, source: Source, provider: string, byPrefix: Map<string, UsageEventInput[]>): DayKey[] {
  const touched: DayKey[] = [];
  const prefixes = new Set([...byPrefix.keys(), ...storedPrefixes(core.db, source, provider)]);
  for (const prefix of [...prefixes].sort()) {
    const result = core.usage.replaceDerived(source, provider, prefix, byPrefix.get(prefix) ?? []);
    touched.push(...result.touched);
  }
  return touched;
}

function odometerEvents(d: Derivation, provider: string, timeZone: string): Map<string, UsageEventInput[]> {
  const byPrefix = new Map<string, UsageEventInput[]>();
  for (const m of d.months) {
    const prefix = `${m.month}:`;
    const metadata = { estimate: true, basis: 'odometer', billingMonth: m.month, billingTz: d.account.billingTz };
    byPrefix.set(prefix, eventsOf('odometer', provider, spreadOverDays(m.segments, timeZone), prefix, metadata));
  }
  return byPrefix;
}

function balanceEvents(d: Derivation, provider: string, timeZone: string): Map<string, UsageEventInput[]> {
  const byPrefix = new Map<string, UsageEventInput[]>();
  for (const share of spreadOverDays(d.balance.segments, timeZone)) {
    const prefix = `${share.day.slice(0, 7)}:`;
    const list = byPrefix.get(prefix) ?? [];
    list.push(...eventsOf('balance', provider, [share], prefix, { estimate: true, basis: 'balance' }));
    byPrefix.set(prefix, list);
  }
  return byPrefix;
}

/** Keep month_summaries equal to the derivation (rows change only when a figure or status does). */
export function writeSummaries(db: Database, provider: string, d: Derivation, now: string): void {
  const upsert = db.prepare(
    `INSERT INTO month_summaries (provider, account, month, total_nano, status, last_reading_at, updated_at)
     VALUES (?, 'default', ?, ?, ?, ?, ?)
     ON CONFLICT (provider, account, month) DO UPDATE SET
       total_nano = excluded.total_nano, status = excluded.status, last_reading_at = excluded.last_reading_at, updated_at = excluded.updated_at
     WHERE total_nano IS NOT excluded.total_nano OR status IS NOT excluded.status OR last_reading_at IS NOT excluded.last_reading_at`,
  );
  const months = new Set<string>();
  for (const m of d.months) {
    months.add(m.month);
    const last = m.lastReadingAtMs === null ? null : new Date(m.lastReadingAtMs).toISOString();
    upsert.run(provider, m.month, m.total, d.statuses.get(m.month) ?? 'open', last, now);
  }
  const stored = db.prepare("SELECT month FROM month_summaries WHERE provider = ? AND account = 'default'").all(provider) as { month: string }[];
  const remove = db.prepare("DELETE FROM month_summaries WHERE provider = ? AND account = 'default' AND month = ?");
  for (const { month } of stored) if (!months.has(month)) remove.run(provider, month);
}

/** Month summaries of every provider with readings, as of now (a month closes when it ends). */
export function writeAllSummaries(core: Core): void {
  const now = core.clock.now();
  core.db.transaction(() => {
    for (const provider of providersWithReadings(core.db, ['odometer', 'balance', 'topup'])) {
      writeSummaries(core.db, provider, loadDerivation(core.db, provider, now.getTime()), now.toISOString());
    }
  })();
}

/**
 * Re-derive a provider's rows and month summaries from its readings. Call inside a transaction
 * (it opens its own savepoints); the caller reports `touched` with core.spendChanged after commit.
 */
export function rederiveRows(core: Core, provider: string): { d: Derivation; touched: DayKey[] } {
  const now = core.clock.now();
  const d = loadDerivation(core.db, provider, now.getTime());
  // Each kind's rows come from the readings taken while its mode was in force (loadDerivation).
  const touched = [
    ...replaceMonths(core, 'odometer', provider, odometerEvents(d, provider, core.timeZone)),
    ...replaceMonths(core, 'balance', provider, balanceEvents(d, provider, core.timeZone)),
  ];
  writeSummaries(core.db, provider, d, now.toISOString());
  return { d, touched: uniqueDayKeys(touched) };
}

/**
 * Run `change` (edits of the readings table) and the re-derivation it causes in one transaction,
 * then tell the budget engine and clients (core.spendChanged) when any day changed.
 */
export function changeReadings<T>(core: Core, provider: string, change: () => T): { value: T; d: Derivation } {
  // IMMEDIATE: take the write lock before reading, so checks inside `change` see the final state.
  const result = core.db
    .transaction(() => {
      const value = change();
      return { value, ...rederiveRows(core, provider) };
    })
    .immediate();
  if (result.touched.length > 0) core.spendChanged('reading', result.touched);
  return { value: result.value, d: result.d };
}

/**
 * After the user's time zone changed: the rows derived from readings and subscriptions were split
 * over the old zone's days; split them again over the new zone's (core.ts calls this at open).
 */
export function rederiveAfterZoneChange(core: Core): void {
  const providers = core.db.prepare('SELECT DISTINCT provider FROM readings WHERE deleted_at IS NULL').all() as { provider: string }[];
  const touched: DayKey[] = [];
  core.db.transaction(() => {
    for (const { provider } of providers) touched.push(...rederiveRows(core, provider).touched);
  })();
  if (touched.length > 0) core.spendChanged('time zone', uniqueDayKeys(touched));
}
