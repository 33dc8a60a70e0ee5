import type { AlertView } from '../model/views';
import { toAlertView } from '../budget/alerts';
import { noticeOf } from '../budget/checks';
import type { Core } from '../model/context';
import type { Channel, ChannelKind } from './channels';
import { sendEmail } from './email';
import { renderWebhook, sendWebhook, type OutgoingNotice, type SendOutcome } from './webhooks';

/**
 * Delivery of webhook notifications from the durable outbox (notification_outbox).
 *
 * - A row is written with its alert, in the same transaction, so nothing is lost if the network
 *   is down or the app quits before delivering.
 * - A sender claims due rows atomically by moving next_attempt_at forward (a lease): two processes
 *   (the app and a CLI run) never send the same row at the same time. A sender that dies holding a
 *   lease loses it when the lease ends and the row is sent again: delivery is at least once, and
 *   exactly once whenever the process lives to record the answer.
 * - Failures that may pass (network errors, timeouts, 408/425/429, 5xx) are retried with
 *   exponential backoff: 30 s, 1 min, 2 min … up to 6 h between tries, or the server's Retry-After
 *   if longer. Other 4xx answers mean the URL is wrong: the row fails at once and status says so.
 * - A notification still undelivered a week after its alert is given up (failed): news that old is
 *   no longer an alert.
 */

export const BASE_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 6 * 3600_000;
export const GIVE_UP_AFTER_MS = 7 * 24 * 3600_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const LEASE_MARGIN_MS = 60_000;

export interface DeliveryOptions {
  /** Per-request timeout. */
  timeoutMs?: number;
  /** At most this many rows per run. */
  limit?: number;
}

export interface DeliveryAttempt {
  outboxId: number;
  alertId: number;
  channelId: number;
  kind: ChannelKind;
  outcome: 'delivered' | 'retrying' | 'failed';
  error: string | null;
  nextAttemptAt: string | null;
}

export interface DeliveryReport {
  attempts: DeliveryAttempt[];
  delivered: number;
  retrying: number;
  failed: number;
}

/** Delay before try number `attempts + 1`, after `attempts` failures. */
export function backoffMs(attempts: number): number {
  const exp = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(BASE_BACKOFF_MS * 2 ** exp, MAX_BACKOFF_MS);
}

interface ClaimedRow {
  id: number;
  alert_id: number;
  channel_id: number;
  attempts: number;
}

interface AlertRowForSend {
  id: number;
  rule: string;
  level: AlertView['level'];
  message: string;
  period: string;
  provider: string;
  created_at: string;
  acknowledged_at: string | null;
  data: string;
  superseded_by: number | null;
}

function claim(core: Core, limit: number, leaseMs: number): ClaimedRow[] {
  const now = core.clock.now();
  return core.db
    .prepare(
      `UPDATE notification_outbox
         SET next_attempt_at = @lease, last_attempt_at = @now, attempts = attempts + 1
       WHERE id IN (SELECT id FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= @now
                    ORDER BY next_attempt_at, id LIMIT @limit)
       RETURNING id, alert_id, channel_id, attempts`,
    )
    .all({ now: now.toISOString(), lease: new Date(now.getTime() + leaseMs).toISOString(), limit }) as ClaimedRow[];
}

/** Send every notification that is due now; resolves when each has an answer or has timed out. */
export async function deliverOutbox(core: Core, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { attempts: [], delivered: 0, retrying: 0, failed: 0 };
  if (!core.db.open) return report;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const claimed = claim(core, options.limit ?? 100, timeoutMs + LEASE_MARGIN_MS);
  if (claimed.length === 0) return report;

  const alertStmt = core.db.prepare(
    'SELECT id, rule, level, message, period, provider, created_at, acknowledged_at, data, superseded_by FROM alerts WHERE id = ?',
  );
  const channelStmt = core.db.prepare('SELECT kind, url, email_to, email_from FROM notification_channels WHERE id = ?');
  // One channel's rows go in order, one at a time; channels are served side by side.
  const byChannel = new Map<number, ClaimedRow[]>();
  for (const row of claimed) byChannel.set(row.channel_id, [...(byChannel.get(row.channel_id) ?? []), row]);

  await Promise.all(
    [...byChannel.entries()].map(async ([channelId, rows]) => {
      const channel = channelStmt.get(channelId) as ChannelTarget | undefined;
      for (const row of rows) {
        const alertRow = alertStmt.get(row.alert_id) as AlertRowForSend | undefined;
        if (!channel || !alertRow) continue; // removed meanwhile: its outbox rows went with it
        const alert = toAlertView(alertRow);
        const notice = noticeOf(alert);
        const outgoing = { title: notice.title, message: notice.body, level: alert.level, alert };
        const outcome = await sendNotice(core, { ...channel, id: channelId }, outgoing, `alert-${alert.id}-ch${channelId}`, timeoutMs);
        if (!core.db.open) return; // the app is closing: the lease runs out and the row is sent later
        report.attempts.push(record(core, row, channel.kind, alertRow.created_at, outcome));
      }
    }),
  );
  for (const a of report.attempts) report[a.outcome]++;
  return report;
}

