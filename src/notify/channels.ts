import type { Database } from 'better-sqlite3';

/**
 * Where alerts go besides the desktop notification: webhooks configured by URL. The URL of a Slack
 * or Discord webhook or an ntfy topic is itself the credential, so it is only ever shown redacted.
 * It is kept in the ledger (docs/budget.md says why, and how to rotate one).
 */
export const CHANNEL_KINDS = ['slack', 'discord', 'ntfy', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface Channel {
  id: number;
  kind: ChannelKind;
  url: string;
  createdAt: string;
}

export class ChannelInputError extends Error {
  override name = 'ChannelInputError';
}

export function isChannelKind(kind: string): kind is ChannelKind {
  return (CHANNEL_KINDS as readonly string[]).includes(kind);
}

/** A webhook URL: absolute http(s). Returns it normalised. */
export function normaliseChannelUrl(kind: ChannelKind, text: string): string {
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
  created_at: string;
}

const toChannel = (r: ChannelRow): Channel => ({ id: r.id, kind: r.kind, url: r.url, createdAt: r.created_at });

export function listChannels(db: Database): Channel[] {
  return (db.prepare('SELECT id, kind, url, created_at FROM notification_channels ORDER BY id').all() as ChannelRow[]).map(toChannel);
}

export function getChannel(db: Database, id: number): Channel | null {
  const row = db.prepare('SELECT id, kind, url, created_at FROM notification_channels WHERE id = ?').get(id) as ChannelRow | undefined;
  return row ? toChannel(row) : null;
}

/** Add a channel; adding the same kind and URL again returns the one that exists. */
export function addChannel(db: Database, kind: ChannelKind, url: string, now: Date): { channel: Channel; created: boolean } {
  const normalised = normaliseChannelUrl(kind, url);
  const changes = db
    .prepare('INSERT INTO notification_channels (kind, url, created_at) VALUES (?, ?, ?) ON CONFLICT (kind, url) DO NOTHING')
    .run(kind, normalised, now.toISOString()).changes;
  const row = db.prepare('SELECT id, kind, url, created_at FROM notification_channels WHERE kind = ? AND url = ?').get(kind, normalised) as ChannelRow;
  return { channel: toChannel(row), created: changes === 1 };
}

/** Remove a channel and its undelivered notifications. False when there is no such channel. */
export function removeChannel(db: Database, id: number): boolean {
  return db.transaction(() => {
    db.prepare('DELETE FROM notification_outbox WHERE channel_id = ?').run(id);
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

export function channelDelivery(db: Database, id: number): ChannelDelivery {
  const counts = db
    .prepare(
      `SELECT SUM(status = 'pending') AS pending, SUM(status = 'delivered') AS delivered, SUM(status = 'failed') AS failed,
              MAX(last_attempt_at) AS last_attempt, MAX(CASE WHEN status = 'pending' THEN attempts ELSE 0 END) AS pending_attempts
       FROM notification_outbox WHERE channel_id = ?`,
    )
    .get(id) as { pending: number | null; delivered: number | null; failed: number | null; last_attempt: string | null; pending_attempts: number | null };
  const last = db
    .prepare('SELECT last_error FROM notification_outbox WHERE channel_id = ? AND last_attempt_at IS NOT NULL ORDER BY last_attempt_at DESC, id DESC LIMIT 1')
    .get(id) as { last_error: string | null } | undefined;
  return {
    pending: counts.pending ?? 0,
    delivered: counts.delivered ?? 0,
    failed: counts.failed ?? 0,
    lastError: last?.last_error ?? null,
    lastAttemptAt: counts.last_attempt,
    pendingAttempts: counts.pending_attempts ?? 0,
  };
}
