import { BurnrateError, type ErrorCode, type ErrorFacts } from '../model/errors';

/**
 * Errors that cross the contract. The domain throws src/model's BurnrateError (a neutral sentence,
 * a reason and the facts); transports carry it as an ApiError and word the remedy themselves.
 */
export type ApiErrorCode = ErrorCode;
export { BurnrateError, type ErrorFacts } from '../model/errors';
/** The `trouble` fact of a keychain_unavailable error: what the user can put right. */
export type { KeychainTrouble } from '../model/ports';

export class ApiError extends BurnrateError {
  override name = 'ApiError';
  /** `reason` defaults to the code for a transport's own refusals (a wrong sender, a bad port). */
  constructor(code: ApiErrorCode, message: string, facts?: ErrorFacts, reason: string = code) {
    super(code, reason, message, facts);
  }
}

/** A transport's own refusals (serve's port, a CLI option): their sentences may name the transport's flags. */
export const invalid = (message: string, facts?: ErrorFacts, reason?: string) => new ApiError('invalid_input', message, facts, reason);
export const unavailable = (message: string, facts?: ErrorFacts, reason?: string) => new ApiError('unavailable', message, facts, reason);

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/**
 * What a transport sends for an error: plain data only. `message` is neutral (names no flag, button
 * or tool argument); `reason` and `facts` let a client word its own remedy (docs/http-api.md).
 */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; reason: string; message: string; facts?: ErrorFacts };
}
