import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond';

/** Far above any write's input (a record is a few hundred bytes); stops a client from filling memory. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const mime = header.split(';')[0]?.trim().toLowerCase();
  return mime === 'application/json';
}

/**
 * The JSON body of a write. Requiring application/json is also a CSRF guard: a cross-origin page
 * cannot send that content type without a CORS preflight, which this server never approves.
 * An empty body means "no input" ({}), so writes without fields need no body.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'])) {
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
  const text = Buffer.concat(chunks).toString('utf8');
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
  return new HttpError(413, 'invalid_input', `The request body is larger than ${Math.round(limit / 1024)} KB; no Burnrate input is that big.`, {
    Connection: 'close',
  });
}
