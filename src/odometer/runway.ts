import type { Database } from 'better-sqlite3';
import type { BalanceView } from '../model/odometer-views';
import { compareSlugs } from '../model/slug-order';
import { countedTotal } from '../ledger/spend';
import { formatUsd, type Nano, type NanoTotal } from '../money';
import { addDays, daysBetween, localDay } from '../time';
import { DAY_MS, RUNWAY_WINDOW_DAYS, measuredBurn, runwayFrom, type Runway } from './balance';
import { loadDerivation, type Derivation } from './derive';
import { getAccount } from './modes';
import { providersWithReadings } from './store';

/**
 * THE runway of a prepaid balance: `readings P`, `providers`, `budget show`, the attention list
 * and the MCP server all show this one figure (docs/odometer.md, "Runway").
 *
 * Burn: the spend the balance readings measured over the last 30 days, divided by the time those
 * readings cover (time nobody measured is unknown, not $0). Before two balance readings exist,
 * the provider's counted ledger spend (a proxy, agent logs, recorded usage) over its complete days
 * of the last 30 stands in. The balance is the latest reading plus the top-ups after it, and the
 * time since that figure is taken off what it lasts.
 */
export function balanceRunway(db: Database, d: Derivation, nowMs: number, timeZone: string): { runway: Runway; view: BalanceView } | null {
  const current = d.balance.current;
  if (!current) return null;
  let { spent, coveredMs } = measuredBurn(d.balance, nowMs);
  if (coveredMs === 0 || spent <= 0n) ({ spent, coveredMs } = ledgerBurn(db, d.account.provider, nowMs, timeZone));
  const r = runwayFrom(current, spent, coveredMs, nowMs);
  return {
    runway: r,
    view: viewOf(current, r, timeZone),
  };
}

/** What readings, budget show and status print of a balance and its runway. */
function viewOf(current: { balance: Nano; asOfMs: number }, r: Runway, timeZone: string): BalanceView {
  return {
    balanceUsd: formatUsd(current.balance),
    asOf: new Date(current.asOfMs).toISOString(),
    spentLast30DaysUsd: formatUsd(r.spentInWindow),
    burnPerDayUsd: r.perDay === null ? null : formatUsd(r.perDay),
    runwayDays: r.runwayDays,
    runsOutOn: r.runOutAtMs === null ? null : localDay(r.runOutAtMs, timeZone),
  };
}

/** Counted spend of the provider's complete local days in the window, over the days it had data. */
function ledgerBurn(db: Database, provider: string, nowMs: number, timeZone: string): { spent: NanoTotal; coveredMs: number } {
  const today = localDay(nowMs, timeZone);
  const first = (db.prepare("SELECT MIN(local_day) AS d FROM daily_rollups WHERE provider = ? AND source != 'subscription'").get(provider) as { d: string | null }).d;
  if (first === null) return { spent: 0n, coveredMs: 0 };
  const windowStart = addDays(today, -RUNWAY_WINDOW_DAYS);
  const start = first > windowStart ? first : windowStart;
  const days = daysBetween(start, today);
  if (days <= 0) return { spent: 0n, coveredMs: 0 };
  return { spent: countedTotal(db, start, addDays(today, -1), provider), coveredMs: days * DAY_MS };
}

export interface ProviderRunway {
  provider: string;
  /** The balance the runway is for (latest reading plus later top-ups). */
  balance: Nano;
  runway: Runway;
  view: BalanceView;
}

/**
 * The latest USD balance each provider synced by API reported (OpenRouter credits, xAI prepaid):
 * its billing API gives the spend, and the balance is shown beside it with its runway. (A provider
 * in balance mode has these as balance readings already.) Negative: money owed (xAI).
 */
function apiModeBalances(db: Database): { provider: string; amount_nano: number; observed_at: string }[] {
  const rows = db
    .prepare(
      `SELECT b.provider, b.amount_nano, b.observed_at FROM sync_balances b
       WHERE b.account = 'default' AND b.currency = 'USD'
         AND b.observed_at = (SELECT MAX(observed_at) FROM sync_balances x WHERE x.provider = b.provider AND x.account = 'default' AND x.currency = 'USD')
       ORDER BY b.provider`,
    )
    .all() as { provider: string; amount_nano: number; observed_at: string }[];
  return rows.filter((r) => getAccount(db, r.provider).mode === 'api');
}

/** A balance its API reported: the burn is the provider's counted spend (its billing API's figures). */
function apiBalanceRunway(db: Database, b: { provider: string; amount_nano: number; observed_at: string }, nowMs: number, timeZone: string): ProviderRunway {
  const current = { balance: b.amount_nano, asOfMs: Date.parse(b.observed_at) };
  const { spent, coveredMs } = ledgerBurn(db, b.provider, nowMs, timeZone);
  const measured = runwayFrom(current, spent, coveredMs, nowMs);
  // A balance below zero (money owed) lasts no day at any pace.
  const r = current.balance < 0 ? { ...measured, runwayDays: 0, runOutAtMs: current.asOfMs } : measured;
  return {
    provider: b.provider,
    balance: current.balance,
    runway: r,
    view: viewOf(current, r, timeZone),
  };
}

/** The runway of every provider with a prepaid balance reading or an API-reported balance (budget show, status, attention). */
export function balanceRunways(db: Database, nowMs: number, timeZone: string): ProviderRunway[] {
  const out: ProviderRunway[] = [];
  for (const provider of providersWithReadings(db, ['balance'])) {
    const d = loadDerivation(db, provider, nowMs);
    const r = balanceRunway(db, d, nowMs, timeZone);
    if (r && d.balance.current) out.push({ provider, balance: d.balance.current.balance, ...r });
  }
  const withReadings = new Set(out.map((r) => r.provider));
  for (const b of apiModeBalances(db)) if (!withReadings.has(b.provider)) out.push(apiBalanceRunway(db, b, nowMs, timeZone));
  return out.sort((a, b) => compareSlugs(a.provider, b.provider));
}
