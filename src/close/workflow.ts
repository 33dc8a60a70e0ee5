import { isCorruption } from '../ledger/trouble';
import type { Core } from '../model/context';
import { conflict, invalidInput } from '../model/errors';
import { formatUsd, formatUsdForPeople, type NanoTotal } from '../money';
import { backoffMs } from '../notify/outbox';
import { listChannels } from '../notify/channels';
import { deliverMessages, enqueueMessage, reportMessages } from '../notify/messages';
import { monthName } from '../odometer/billing';
import { nameOf, when } from '../odometer/describe';
import { reconcile } from '../reconcile/run';
import type { ClientDirectory } from '../sync/clients';
import { defaultDirectory } from '../sync/defaults';
import { syncableProviders, syncProvider, type SyncOptions } from '../sync/runner';
import { floorUtcDay, DAY_MS } from '../sync/window';
import { addMonths, localMonth, startOfLocalDay } from '../time';
import { askForFinals, missingFinals } from './finals';
import { freezeMonth } from './freeze';
import { reportCsv } from './report/csv';
import { reportData } from './report/data';
import { reportHtml } from './report/html';
import { CLOSE_STEPS, closeOwner, closeSettings, getClose, monthDays, ownerAlive, type CloseRow, type CloseStep } from './steps';

/**
 * The month close as a durable workflow. Each step's outcome is committed with the move to the
 * next step, so a process killed (or a laptop put to sleep) resumes at the step it stopped. A step
 * that throws is retried later with the outbox's backoff (30 s, 1 min, 2 min … 6 h) and its error
 * is kept for "needs attention". Steps are idempotent: a step redone after a crash between its work
 * and its commit writes the same rows again (upserts), and the send step never sends a report a
 * channel has had (the message outbox's idempotency key, notify/messages.ts).
 */

export interface CloseOptions {
  directory?: ClientDirectory;
  sync?: Omit<SyncOptions, 'directory' | 'trigger' | 'window'>;
  /** Go on without waiting for missing odometer final figures. */
  skipFinals?: boolean;
  /** Run now even if a failed step's next try is later (a person asked). */
  now?: boolean;
}

/** Thrown by a step that must wait (final figures not in yet): not a failure. */
class Waiting extends Error {
  constructor(
    message: string,
    readonly until: Date,
  ) {
    super(message);
  }
}

/** Thrown by the sync step: the provider whose sync failed is kept beside the error, not in it. */
class ProviderFailed extends Error {
  constructor(
    readonly provider: string,
    message: string,
  ) {
    super(message);
  }
}

const nextStep = (step: CloseStep): CloseStep | 'done' => CLOSE_STEPS[CLOSE_STEPS.indexOf(step) + 1] ?? 'done';

/**
 * Tests of crash recovery: BURNRATE_CLOSE_TEST_KILL=step:before kills this process (SIGKILL, like
 * kill -9) after a step did its work and before it was recorded; step:after right after.
 */
function testKill(core: Core, step: CloseStep, when: 'before' | 'after'): void {
  if (core.env.BURNRATE_CLOSE_TEST_KILL === `${step}:${when}`) process.kill(process.pid, 'SIGKILL');
}

/** Start (or resume) the close of `month` and run it as far as it can go now. */
export async function runClose(core: Core, month: string, options: CloseOptions = {}): Promise<CloseRow> {
  const now = core.clock.now();
  if (month >= localMonth(now, core.timeZone)) {
    throw invalidInput('month_not_over', `${monthName(month)} is not over yet; a month can be closed from its last day on.`, { month });
  }
  const owner = closeOwner();
  const claimed = core.db.transaction((): CloseRow | null => {
    const row = getClose(core.db, month);
    const at = now.toISOString();
    if (!row) {
      const deadline = new Date(now.getTime() + closeSettings(core.db).finalsWaitHours * 3600_000).toISOString();
      core.db
        .prepare(
          `INSERT INTO month_closes (month, step, state, finals_deadline, owner, started_at, updated_at, timezone)
           VALUES (?, 'finals', 'running', ?, ?, ?, ?, ?)`,
        )
        .run(month, deadline, owner, at, at, core.timeZone);
      return getClose(core.db, month)!;
    }
    if (row.state === 'closed') return null;
    if (row.state === 'running' && row.owner !== owner && ownerAlive(row.owner)) {
      throw conflict('close_running', `The close of ${monthName(month)} is running in another Burnrate process (${row.owner}).`, { month });
    }
    if (!options.now && row.state !== 'running' && row.next_attempt_at !== null && row.next_attempt_at > at) return null;
    core.db.prepare("UPDATE month_closes SET state = 'running', owner = ?, updated_at = ? WHERE month = ?").run(owner, at, month);
    return getClose(core.db, month)!;
  })();
  if (!claimed) return getClose(core.db, month)!;
  core.events.emit('statusChanged', { reason: 'close' });

  let row = claimed;
  while (row.step !== 'done') {
    const step = row.step;
    let detail: Record<string, unknown>;
    try {
      detail = await runStep(core, row, step, options);
    } catch (error) {
      // A damaged ledger is not a step to retry: the caller (jobs) runs the ledger check at once.
      if (isCorruption(error)) throw error;
      row = recordTrouble(core, month, error);
      core.events.emit('statusChanged', { reason: 'close' });
      return row;
    }
    testKill(core, step, 'before');
    row = commitStep(core, month, step, detail);
    testKill(core, step, 'after');
    core.events.emit('statusChanged', { reason: 'close' });
  }
  return row;
}

