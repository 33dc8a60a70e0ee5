/**
 * The one error the domain throws. It says what went wrong in a neutral sentence (no CLI flag, no
 * command, no button) and carries a machine-readable `reason` with the `facts` of the case, so each
 * transport can word the remedy in its own terms: the CLI names its flags, the window its buttons,
 * MCP its tool arguments (src/cli/remedies.ts, renderer/src/api/remedies.ts, src/mcp/remedies.ts).
 */

/**
 * The category a transport maps to a status (HTTP 4xx/5xx, CLI exit code, MCP tool error). A union
 * so new kinds of trouble (disk full, read-only ledger, …) are one line here and one in each map.
 */
export type ErrorCode =
  | 'invalid_input' // the caller's input is wrong: fix it and retry
  | 'not_found' // the thing named does not exist
  | 'conflict' // the input contradicts what is stored (e.g. a lower odometer reading)
  | 'unavailable' // a dependency is missing: keychain locked, provider unreachable
  | 'unauthorized' // a provider (or the transport) refused the caller
  | 'internal'; // a bug: the message says so

/**
 * A fact is plain data, so it crosses every transport as JSON unchanged. By convention the fact
 * `field` names the input field the error is about (a contract input name such as 'amount'), so a
 * form can show the sentence at that field; a schema refusal names its fields in `fields` instead.
 */
export type FactValue = string | number | boolean | null | readonly string[];
export type ErrorFacts = Readonly<Record<string, FactValue>>;

export class BurnrateError extends Error {
  override name = 'BurnrateError';
  constructor(
    readonly code: ErrorCode,
    /** A stable key such as 'reading_lower_than_previous'; transports look their remedy up by it. */
    readonly reason: string,
    message: string,
    readonly facts: ErrorFacts = {},
  ) {
    super(message);
  }
}

export const invalidInput = (reason: string, message: string, facts?: ErrorFacts) => new BurnrateError('invalid_input', reason, message, facts);
export const notFound = (reason: string, message: string, facts?: ErrorFacts) => new BurnrateError('not_found', reason, message, facts);
export const conflict = (reason: string, message: string, facts?: ErrorFacts) => new BurnrateError('conflict', reason, message, facts);
export const unavailable = (reason: string, message: string, facts?: ErrorFacts) => new BurnrateError('unavailable', reason, message, facts);

/** Drop undefined facts (optional fields) so the object stays plain JSON. */
export function factsOf(facts: Record<string, FactValue | undefined>): ErrorFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as ErrorFacts;
}

/**
 * A transport's remedy for one reason, worded from the facts in its own terms (or nothing, when the
 * neutral sentence already says all). One table per transport, keyed by reason.
 */
export type Remedy = (facts: ErrorFacts) => string | undefined;
export type Remedies = Readonly<Record<string, Remedy>>;

/**
 * The neutral sentence followed by the transport's remedy. A remedy that starts in lower case
 * continues the sentence ("…after it ends (x); give --from before --to."); one in upper case follows it.
 */
export function withRemedy(error: { message: string; reason: string; facts: ErrorFacts }, remedies: Remedies): string {
  const remedy = Object.hasOwn(remedies, error.reason) ? remedies[error.reason]!(error.facts) : undefined;
  if (!remedy) return error.message;
  const continues = /^[a-z]/.test(remedy) && error.message.endsWith('.');
  return continues ? `${error.message.slice(0, -1)}; ${remedy}` : `${error.message} ${remedy}`;
}

/** A fact as text for a sentence ('' when absent). */
export function fact(facts: ErrorFacts, key: string): string {
  const v = facts[key];
  return v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v);
}