function record(core: Core, row: ClaimedRow, kind: ChannelKind, alertCreatedAt: string, outcome: SendOutcome): DeliveryAttempt {
  const now = core.clock.now();
  const base = { outboxId: row.id, alertId: row.alert_id, channelId: row.channel_id, kind };
  if (outcome.ok) {
    core.db
      .prepare("UPDATE notification_outbox SET status = 'delivered', delivered_at = ?, last_error = NULL WHERE id = ?")
      .run(now.toISOString(), row.id);
    return { ...base, outcome: 'delivered', error: null, nextAttemptAt: null };
  }
  const tooOld = now.getTime() - Date.parse(alertCreatedAt) > GIVE_UP_AFTER_MS;
  if (!outcome.retry || tooOld) {
    const error = tooOld && outcome.retry ? `${outcome.error} (gave up: undelivered for a week)` : outcome.error;
    core.db.prepare("UPDATE notification_outbox SET status = 'failed', last_error = ? WHERE id = ?").run(error, row.id);
    return { ...base, outcome: 'failed', error, nextAttemptAt: null };
  }
  const delay = Math.max(backoffMs(row.attempts), Math.min(outcome.retryAfterMs ?? 0, MAX_BACKOFF_MS));
  const next = new Date(now.getTime() + delay).toISOString();
  core.db.prepare('UPDATE notification_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?').run(next, outcome.error, row.id);
  return { ...base, outcome: 'retrying', error: outcome.error, nextAttemptAt: next };
}

/** When the next undelivered notification is due (for a scheduler that sleeps until then). */
export function nextOutboxAttemptAt(core: Core): string | null {
  const row = core.db.prepare("SELECT MIN(next_attempt_at) AS at FROM notification_outbox WHERE status = 'pending'").get() as { at: string | null };
  return row.at;
}

/** The columns a sender needs from notification_channels. */
export interface ChannelTarget {
  id: number;
  kind: ChannelKind;
  url: string;
  email_to: string;
  email_from: string;
}

/** The sender of an email channel when none was given: the recipient itself. */
export function senderOf(target: Pick<ChannelTarget, 'email_to' | 'email_from'>): string {
  return target.email_from || target.email_to.split(',')[0]!.trim();
}

/** One short notice to any kind of channel: a webhook POST, or a plain email. */
export function sendNotice(core: Core, target: ChannelTarget, notice: OutgoingNotice, messageKey: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SendOutcome> {
  if (target.kind === 'email') {
    return sendEmail(
      core,
      target.url,
      { to: target.email_to, from: senderOf(target), subject: notice.title, text: notice.message, messageId: `<${messageKey}@burnrate.local>` },
      timeoutMs,
    );
  }
  const request = renderWebhook(target.kind, target.url, notice);
  return sendWebhook(core.fetch, request, timeoutMs, core.clock.now().getTime());
}

export function targetOf(channel: Channel): ChannelTarget {
  return { id: channel.id, kind: channel.kind, url: channel.url, email_to: channel.emailTo, email_from: channel.emailFrom };
}

/** Send one test message to a channel now, outside the outbox (for `alerts channel test`). */
export async function testChannel(core: Core, channel: Channel, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SendOutcome> {
  const what = [channel.receives.alerts !== 'none' ? `budget alerts (${channel.receives.alerts} and above)` : null, channel.receives.reminders ? 'reminders' : null, channel.receives.reports ? 'monthly reports' : null]
    .filter((x) => x !== null)
    .join(', ');
  const notice = { title: 'Burnrate: test', message: `This channel will receive Burnrate ${what || 'nothing yet (everything is switched off)'}.`, level: 'info' as const, alert: null };
  return sendNotice(core, targetOf(channel), notice, `test-${channel.id}-${core.clock.now().getTime()}`, timeoutMs);
}