function commitStep(core: Core, month: string, step: CloseStep, detail: Record<string, unknown>): CloseRow {
  const at = core.clock.now().toISOString();
  const next = nextStep(step);
  core.db.transaction(() => {
    core.db
      .prepare('INSERT INTO month_close_steps (month, step, finished_at, detail) VALUES (?, ?, ?, ?) ON CONFLICT (month, step) DO UPDATE SET finished_at = excluded.finished_at, detail = excluded.detail')
      .run(month, step, at, JSON.stringify(detail));
    core.db
      .prepare(
        `UPDATE month_closes SET step = ?, state = ?, attempts = 0, next_attempt_at = NULL, last_error = NULL, error_step = NULL, error_provider = NULL, updated_at = ?,
                closed_at = CASE WHEN ? = 'done' THEN ? ELSE closed_at END, owner = CASE WHEN ? = 'done' THEN NULL ELSE owner END
         WHERE month = ?`,
      )
      .run(next, next === 'done' ? 'closed' : 'running', at, next, at, next, month);
  })();
  return getClose(core.db, month)!;
}

function recordTrouble(core: Core, month: string, error: unknown): CloseRow {
  const now = core.clock.now();
  const row = getClose(core.db, month)!;
  if (error instanceof Waiting) {
    core.db
      .prepare("UPDATE month_closes SET state = 'waiting', next_attempt_at = ?, last_error = ?, error_step = NULL, error_provider = NULL, owner = NULL, updated_at = ? WHERE month = ?")
      .run(error.until.toISOString(), error.message, now.toISOString(), month);
  } else {
    const attempts = row.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    const provider = error instanceof ProviderFailed ? error.provider : null;
    core.db
      .prepare(
        "UPDATE month_closes SET state = 'retrying', attempts = ?, next_attempt_at = ?, last_error = ?, error_step = step, error_provider = ?, owner = NULL, updated_at = ? WHERE month = ?",
      )
      .run(attempts, new Date(now.getTime() + backoffMs(attempts)).toISOString(), message, provider, now.toISOString(), month);
  }
  return getClose(core.db, month)!;
}

