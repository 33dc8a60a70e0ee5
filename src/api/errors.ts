/**
 * Errors that cross the contract. Every one carries a code transports map (HTTP status, CLI exit
 * code, MCP tool error) and a sentence that says what went wrong and what to do.
 */
export type ApiErrorCode =
  | 'invalid_input' // the caller's input is wrong: fix it and retry
  | 'not_found' // the thing named does not exist
  | 'conflict' // the input contradicts what is stored (e.g. a lower odometer reading)
  | 'unavailable' // a dependency is missing: keychain locked, provider unreachable
  | 'unauthorized' // a provider refused the key
  | 'internal'; // a bug: the message says so

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) => new ApiError('invalid_input', message, details);
export const notFound = (message: string) => new ApiError('not_found', message);
export const conflict = (message: string, details?: Record<string, unknown>) => new ApiError('conflict', message, details);
export const unavailable = (message: string) => new ApiError('unavailable', message);

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** What a transport sends for an error: plain data only. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: Record<string, unknown> };
}
