import type { ServerResponse } from 'node:http';
import { errorBody } from '../api/dispatch';
import { ApiError, HTTP_STATUS, type ApiErrorCode } from '../api/errors';

/**
 * An error that ends a request with a given HTTP status. Transport-level refusals (405, 413, 415,
 * 421, 401, 403) have no ApiErrorCode of their own, so each carries the nearest code and its own
 * status; the body is always the contract's error shape, so clients parse one format.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answer any thrown value with the contract's error body and the matching status. */
export function sendError(res: ServerResponse, error: unknown, toApiError: (e: unknown) => ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendJson(res, error.status, errorBody(new ApiError(error.code, error.message)), error.headers);
    return;
  }
  const apiError = toApiError(error);
  sendJson(res, HTTP_STATUS[apiError.code], errorBody(apiError));
}