async function runStep(core: Core, row: CloseRow, step: CloseStep, options: CloseOptions): Promise<Record<string, unknown>> {
  const month = row.month;
  switch (step) {
    case 'finals': {
      const missing = missingFinals(core, month);
      if (missing.length === 0) return { missing: [] };
      const deadline = new Date(row.finals_deadline);
      if (options.skipFinals || core.clock.now() >= deadline) return { missing, wentOnWithout: true };
      askForFinals(core);
      // Look again hourly (a figure may arrive any time), at the latest at the deadline.
      const until = new Date(Math.min(deadline.getTime(), core.clock.now().getTime() + 3600_000));
      // Shown in the window beside the ledger's other times: display names, and the ledger's zone, named.
      const names = missing.map((provider) => nameOf(core, provider)).join(', ');
      throw new Waiting(`Waiting for the final ${monthName(month)} figure of ${names} until ${when(deadline.getTime(), core.timeZone)}.`, until);
    }
    case 'sync': {
      const directory = options.directory ?? defaultDirectory();
      const start = floorUtcDay(startOfLocalDay(monthDays(month).from, core.timeZone));
      // The local month's last day may end after a UTC midnight: fetch whole UTC days through it.
      const endOfMonth = startOfLocalDay(`${addMonths(month, 1)}-01`, core.timeZone).getTime();
      const end = new Date(Math.min(core.clock.now().getTime(), Math.ceil(endOfMonth / DAY_MS) * DAY_MS));
      const results = [];
      for (const provider of syncableProviders(core, directory)) {
        const r = await syncProvider(core, provider, { ...options.sync, directory, trigger: 'schedule', askKeychain: false, window: { start, end } });
        if (r.outcome !== 'ok') throw new ProviderFailed(provider, r.message);
        results.push({ provider, rows: r.rows, rowsChanged: r.rowsChanged });
      }
      return { providers: results };
    }
    case 'reconcile': {
      const outcome = reconcile(core, monthDays(month));
      return { runId: outcome.run.id, days: outcome.days.length };
    }
    case 'freeze': {
      const totals = core.db.transaction(() => freezeMonth(core.db, month))();
      // Exact decimal text: a step's detail is stored as JSON, which has no 64-bit integers.
      return { providers: Object.fromEntries([...totals].map(([p, n]) => [p, formatUsd(n)])) };
    }
    case 'report': {
      const built = buildReport(core, month, { closing: true });
      core.db
        .prepare('INSERT INTO month_reports (month, html, csv, built_at) VALUES (?, ?, ?, ?) ON CONFLICT (month) DO UPDATE SET html = excluded.html, csv = excluded.csv, built_at = excluded.built_at')
        .run(month, built.html, built.csv, core.clock.now().toISOString());
      return { bytes: built.html.length + built.csv.length };
    }
    case 'send':
      return sendReport(core, month);
  }
}

/** Build the report of any month from the ledger (the close stores the one it built). */
export function buildReport(core: Core, month: string, options: { closing?: boolean } = {}): { html: string; csv: string; totalNano: NanoTotal } {
  const now = core.clock.now();
  const data = reportData(core.db, month, now, core.timeZone);
  if (options.closing) data.close = { state: 'closed', closedAt: now.toISOString() };
  return { html: reportHtml(data), csv: reportCsv(data), totalNano: data.totalNano };
}

async function sendReport(core: Core, month: string): Promise<Record<string, unknown>> {
  const stored = core.db.prepare('SELECT csv FROM month_reports WHERE month = ?').get(month) as { csv: string } | undefined;
  const total = reportData(core.db, month, core.clock.now(), core.timeZone).totalNano;
  const subject = `Burnrate: ${monthName(month)}, ${formatUsdForPeople(total)} spent`;
  const body = `${monthName(month)} is closed: ${formatUsdForPeople(total)} spent. The full report is attached to the email channel and available in Burnrate's Month close view.`;
  // Enqueued before anything is sent; the key makes a second enqueue (a redone step) a no-op.
  core.db.transaction(() => {
    for (const ch of listChannels(core.db)) {
      if (!ch.receives.reports) continue;
      enqueueMessage(core, { channelId: ch.id, kind: 'report', idemKey: `report:${month}:${ch.id}`, month, subject, body });
    }
  })();
  await deliverMessages(core, { month });
  const messages = reportMessages(core, month);
  const waiting = messages.filter((m) => m.status === 'pending');
  if (waiting.length > 0) throw new Error(`the report is still waiting for ${waiting.map((m) => `${m.kind} channel #${m.channelId} (${m.lastError ?? 'not sent yet'})`).join(', ')}`);
  return {
    csvBytes: stored?.csv.length ?? 0,
    delivered: messages.filter((m) => m.status === 'delivered').map((m) => m.channelId),
    failed: messages.filter((m) => m.status === 'failed').map((m) => ({ channel: m.channelId, error: m.lastError })),
  };
}

/** The month the scheduler closes now, if any: the previous month once `afterDays` have passed. */
export function monthDueForClose(core: Core): string | null {
  const now = core.clock.now();
  const current = localMonth(now, core.timeZone);
  const previous = addMonths(current, -1);
  const dueAt = startOfLocalDay(`${current}-01`, core.timeZone).getTime() + closeSettings(core.db).afterDays * DAY_MS;
  if (now.getTime() < dueAt) return null;
  const row = getClose(core.db, previous);
  if (row?.state === 'closed') return null;
  if (row && row.next_attempt_at !== null && row.next_attempt_at > now.toISOString()) return null;
  return previous;
}

/** Unfinished closes whose next try is due (a crash, a failed step, a wait that ended). */
export function closesToResume(core: Core): string[] {
  const at = core.clock.now().toISOString();
  return (
    core.db
      .prepare("SELECT month FROM month_closes WHERE state != 'closed' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY month")
      .all(at) as { month: string }[]
  ).map((r) => r.month);
}
