import type { Core } from '../model/context';
import { EMAIL_ADDRESS } from '../model/input-patterns';
import { secretsOf } from '../secrets/keys';
import { ChannelInputError } from './channels';
import type { SendOutcome } from './webhooks';

/**
 * Email over SMTP (nodemailer). A channel is smtp://[user@]host:port (STARTTLS: upgraded whenever
 * the server offers it, and required whenever a password is sent) or smtps://[user@]host:port
 * (TLS from the first byte, usually port 465). The password is kept in the OS keychain under
 * `smtp:user@host:port`, never in the ledger or the URL. nodemailer is imported only when a message
 * is sent, so CLI commands that send nothing never load it.
 */

export interface SmtpTarget {
  secure: boolean;
  host: string;
  port: number;
  user: string | null;
}

/** Parse and check an SMTP URL; a password in it is refused (it belongs in the keychain). */
export function parseSmtpUrl(text: string): { url: string; target: SmtpTarget } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ChannelInputError(`"${text}" is not an SMTP URL; give it as smtp://[USER@]HOST:PORT.`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ChannelInputError(`An email channel's URL starts with smtp:// (STARTTLS) or smtps:// (TLS), not ${url.protocol}//.`);
  }
  if (url.password) throw new ChannelInputError('Give the SMTP password separately (it is kept in the keychain), not inside the URL.');
  if (!url.hostname) throw new ChannelInputError('The SMTP URL names no host; give it as smtp://[USER@]HOST:PORT.');
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const user = url.username ? decodeURIComponent(url.username) : null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const shown = `${url.protocol}//${user ? `${encodeURIComponent(user)}@` : ''}${url.hostname}:${port}`;
  return { url: shown, target: { secure, host, port, user } };
}

/** One or more addresses, comma-separated; returns them joined with ", ". */
export function normaliseAddresses(text: string, what: string, field: 'to' | 'from' = 'to'): string {
  const list = text.split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  if (list.length === 0) throw new ChannelInputError(`An email channel needs ${what}, like alerts@example.com.`, field);
  for (const a of list) if (!EMAIL_ADDRESS.test(a)) throw new ChannelInputError(`"${a}" is not an email address; give ${what} like alerts@example.com.`, field);
  return list.join(', ');
}

/** The keychain account of a channel's password. */
export function smtpSecretAccount(target: SmtpTarget): string {
  return `smtp:${target.user ?? ''}@${target.host}:${target.port}`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface EmailMessage {
  to: string;
  from: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: string; contentType: string }[];
  /** A stable Message-ID: if a send must ever be repeated, mail clients show it once. */
  messageId: string;
}

/** SMTP reply codes 4xx and network trouble may pass; 5xx and a refused login will not. */
function outcomeOfError(error: unknown): SendOutcome {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const what = (e.message ?? String(error)).replace(/\s+/g, ' ').slice(0, 160);
  if (e.code === 'EAUTH') return { ok: false, retry: false, error: `SMTP login refused: ${what}`, retryAfterMs: null };
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return { ok: false, retry: false, error: `SMTP ${e.responseCode}: ${what}`, retryAfterMs: null };
  return { ok: false, retry: true, error: `SMTP: ${what}`, retryAfterMs: null };
}

export async function sendEmail(core: Core, channelUrl: string, message: EmailMessage, timeoutMs = 20_000): Promise<SendOutcome> {
  const { target } = parseSmtpUrl(channelUrl);
  let pass: string | null = null;
  if (target.user) {
    try {
      pass = await secretsOf(core).get(smtpSecretAccount(target));
    } catch (error) {
      return { ok: false, retry: true, error: `the SMTP password could not be read from the keychain: ${(error as Error).message}`, retryAfterMs: null };
    }
    if (pass === null) return { ok: false, retry: false, error: `no SMTP password for ${target.user} is in the keychain`, retryAfterMs: null };
  }
  try {
    const nodemailer = await import('nodemailer');
    const transport = nodemailer.createTransport({
      host: target.host,
      port: target.port,
      secure: target.secure,
      // A password never crosses the network in clear: STARTTLS is required when one is sent
      // (except to this machine itself, e.g. a local relay).
      requireTLS: !target.secure && pass !== null && !LOOPBACK.has(target.host),
      ...(target.user && pass !== null ? { auth: { user: target.user, pass } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    try {
      await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        ...(message.attachments ? { attachments: message.attachments } : {}),
        messageId: message.messageId,
      });
    } finally {
      transport.close();
    }
    return { ok: true, status: 250 };
  } catch (error) {
    return outcomeOfError(error);
  }
}

/** Store (or replace) a channel's SMTP password in the keychain. */
export async function storeSmtpPassword(core: Core, target: SmtpTarget, password: string): Promise<void> {
  await secretsOf(core).set(smtpSecretAccount(target), password);
}
