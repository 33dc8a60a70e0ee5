import type { Core } from '../model/context';
import type { Reminder } from '../model/views';
import { providerNamer } from '../providers/names';
import { listChannels, type ChannelKind } from './channels';
import { sendEmail } from './email';
import { backoffMs, MAX_BACKOFF_MS, sendNotice, senderOf, type ChannelTarget } from './outbox';
import type { SendOutcome } from './webhooks';

/**
 * The durable outbox of messages that are not alerts: monthly reports (and reminders). Same rules
 * as the alert outbox (outbox.ts): rows are written before anything is sent; a sender claims due
 * rows by moving next_attempt_at forward (a lease), so two processes never send one row at once;
 * retryable failures back off; a row is marked delivered in the same process that sent it.
 *
 * Exactly once: `idem_key` is unique, so enqueueing a month's report for a channel twice is a
 * no-op, and a delivered row is never claimed again. The one gap is a process killed during the
 * SMTP or HTTP exchange itself: its lease runs out and the row is sent again, with the same
 * Message-ID (`<idem_key@burnrate.local>`), which mail clients show once.
 */

export type MessageKind = 'report' | 'reminder' | 'test';

export interface NewMessage {
  channelId: number;
  kind: MessageKind;
  idemKey: string;
  month: string | null;
  subject: string;
  body: string;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const LEASE_MARGIN_MS = 60_000;

/** Enqueue a message; false when one with the same key exists (sent or waiting). */
export function enqueueMessage(core: Core, m: NewMessage): boolean {
  const at = core.clock.now().toISOString();
  return (
    core.db
      .prepare(
        `INSERT INTO channel_messages (channel_id, kind, idem_key, month, subject, body, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING`,
      )
      .run(m.channelId, m.kind, m.idemKey, m.month, m.subject, m.body, at, at).changes === 1
  );
}

interface MessageRow {
  id: number;
  channel_id: number;
  kind: MessageKind;
  idem_key: string;
  month: string | null;
  subject: string;
  body: string;
  attempts: number;
}

export interface MessageStatus {
  id: number;
  channelId: number;
  kind: ChannelKind;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
}

/** Messages of a month's report, per channel. */
export function reportMessages(core: Core, month: string): MessageStatus[] {
  return (
    core.db
      .prepare(
        `SELECT m.id, m.channel_id, c.kind, m.status, m.attempts, m.last_error, m.delivered_at
         FROM channel_messages m JOIN notification_channels c ON c.id = m.channel_id
         WHERE m.kind = 'report' AND m.month = ? ORDER BY m.id`,
      )
      .all(month) as { id: number; channel_id: number; kind: ChannelKind; status: MessageStatus['status']; attempts: number; last_error: string | null; delivered_at: string | null }[]
  ).map((r) => ({ id: r.id, channelId: r.channel_id, kind: r.kind, status: r.status, attempts: r.attempts, lastError: r.last_error, deliveredAt: r.delivered_at }));
}

function claim(core: Core, leaseMs: number, month: string | null): MessageRow[] {
  const now = core.clock.now();
  return core.db
    .prepare(
      `UPDATE channel_messages SET next_attempt_at = @lease, last_attempt_at = @now, attempts = attempts + 1
       WHERE id IN (SELECT id FROM channel_messages WHERE status = 'pending' AND next_attempt_at <= @now
                    AND (@month IS NULL OR month = @month) ORDER BY id LIMIT 50)
       RETURNING id, channel_id, kind, idem_key, month, subject, body, attempts`,
    )
    .all({ now: now.toISOString(), lease: new Date(now.getTime() + leaseMs).toISOString(), month }) as MessageRow[];
}

function reportOf(core: Core, month: string): { html: string; csv: string } | undefined {
  return core.db.prepare('SELECT html, csv FROM month_reports WHERE month = ?').get(month) as { html: string; csv: string } | undefined;
}

async function sendRow(core: Core, target: ChannelTarget, row: MessageRow, timeoutMs: number): Promise<SendOutcome> {
  if (target.kind === 'email' && row.kind === 'report' && row.month) {
    const report = reportOf(core, row.month);
    if (!report) return { ok: false, retry: true, error: `the report of ${row.month} is not built yet`, retryAfterMs: null };
    return sendEmail(
      core,
      target.url,
      {
        to: target.email_to,
        from: senderOf(target),
        subject: row.subject,
        text: row.body,
        html: report.html,
        attachments: [{ filename: `burnrate-${row.month}.csv`, content: report.csv, contentType: 'text/csv; charset=utf-8' }],
        messageId: `<${row.idem_key}@burnrate.local>`,
      },
      timeoutMs,
    );
  }
  return sendNotice(core, target, { title: row.subject, message: row.body, level: 'info', alert: null }, row.idem_key, timeoutMs);
}

export interface MessageDelivery {
  delivered: number;
  retrying: number;
  failed: number;
  errors: string[];
}

/** Send every due message (of one month's report, when `month` is given). */
export async function deliverMessages(core: Core, options: { month?: string; timeoutMs?: number } = {}): Promise<MessageDelivery> {
  const out: MessageDelivery = { delivered: 0, retrying: 0, failed: 0, errors: [] };
  if (!core.db.open || core.db.readonly) return out; // a read-only ledger cannot record a delivery, so it sends nothing
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const rows = claim(core, timeoutMs + LEASE_MARGIN_MS, options.month ?? null);
  const channelStmt = core.db.prepare('SELECT id, kind, url, email_to, email_from FROM notification_channels WHERE id = ?');
  for (const row of rows) {
    const target = channelStmt.get(row.channel_id) as ChannelTarget | undefined;
    if (!target) continue;
    const outcome = await sendRow(core, target, row, timeoutMs);
    if (!core.db.open) return out;
    const now = core.clock.now();
    if (outcome.ok) {
      core.db.prepare("UPDATE channel_messages SET status = 'delivered', delivered_at = ?, last_error = NULL WHERE id = ?").run(now.toISOString(), row.id);
      out.delivered++;
    } else if (!outcome.retry) {
      core.db.prepare("UPDATE channel_messages SET status = 'failed', last_error = ? WHERE id = ?").run(outcome.error, row.id);
      out.failed++;
      out.errors.push(`${target.kind} channel #${target.id}: ${outcome.error}`);
    } else {
      const delay = Math.max(backoffMs(row.attempts), Math.min(outcome.retryAfterMs ?? 0, MAX_BACKOFF_MS));
      core.db.prepare('UPDATE channel_messages SET next_attempt_at = ?, last_error = ? WHERE id = ?').run(new Date(now.getTime() + delay).toISOString(), outcome.error, row.id);
      out.retrying++;
      out.errors.push(`${target.kind} channel #${target.id}: ${outcome.error}`);
    }
  }
  return out;
}

/** Queue newly raised reminders for the channels that take reminders (once per reminder and channel). */
export function enqueueReminders(core: Core, raised: readonly Reminder[]): number {
  if (raised.length === 0) return 0;
  const channels = listChannels(core.db).filter((c) => c.receives.reminders);
  const nameOf = providerNamer(core.db);
  let queued = 0;
  core.db.transaction(() => {
    for (const r of raised) {
      for (const ch of channels) {
        const subject = `Burnrate: ${r.provider ? nameOf(r.provider) : 'reminder'}`;
        if (enqueueMessage(core, { channelId: ch.id, kind: 'reminder', idemKey: `reminder:${r.id}:${ch.id}`, month: null, subject, body: r.message })) queued++;
      }
    }
  })();
  return queued;
}
