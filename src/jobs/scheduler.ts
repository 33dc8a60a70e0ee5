import cron, { type ScheduledTask } from 'node-cron';
import { runBudgetChecks } from '../budget/checks';
import { catchUp } from '../app/catch-up';
import { checkLedger } from '../ledger/health';
import { LedgerError } from '../ledger/errors';
import { isCorruption } from '../ledger/trouble';
import { dailyBackup } from '../ledger/backup';
import type { Core } from '../app/open';
import { deliverOutbox } from '../notify/outbox';
import { reconcileIfDue } from '../reconcile/run';
import { readSettings } from '../settings';
import type { ClientDirectory } from '../sync/clients';
import { defaultDirectory } from '../sync/defaults';
import { lastStarts } from '../sync/runs';
import { syncableProviders, syncProvider, type SyncOptions } from '../sync/runner';
import { decideRun } from './decide';
import { closeJob } from './close-job';
import { deliverMessages } from '../notify/messages';
import { pushTeamIfJoined } from './team';
import { startTeamPusher } from '../team/pusher';

/**
 * The schedule. node-cron only supplies a tick once a minute; what runs at a tick is decided by
 * `decideRun(last run, interval, now)` for each job, so catch-up after start-up or wake is the
 * same code path as a normal tick, and a job that was due many times while the machine slept runs
 * once. Jobs never overlap themselves; syncs run one provider after another.
 */

const MINUTE = 60_000;

export const JOB_INTERVALS = {
  outbox: MINUTE,
  budget: 15 * MINUTE,
  /** The ledger's catch-up (subscription days, month closes, reminders due); also on start and wake. */
  catchUp: 60 * MINUTE,
  reconcile: 60 * MINUTE, // reconcileIfDue decides from the stored runs (once per local day); this is only how often it asks
  /** Per provider unless provider_accounts.sync_minutes says otherwise. */
  sync: 60 * MINUTE,
  /** Asks hourly whether today's (UTC) backup exists; takes it when missing (so a start takes one at once). */
  backup: 60 * MINUTE,
  /** quick_check of the ledger: at start, then daily. */
  check: 24 * 60 * MINUTE,
  /** Month close: resumes stopped closes, starts the previous month's after close.after_days, prunes after. */
  close: 60 * MINUTE,
  /** The team push when nothing changed locally (a store that was down gets the outbox). */
  team: 5 * MINUTE,
} as const;

/** Shortest per-provider sync interval honoured (providers rate-limit their billing APIs). */
export const MIN_SYNC_MINUTES = 5;

export type JobName = 'outbox' | 'budget' | 'catch-up' | 'reconcile' | 'backup' | 'check' | 'close' | 'team' | `sync:${string}`;

export interface JobsOptions {
  /** Told about a job that threw (sync failures are recorded in sync_runs, not thrown). */
  onError?: (job: JobName, error: unknown) => void;
  directory?: ClientDirectory;
  sync?: Omit<SyncOptions, 'directory' | 'trigger'>;
  /** The tick's cron expression (default every minute, in UTC so DST never skips a tick). */
  tick?: string;
  /** Called after each tick has started what was due (tests wait on it). */
  onTick?: () => void;
}

export interface Jobs {
  /** Stop ticking; resolves when jobs already running have finished. */
  stop(): Promise<void>;
  /** Run now whatever is due (start-up, wake from sleep); resolves when those runs finish. */
  catchUp(): Promise<void>;
  /**
   * Told of a failure anywhere (a request, a job): when SQLite said the ledger is damaged, the
   * quick_check runs now, in the background, so the whole extent is reported with what to do.
   */
  noticeTrouble(error: unknown): Promise<void>;
}

/** SQLite's own corruption code, or the ledger error (or its transport form) that carries it. */
function isLedgerDamage(error: unknown): boolean {
  if (isCorruption(error)) return true;
  if (error instanceof LedgerError) return error.code === 'corrupt';
  const facts = (error as { facts?: { ledger?: unknown } } | null)?.facts;
  return facts?.ledger === 'corrupt';
}

/** The sync interval of a provider in ms (0: scheduled sync switched off). */
export function syncIntervalMs(core: Core, provider: string): number {
  const row = core.db.prepare(`SELECT sync_minutes FROM provider_accounts WHERE provider = ? AND account = 'default'`).get(provider) as
    | { sync_minutes: number | null }
    | undefined;
  const minutes = row?.sync_minutes;
  // No per-provider interval: the user's default (burnrate settings set --sync-interval), else hourly.
  if (minutes === null || minutes === undefined) return readSettings(core.db).syncIntervalMinutes * MINUTE;
  if (minutes <= 0) return 0;
  return Math.max(minutes, MIN_SYNC_MINUTES) * MINUTE;
}

