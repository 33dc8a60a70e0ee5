import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond';

/** Far above any write's input (a record is a few hundred bytes); stops a client from filling memory. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * POST /api/events takes CloudEvents' own media types too (structured mode, one event or a batch),
 * and a body as large as its largest valid batch: 1,000 events whose every text field is full and
 * written as \u escapes come to about 6 MB.
 */
export const CLOUDEVENTS_TYPES = ['application/cloudevents+json', 'application/cloudevents-batch+json'] as const;
export const MAX_EVENTS_BODY_BYTES = 8 * 1024 * 1024;

export function isJsonContentType(header: string | undefined, also: readonly string[] = []): boolean {
  if (!header) return false;
  const mime = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return mime === 'application/json' || also.includes(mime);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The JSON body of a write. Requiring application/json is also a CSRF guard: a cross-origin page
 * cannot send that content type without a CORS preflight, which this server never approves.
 * An empty body means "no input" ({}), so writes without fields need no body.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES, alsoTypes: readonly string[] = []): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'], alsoTypes)) {
    throw new HttpError(415, 'invalid_input', 'Send the input as JSON with the header Content-Type: application/json.');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.concat(chunks));
  } catch {
    // Read leniently, such bytes became U+FFFD and were stored as if the client had sent that.
    throw new HttpError(400, 'invalid_input', 'The request body is not valid UTF-8; send the JSON encoded as UTF-8.');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Only the position: JSON.parse's own message quotes the body, which may hold a provider key.
    const at = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    const where = at !== undefined ? ` (at character ${at})` : '';
    throw new HttpError(400, 'invalid_input', `The request body is not valid JSON${where}; send one JSON object with the method's fields.`);
  }
}

function tooLarge(limit: number): HttpError {
  // The rest of the body is not read, so the connection cannot be reused.
  return new HttpError(413, 'invalid_input', `The request body is larger than ${Math.round(limit / 1024)} KB; no Burnrate input is that big (send usage events in batches of at most 1,000).`, {
    Connection: 'close',
  });
}
