import type { ZodError } from 'zod';
import { z } from '../model/zod';
import type { Core } from '../app/open';
import { LedgerError } from '../ledger/errors';
import { translateSqliteError } from '../ledger/trouble';
import { MoneyError } from '../money';
import { TimeError } from '../time';
import { contract, isMethodName, type Contract, type MethodName } from './contract';
import type { InputOf, MethodSpec, ResultOf } from './define';
import { BurnrateError } from '../model/errors';
import { ApiError, type ApiErrorBody } from './errors';
import { catchUp } from '../app/catch-up';
import { handlerOf } from './handlers';
import { readView } from './read-view';

/** Turn zod's issues into one sentence naming each bad field. */
export function describeZodError(error: ZodError): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'input';
    if (issue.code === 'unrecognized_keys') {
      // Where, when nested (the 517th event of a batch: "in 516.data").
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}${issue.path.length ? ` in ${where}` : ''}`;
    }
    // zod 4's default messages start with "Invalid input: "; our sentence already does.
    return `${where} ${issue.message.replace(/^Invalid input:\s*/i, '')}`;
  });
  return `Invalid input: ${parts.join('; ')}.`;
}

/** Map any thrown value to an ApiError without leaking internals (or secrets) into the message. */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof ApiError) return thrown;
  const error = translateSqliteError(thrown, 'the ledger');
  if (error instanceof BurnrateError) return new ApiError(error.code, error.message, error.facts, error.reason);
  // zod loads here if no schema has loaded it: only on the way out of a failed call.
  if (error instanceof z.ZodError) return zodApiError(error);
  if (error instanceof MoneyError) return new ApiError('invalid_input', error.message, {}, 'bad_amount');
  if (error instanceof TimeError) return new ApiError('invalid_input', error.message, {}, 'bad_time');
  if (error instanceof LedgerError) {
    // Machine trouble (disk full, not writable, damaged, busy, foreign or newer file) is not a bug:
    // the sentence says what to do and details.ledger names the precise trouble.
    const code = error.code === 'invalid' ? 'invalid_input' : 'unavailable';
    return new ApiError(code, error.message, { ledger: error.code }, `ledger_${error.code}`);
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

/** An input the schema refused: the facts name each bad field, so a client can point at it. */
function zodApiError(error: ZodError): ApiError {
  const fields = [...new Set(error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : [i.path.length ? i.path.join('.') : 'input'])))];
  return new ApiError('invalid_input', describeZodError(error), { fields }, 'bad_input');
}

export function errorBody(error: BurnrateError): ApiErrorBody {
  const facts = Object.keys(error.facts).length > 0 ? { facts: error.facts } : {};
  return { error: { code: error.code, reason: error.reason, message: error.message, ...facts } };
}

/**
 * True when `raw` is what a method taking no fields accepts: a plain object with no properties, so
 * its schema (an empty strict object) would answer `{}`. Reads such as status then run without
 * loading zod (src/model/zod.ts); any other input, an unknown field included, goes to the schema.
 */
function acceptsWithoutZod(spec: MethodSpec, raw: unknown): boolean {
  return spec.takesNoFields === true && typeof raw === 'object' && raw !== null && Object.getPrototypeOf(raw) === Object.prototype && Reflect.ownKeys(raw).length === 0;
}

/**
 * The single entry of every transport: validate `rawInput` against the method's schema, run its
 * handler, return plain data. Throws ApiError only.
 */
export async function dispatch<K extends MethodName>(core: Core, name: K, rawInput: unknown): Promise<ResultOf<Contract[K]>>;
export async function dispatch(core: Core, name: string, rawInput: unknown): Promise<unknown>;
export async function dispatch(core: Core, name: string, rawInput: unknown): Promise<unknown> {
  if (!isMethodName(name)) throw new ApiError('not_found', `There is no operation named "${name}".`, { method: name }, 'unknown_method');
  const spec = contract[name];
  let data: unknown = {};
  if (!acceptsWithoutZod(spec, rawInput ?? {})) {
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw zodApiError(parsed.error);
    data = parsed.data;
  }
  try {
    const handler = await handlerOf(name);
    if (spec.kind === 'read') return await handler(readView(core), data);
    const result = await handler(core, data);
    // After a write the ledger is caught up (subscription days, balances, reminders due), so the
    // events of what the write made due go out now, from the process that wrote.
    try {
      catchUp(core);
    } catch (error) {
      // The write has committed; the schedule's next catch-up tries again.
      process.stderr.write(`[burnrate] catch-up after ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return result;
  } catch (error) {
    throw toApiError(translateSqliteError(error, core.db.name));
  }
}

/** Typed convenience for in-process callers (CLI, MCP, main/). */
export function call<K extends MethodName>(core: Core, name: K, input: InputOf<Contract[K]>): Promise<ResultOf<Contract[K]>> {
  return dispatch(core, name, input);
}
