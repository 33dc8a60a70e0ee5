import type { Database } from 'better-sqlite3';
import type { BalanceView, MonthView, ReadingView } from '../model/odometer-views';
import { formatUsd } from '../money';
import { balanceRunway } from './runway';
import type { Derivation } from './derive';
import type { ReadingRow } from './store';

/** Plain-data views of readings, months and balances (money as decimal strings). */

export function readingView(row: ReadingRow, d: Derivation | null): ReadingView {
  let spend: number | null = null;
  let inferred: number | null = null;
  if (d && row.kind === 'odometer') {
    const month = d.months.find((m) => m.month === row.billing_month);
    spend = month?.deltas.get(row.id) ?? null;
  } else if (d && row.kind === 'balance') {
    const effect = d.balance.effects.get(row.id);
    spend = effect?.spend ?? null;
    inferred = effect ? effect.inferredTopup : null;
  }
  return {
    id: row.id,
    provider: row.provider,
    kind: row.kind,
    amountUsd: formatUsd(row.amount_nano),
    takenAt: row.taken_at,
    billingMonth: row.billing_month,
    final: row.is_final === 1,
    note: row.note,
    spendUsd: spend === null ? null : formatUsd(spend),
    inferredTopupUsd: inferred === null ? null : formatUsd(inferred),
    replacesId: row.replaces_id,
    origin: row.origin,
  };
}

export function monthView(d: Derivation, month: string): MonthView | null {
  const m = d.months.find((x) => x.month === month);
  if (!m) return null;
  return {
    month,
    totalUsd: formatUsd(m.total),
    status: d.statuses.get(month) ?? 'open',
    lastReadingAt: m.lastReadingAtMs === null ? null : new Date(m.lastReadingAtMs).toISOString(),
    finalUsd: m.final ? formatUsd(m.final.amount) : null,
  };
}

/** The balance and runway block of a result (one method: runway.ts). */
export function balanceView(db: Database, d: Derivation, nowMs: number, timeZone: string): BalanceView | null {
  return balanceRunway(db, d, nowMs, timeZone)?.view ?? null;
}