export function startJobs(core: Core, options: JobsOptions = {}): Jobs {
  const directory = options.directory ?? defaultDirectory();
  const onError = options.onError ?? (() => undefined);
  const lastRun = new Map<string, Date>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const simple: { name: Exclude<JobName, `sync:${string}`>; interval: number; run: () => unknown }[] = [
    { name: 'outbox', interval: JOB_INTERVALS.outbox, run: () => Promise.all([deliverOutbox(core), deliverMessages(core)]) },
    { name: 'budget', interval: JOB_INTERVALS.budget, run: () => runBudgetChecks(core) },
    { name: 'catch-up', interval: JOB_INTERVALS.catchUp, run: () => catchUp(core) },
    { name: 'reconcile', interval: JOB_INTERVALS.reconcile, run: () => reconcileIfDue(core) },
    // An in-memory ledger (tests) has nothing on disk to back up or check.
    { name: 'backup', interval: JOB_INTERVALS.backup, run: () => !core.db.memory && dailyBackup(core.db, core.home, core.clock.now()) },
    { name: 'check', interval: JOB_INTERVALS.check, run: () => checkLedger(core.db) },
    { name: 'close', interval: JOB_INTERVALS.close, run: () => closeJob(core, { directory, ...(options.sync ? { sync: options.sync } : {}) }) },
    { name: 'team', interval: JOB_INTERVALS.team, run: () => pushTeamIfJoined(core) },
  ];
  // And a debounced push after each local change.
  const teamPusher = startTeamPusher(core, pushTeamIfJoined);

  /** After SQLITE_CORRUPT, the check is due at once (it runs again only if it is not running). */
  function noticeTrouble(error: unknown): Promise<void> {
    if (stopped || !isLedgerDamage(error) || running.has('check')) return Promise.resolve();
    lastRun.delete('check');
    return evaluate();
  }

  function launch(name: string, work: () => Promise<void>): Promise<void> {
    const p = work().finally(() => running.delete(name));
    running.set(name, p);
    return p;
  }

  /**
   * Start whatever is due now; resolves when the runs started here finish. On start-up and wake
   * (`wake`), the ledger's catch-up runs whatever its interval says: time passed while asleep.
   */
  function evaluate(wake = false): Promise<void> {
    if (stopped) return Promise.resolve();
    const now = core.clock.now();
    const started: Promise<void>[] = [];
    for (const job of simple) {
      if (running.has(job.name)) continue;
      const forced = wake && job.name === 'catch-up';
      if (!forced && !decideRun(lastRun.get(job.name) ?? null, job.interval, now).due) continue;
      lastRun.set(job.name, now);
      started.push(
        launch(job.name, async () => {
          try {
            await job.run();
          } catch (error) {
            onError(job.name, error);
            if (job.name !== 'check') void noticeTrouble(error);
          }
        }),
      );
    }
    // Syncs: one chain at a time, providers one after another.
    if (!running.has('sync')) {
      let due: string[] = [];
      try {
        const starts = lastStarts(core.db);
        due = syncableProviders(core, directory).filter((p) => decideRun(starts.get(p) ?? null, syncIntervalMs(core, p), now).due);
      } catch (error) {
        onError('sync:*', error);
      }
      if (due.length > 0) {
        started.push(
          launch('sync', async () => {
            for (const provider of due) {
              if (stopped) return;
              try {
                await syncProvider(core, provider, { ...options.sync, directory, trigger: 'schedule', askKeychain: false });
              } catch (error) {
                onError(`sync:${provider}`, error);
                void noticeTrouble(error);
              }
            }
            // Balances the syncs reported become readings; what they made due is raised now.
            try {
              catchUp(core);
            } catch (error) {
              onError('catch-up', error);
            }
          }),
        );
      }
    }
    options.onTick?.();
    return Promise.all(started).then(() => undefined);
  }

  const task: ScheduledTask = cron.schedule(options.tick ?? '* * * * *', () => void evaluate(), {
    name: 'burnrate-jobs',
    timezone: 'UTC',
    // A tick missed while the machine slept is not an error: the next tick (or catchUp on wake)
    // runs whatever became due, once.
    suppressMissedWarning: true,
  });

  return {
    async stop() {
      stopped = true;
      await task.destroy();
      await teamPusher.stop();
      await Promise.all([...running.values()]);
    },
    catchUp: () => evaluate(true),
    noticeTrouble,
  };
}
