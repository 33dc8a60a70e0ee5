import { z } from 'zod';
import type { Core } from '../app/open';
import { LedgerError } from '../ledger/errors';
import { MoneyError } from '../money';
import { TimeError } from '../time';
import { contract, isMethodName, type Contract, type MethodName } from './contract';
import type { InputOf, ResultOf } from './define';
import { ApiError, type ApiErrorBody } from './errors';
import { handlers } from './handlers';

/** Turn zod's issues into one sentence naming each bad field. */
export function describeZodError(error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'input';
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    // zod 4's default messages start with "Invalid input: "; our sentence already does.
    return `${where} ${issue.message.replace(/^Invalid input:\s*/i, '')}`;
  });
  return `Invalid input: ${parts.join('; ')}.`;
}

/** Map any thrown value to an ApiError without leaking internals (or secrets) into the message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return new ApiError('invalid_input', describeZodError(error));
  if (error instanceof MoneyError || error instanceof TimeError) return new ApiError('invalid_input', error.message);
  if (error instanceof LedgerError) {
    const code = error.code === 'locked' ? 'unavailable' : error.code === 'invalid' ? 'invalid_input' : 'internal';
    return new ApiError(code, error.message, { ledger: error.code });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('internal', `Burnrate hit an unexpected error: ${message}. Please report it.`);
}

/**
 * The error a network client may see: an internal error's text (SQLite messages, file paths) stays
 * in the server's log and the client gets a fixed sentence.
 */
export function publicApiError(error: unknown): ApiError {
  const apiError = toApiError(error);
  if (apiError.code !== 'internal') return apiError;
  return new ApiError('internal', 'Burnrate hit an unexpected error; the terminal running burnrate serve shows the details. Please report it.');
}

export function errorBody(error: ApiError): ApiErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
}

/**
 * The single entry of every transport: validate `rawInput` against the method's schema, run its
 * handler, return plain data. Throws ApiError only.
 */
export async function dispatch<K extends MethodName>(core: Core, name: K, rawInput: unknown): Promise<ResultOf<Contract[K]>>;
export async function dispatch(core: Core, name: string, rawInput: unknown): Promise<unknown>;
export async function dispatch(core: Core, name: string, rawInput: unknown): Promise<unknown> {
  if (!isMethodName(name)) throw new ApiError('not_found', `There is no operation named "${name}".`);
  const spec = contract[name];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new ApiError('invalid_input', describeZodError(parsed.error));
  try {
    const handler = handlers[name] as (core: Core, input: unknown) => unknown;
    return await handler(core, parsed.data);
  } catch (error) {
    throw toApiError(error);
  }
}

/** Typed convenience for in-process callers (CLI, MCP, main/). */
export function call<K extends MethodName>(core: Core, name: K, input: InputOf<Contract[K]>): Promise<ResultOf<Contract[K]>> {
  return dispatch(core, name, input);
}
