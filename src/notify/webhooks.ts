import type { AlertView } from '../model/views';
import type { WebhookKind } from './channels';

/**
 * How one notification looks on each kind of channel, and what an answer means.
 *   slack    an incoming webhook: POST {"text"} (mrkdwn; &, < and > escaped)
 *   discord  a channel webhook: POST {"content"} with mentions disabled, so a message can never ping
 *   ntfy     POST the text to the topic URL; Title, Priority and Tags as headers (ASCII only)
 *   webhook  a generic JSON POST: {"source":"burnrate","type":"alert","title","message","alert"}
 */
export interface OutgoingNotice {
  title: string;
  message: string;
  level: AlertView['level'];
  alert: AlertView | null;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const NTFY_PRIORITY: Record<OutgoingNotice['level'], string> = { critical: '4', warning: '3', info: '2' };
const NTFY_TAG: Record<OutgoingNotice['level'], string> = { critical: 'rotating_light', warning: 'warning', info: 'information_source' };

function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Header values must be plain ASCII for fetch; anything else becomes "?". */
function asciiHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

export function renderWebhook(kind: WebhookKind, url: string, notice: OutgoingNotice): WebhookRequest {
  const json = { 'content-type': 'application/json' };
  switch (kind) {
    case 'slack':
      return { url, headers: json, body: JSON.stringify({ text: `*${slackEscape(notice.title)}*\n${slackEscape(notice.message)}` }) };
    case 'discord':
      return {
        url,
        headers: json,
        body: JSON.stringify({ content: `**${notice.title}**\n${notice.message}`.slice(0, 2000), allowed_mentions: { parse: [] } }),
      };
    case 'ntfy':
      return {
        url,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          title: asciiHeader(notice.title),
          priority: NTFY_PRIORITY[notice.level],
          tags: NTFY_TAG[notice.level],
        },
        body: notice.message,
      };
    case 'webhook':
      return {
        url,
        headers: json,
        body: JSON.stringify({ source: 'burnrate', type: 'alert', title: notice.title, message: notice.message, level: notice.level, alert: notice.alert }),
      };
  }
}

export type SendOutcome =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; error: string; retryAfterMs: number | null };

/** Retry-After as seconds or an HTTP date, in ms from `nowMs`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** 408, 425, 429 and 5xx are worth another try; any other 4xx means the URL or channel is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export async function sendWebhook(fetchImpl: typeof fetch, request: WebhookRequest, timeoutMs: number, nowMs: number): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as { name?: string }).name;
    const what = name === 'TimeoutError' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : cause ?? (error instanceof Error ? error.message : String(error));
    return { ok: false, retry: true, error: `network: ${what}`, retryAfterMs: null };
  }
  const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 120);
  if (response.ok) return { ok: true, status: response.status };
  return {
    ok: false,
    retry: isRetryableStatus(response.status),
    error: `HTTP ${response.status}${text ? `: ${text}` : ''}`,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), nowMs),
  };
}
