import type { Database } from 'better-sqlite3';

/**
 * Where alerts go besides the desktop notification: webhooks configured by URL, and email over SMTP.
 * The URL of a Slack or Discord webhook or an ntfy topic is itself the credential, so it is only
 * ever shown redacted. It is kept in the ledger (docs/budget.md says why, and how to rotate one).
 * An email channel's URL is smtp(s)://[user@]host:port; its password lives in the OS keychain
 * (src/notify/email.ts), never in the ledger.
 */
export const CHANNEL_KINDS = ['slack', 'discord', 'ntfy', 'webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type WebhookKind = Exclude<ChannelKind, 'email'>;

/** The lowest alert level a channel receives, or none. */
export const ALERT_LEVELS = ['info', 'warning', 'critical', 'none'] as const;
export type AlertLevelChoice = (typeof ALERT_LEVELS)[number];

/** What a channel receives: alerts from a level up, reminders, monthly reports. */
export interface ChannelReceives {
  alerts: AlertLevelChoice;
  reminders: boolean;
  reports: boolean;
}

export interface Channel {
  id: number;
  kind: ChannelKind;
  url: string;
  /** Email only: recipients (comma-separated) and sender; '' for webhooks. */
  emailTo: string;
  emailFrom: string;
  receives: ChannelReceives;
  createdAt: string;
}

export class ChannelInputError extends Error {
  override name = 'ChannelInputError';
  /** The channel input the message is about (the URL unless said otherwise), for a form to show it there. */
  constructor(message: string, readonly field: 'url' | 'to' | 'from' = 'url') {
    super(message);
  }
}

export function isChannelKind(kind: string): kind is ChannelKind {
  return (CHANNEL_KINDS as readonly string[]).includes(kind);
}

/** A webhook URL: absolute http(s). Returns it normalised. */
export function normaliseChannelUrl(kind: WebhookKind, text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ChannelInputError(`"${text}" is not a URL; give the full ${kind} URL, starting with https://.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ChannelInputError(`The ${kind} URL must start with https:// (or http://), not ${url.protocol}//.`);
  }
  if (kind === 'ntfy' && (url.pathname === '/' || url.pathname === '')) {
    throw new ChannelInputError('An ntfy URL names its topic, like https://ntfy.sh/my-burnrate-alerts.');
  }
  return url.href;
}

/** Scheme, host and the last four characters: enough to recognise it, useless to anyone else. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    const rest = `${url.pathname}${url.search}`.replace(/^\/$/, '');
    if (rest.length === 0) return url.origin;
    return `${url.origin}/…${rest.slice(-4)}`;
  } catch {
    return '…';
  }
}

interface ChannelRow {
  id: number;
  kind: ChannelKind;
  url: string;
  email_to: string;
  email_from: string;
  alert_level: AlertLevelChoice;
  reminders: number;
  reports: number;
  created_at: string;
}

const COLUMNS = 'id, kind, url, email_to, email_from, alert_level, reminders, reports, created_at';

const toChannel = (r: ChannelRow): Channel => ({
  id: r.id,
  kind: r.kind,
  url: r.url,
  emailTo: r.email_to,
  emailFrom: r.email_from,
  receives: { alerts: r.alert_level, reminders: r.reminders === 1, reports: r.reports === 1 },
  createdAt: r.created_at,
});

export function listChannels(db: Database): Channel[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM notification_channels ORDER BY id`).all() as ChannelRow[]).map(toChannel);
}

export function getChannel(db: Database, id: number): Channel | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM notification_channels WHERE id = ?`).get(id) as ChannelRow | undefined;
  return row ? toChannel(row) : null;
}

/** What a new channel receives unless told: every alert and the monthly report; reminders stay on the desktop. */
export const DEFAULT_RECEIVES: ChannelReceives = { alerts: 'info', reminders: false, reports: true };

export interface NewChannel {
  kind: ChannelKind;
  /** Already normalised (normaliseChannelUrl, or parseSmtpUrl for email). */
  url: string;
  emailTo?: string;
  emailFrom?: string;
  receives?: Partial<ChannelReceives>;
}

/** Add a channel; adding the same kind, URL (and recipients) again returns the one that exists. */
export function addChannel(db: Database, input: NewChannel, now: Date): { channel: Channel; created: boolean } {
  const url = input.kind === 'email' ? input.url : normaliseChannelUrl(input.kind, input.url);
  const receives = { ...DEFAULT_RECEIVES, ...input.receives };
  const to = input.emailTo ?? '';
  const changes = db
    .prepare(
      `INSERT INTO notification_channels (kind, url, email_to, email_from, alert_level, reminders, reports, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, url, email_to) DO NOTHING`,
    )
    .run(input.kind, url, to, input.emailFrom ?? '', receives.alerts, receives.reminders ? 1 : 0, receives.reports ? 1 : 0, now.toISOString()).changes;
  const row = db.prepare(`SELECT ${COLUMNS} FROM notification_channels WHERE kind = ? AND url = ? AND email_to = ?`).get(input.kind, url, to) as ChannelRow;
  return { channel: toChannel(row), created: changes === 1 };
}

/** Change what a channel receives. */
export function setChannelReceives(db: Database, id: number, patch: Partial<ChannelReceives>): Channel | null {
  const ch = getChannel(db, id);
  if (!ch) return null;
  const r = { ...ch.receives, ...patch };
  db.prepare('UPDATE notification_channels SET alert_level = ?, reminders = ?, reports = ? WHERE id = ?').run(r.alerts, r.reminders ? 1 : 0, r.reports ? 1 : 0, id);
  return getChannel(db, id);
}

/** SQL condition: the channel takes alerts of the level bound as @level (info < warning < critical). */
export const TAKES_ALERT_LEVEL_SQL = `alert_level != 'none' AND (CASE alert_level WHEN 'info' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)
  <= (CASE @level WHEN 'info' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)`;

/** Remove a channel and its undelivered notifications. False when there is no such channel. */
export function removeChannel(db: Database, id: number): boolean {
  return db.transaction(() => {
    db.prepare('DELETE FROM notification_outbox WHERE channel_id = ?').run(id);
    db.prepare('DELETE FROM channel_messages WHERE channel_id = ?').run(id);
    return db.prepare('DELETE FROM notification_channels WHERE id = ?').run(id).changes === 1;
  })();
}

export interface ChannelDelivery {
  pending: number;
  delivered: number;
  failed: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** Attempts of the oldest undelivered notification (0 when none waits). */
  pendingAttempts: number;
}

/** Counts over both outboxes: alerts (notification_outbox) and reports or reminders (channel_messages). */
export function channelDelivery(db: Database, id: number): ChannelDelivery {
  const counts = db
    .prepare(
      `SELECT SUM(status = 'pending') AS pending, SUM(status = 'delivered') AS delivered, SUM(status = 'failed') AS failed,
              MAX(last_attempt_at) AS last_attempt, MAX(CASE WHEN status = 'pending' THEN attempts ELSE 0 END) AS pending_attempts
       FROM (SELECT status, last_attempt_at, attempts FROM notification_outbox WHERE channel_id = @id
             UNION ALL SELECT status, last_attempt_at, attempts FROM channel_messages WHERE channel_id = @id)`,
    )
    .get({ id }) as { pending: number | null; delivered: number | null; failed: number | null; last_attempt: string | null; pending_attempts: number | null };
  const last = db
    .prepare(
      `SELECT last_error FROM (SELECT last_error, last_attempt_at FROM notification_outbox WHERE channel_id = @id
                               UNION ALL SELECT last_error, last_attempt_at FROM channel_messages WHERE channel_id = @id)
       WHERE last_attempt_at IS NOT NULL ORDER BY last_attempt_at DESC LIMIT 1`,
    )
    .get({ id }) as { last_error: string | null } | undefined;
  return {
    pending: counts.pending ?? 0,
    delivered: counts.delivered ?? 0,
    failed: counts.failed ?? 0,
    lastError: last?.last_error ?? null,
    lastAttemptAt: counts.last_attempt,
    pendingAttempts: counts.pending_attempts ?? 0,
  };
}
