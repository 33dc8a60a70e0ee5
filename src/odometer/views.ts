import type { BalanceView, MonthView, ReadingView } from '../model/odometer-views';
import { formatUsd } from '../money';
import { localDay } from '../time';
import { runway } from './balance';
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

export function balanceView(d: Derivation, nowMs: number, timeZone: string): BalanceView | null {
  const current = d.balance.current;
  if (!current) return null;
  const r = runway(d.balance, nowMs);
  return {
    balanceUsd: formatUsd(current.balance),
    asOf: new Date(current.asOfMs).toISOString(),
    spentLast30DaysUsd: formatUsd(r.spentInWindow),
    burnPerDayUsd: r.perDay === null ? null : formatUsd(r.perDay),
    runwayDays: r.runwayDays,
    runsOutOn: r.runOutAtMs === null ? null : localDay(r.runOutAtMs, timeZone),
  };
}
