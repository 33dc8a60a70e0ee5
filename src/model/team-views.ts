import type { AlertView, Health, Usd } from './views';

/** What `team status` shows: the team's totals under THE RULE FOR TOTALS across machines (docs/team.md). */
export interface TeamStatus {
  asOf: string;
  /** The zone of this machine: "today" and "this month" are this machine's local day and month. */
  timezone: string;
  team: string;
  member: string;
  machineId: string;
  day: { date: string; spentUsd: Usd; budgetUsd: Usd | null; reserveUsd: Usd | null; spendableUsd: Usd | null; health: Health | null };
  month: {
    month: string;
    spentUsd: Usd;
    budgetUsd: Usd | null;
    reserveUsd: Usd | null;
    health: Health | null;
    /** The team's month-end forecast (the personal forecast's rule over the team's counted days, src/team/forecast.ts). */
    forecastUsd: Usd;
    dailyRateUsd: Usd;
    /** Complete days the rate is based on (0: only today so far). */
    forecastBasisDays: number;
    /** The day the monthly team budget is passed at this pace, or null. */
    runsOutOn: string | null;
  };
  providers: { provider: string; todaySpentUsd: Usd; monthSpentUsd: Usd; billedUsd: Usd; capUsd: Usd | null; capHealth: Health | null }[];
  /** Each member's share of this month (their machines' counted spend; organisation bills apart). */
  members: { member: string; machines: number; todaySpentUsd: Usd; monthSpentUsd: Usd; shareBp: number | null; lastPushAt: string | null }[];
  /** Organisation bills counted this month (once each, whoever synced them). */
  billedMonthUsd: Usd;
  /** Members' estimates for days an organisation's bill covers: drift, not counted. */
  coveredEstimatesMonthUsd: Usd;
  unpricedEvents: number;
  budgets: { dailyUsd: Usd | null; monthlyUsd: Usd | null; reservePct: number; enforce: boolean; caps: { provider: string; monthlyUsd: Usd }[] };
  alerts: { id: number; rule: string; provider: string; period: string; level: AlertView['level']; message: string; firedAt: string; firedBy: string }[];
  /** Figures of this machine waiting in the local outbox. */
  pending: number;
}

export interface TeamPushResult {
  queued: number;
  pushed: number;
  pending: number;
  revision: number | null;
  alertsFired: number;
}

export interface TeamJoinResult {
  team: string;
  member: string;
  machineId: string;
  schemaVersion: number;
  passwordStoredIn: string | null;
  pushed: number;
}

/** This machine's membership, read from the ledger alone (no network): what the window shows first. */
export interface TeamMembership {
  joined: boolean;
  team: string | null;
  member: string | null;
  machineId: string | null;
  /** The database URL without its password. */
  url: string | null;
  /** Figures of this machine waiting in the outbox. */
  pending: number;
}
