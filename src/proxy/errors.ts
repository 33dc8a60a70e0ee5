import type { ServerResponse } from 'node:http';
import type { WireFormat } from './upstreams';

/**
 * Errors the proxy itself answers, in the provider's own shape so every client shows them as it
 * shows the provider's: OpenAI `{ error: { message, type, code } }`, Anthropic
 * `{ type: 'error', error: { type, message } }`.
 *
 * Budget refusals are 402 with `x-should-retry: false`: the official openai (6.x) and
 * @anthropic-ai/sdk clients retry 408, 409, 429 and 5xx (unless x-should-retry says false) and
 * never 402, and both raise an error whose message is ours (test/integration/proxy/sdk.test.ts
 * checks each SDK makes exactly one request and shows the sentence). 402 is what the product's
 * documents promise and the status that means "pay", and clients that ignore x-should-retry still
 * do not retry it, where a 429 invites a retry loop from any client written by hand.
 */
export function sendProviderError(
  res: ServerResponse,
  format: WireFormat,
  status: number,
  kind: 'budget_exceeded' | 'bad_gateway' | 'gateway_timeout' | 'too_large' | 'not_found' | 'misdirected' | 'proxy_error' | 'bad_request',
  message: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const anthropicType = status === 404 ? 'not_found_error' : status === 413 ? 'request_too_large' : status >= 500 ? 'api_error' : status === 402 ? 'billing_error' : 'invalid_request_error';
  const body =
    format === 'anthropic'
      ? { type: 'error', error: { type: anthropicType, message } }
      : { error: { message, type: kind === 'budget_exceeded' ? 'insufficient_quota' : kind, param: null, code: kind } };
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    // A refusal or a bad request is the same on retry; an unreachable upstream may come back, so
    // 502/504 leave the client's own retry policy alone.
    ...(status < 500 ? { 'x-should-retry': 'false' } : {}),
    'x-burnrate-refusal': kind,
  });
  res.end(text);
}
