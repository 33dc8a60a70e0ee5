import os from 'node:os';
import type { Database } from 'better-sqlite3';
import { getSetting } from '../ledger/settings';
import { addMonths, firstDayOfMonth, lastDayOfMonth } from '../time';

/**
 * The month close's vocabulary and its ledger rows (migration 010). Each step's state is stored, so
 * a close killed or put to sleep resumes at the step it stopped (docs/month-close.md).
 */
export const CLOSE_STEPS = ['finals', 'sync', 'reconcile', 'freeze', 'report', 'send'] as const;
export type CloseStep = (typeof CLOSE_STEPS)[number];
export type CloseState = 'running' | 'waiting' | 'retrying' | 'closed';

export interface CloseRow {
  month: string;
  step: CloseStep | 'done';
  state: CloseState;
  attempts: number;
  next_attempt_at: string | null;
  /** A failed step's error (without the step's name), or the sentence of a wait. */
  last_error: string | null;
  /** The step whose failure last_error is; null when last_error is a wait's sentence (migration 016). */
  error_step: CloseStep | null;
  /** The provider whose sync failed (the sync step). */
  error_provider: string | null;
  finals_deadline: string;
  owner: string | null;
  started_at: string;
  updated_at: string;
  closed_at: string | null;
  timezone: string;
}

export interface StepRow {
  step: CloseStep;
  finished_at: string;
  detail: string;
}

/** Settings of the close and the retention rule, with their defaults. */
export interface CloseSettings {
  /** The scheduler closes a month this many days after it ends. */
  afterDays: number;
  /** How long a close waits for missing odometer final figures, in hours. */
  finalsWaitHours: number;
  /** Raw usage events older than this many days are pruned once their month is closed. */
  retentionDays: number;
}

export const CLOSE_SETTING_KEYS = { afterDays: 'close.after_days', finalsWaitHours: 'close.finals_wait_hours', retentionDays: 'retention.raw_days' } as const;

export function closeSettings(db: Database): CloseSettings {
  return {
    afterDays: getSetting<number>(db, CLOSE_SETTING_KEYS.afterDays, 3),
    finalsWaitHours: getSetting<number>(db, CLOSE_SETTING_KEYS.finalsWaitHours, 72),
    retentionDays: getSetting<number>(db, CLOSE_SETTING_KEYS.retentionDays, 90),
  };
}

export function monthDays(month: string): { from: string; to: string } {
  return { from: firstDayOfMonth(month), to: lastDayOfMonth(month) };
}

export const previousMonth = (month: string): string => addMonths(month, -1);

/** Why a close stopped at a step: the failure as data, for every transport to word its own way. */
export interface CloseFailure {
  step: CloseStep;
  provider: string | null;
  message: string;
}

export function failureOf(row: CloseRow): CloseFailure | null {
  if (row.error_step === null || row.last_error === null) return null;
  return { step: row.error_step, provider: row.error_provider, message: row.last_error };
}

/**
 * The failure or wait as the one line the CLI has always printed: the wait's sentence, or the
 * step's code, the provider's slug and the error ("sync: openai: OpenAI refused the key (401).").
 */
export function troubleLine(row: CloseRow): string | null {
  const failure = failureOf(row);
  if (!failure) return row.last_error;
  return [failure.step, failure.provider, failure.message].filter((part) => part !== null).join(': ');
}

export function getClose(db: Database, month: string): CloseRow | undefined {
  return db.prepare('SELECT * FROM month_closes WHERE month = ?').get(month) as CloseRow | undefined;
}

export function listCloses(db: Database): CloseRow[] {
  return db.prepare('SELECT * FROM month_closes ORDER BY month DESC').all() as CloseRow[];
}

export function stepsOf(db: Database, month: string): StepRow[] {
  return db.prepare('SELECT step, finished_at, detail FROM month_close_steps WHERE month = ? ORDER BY finished_at').all(month) as StepRow[];
}

export function isClosed(db: Database, month: string): boolean {
  return getClose(db, month)?.state === 'closed';
}

/** Who runs a close: host and pid, so a later process can tell a crashed close from a live one. */
export function closeOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

/** Whether the owner of a close is a live process on this host (a dead one is taken over). */
export function ownerAlive(owner: string | null): boolean {
  if (!owner) return false;
  const [host, pidText] = [owner.slice(0, owner.lastIndexOf(':')), owner.slice(owner.lastIndexOf(':') + 1)];
  if (host !== os.hostname()) return true; // another machine's process: we cannot tell, so we wait
  const pid = Number(pidText);
  if (pid === process.pid) return false; // our own, left by an earlier call in this process
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
