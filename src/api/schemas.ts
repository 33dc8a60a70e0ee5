import { builtOnce, z } from '../model/zod';
import { amountText } from '../amount-text';
import { MoneyError } from '../money';
import { assertDate, assertInstantText, assertMonth, FIRST_DATE, LAST_DATE, TimeError } from '../time';

/**
 * Shared input pieces, so every method validates money, dates and names the same way. Each is built
 * on first use (src/model/zod.ts): loading this module does not load zod. Call one
 * (`usdAmount()`) for the schema; each call answers the same schema.
 */

/**
 * A USD amount as text or a JSON number, zero or more, in the one grammar of src/amount-text.ts
 * (plain decimal, at most 9 decimals, no exponent in text); parsed exactly later, never via a float.
 */
export const usdAmount = builtOnce(() =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    let text: string;
    try {
      text = amountText(v);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      text = '-';
    }
    if (!/^\$?\d|^\$?\./.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'must be an amount in US dollars such as 1.06, zero or more, with at most 9 decimals and no exponent' });
      return z.NEVER;
    }
    return text;
  }),
);

export const providerSlug = builtOnce(() =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'must be a provider name such as openai, groq or deepseek (letters, digits, - . _)'),
);

const RANGE = `from ${FIRST_DATE} to ${LAST_DATE}`;

/** True when `check` accepts the text: the schemas share src/time.ts's one parser and its range. */
function passes(check: (text: string) => unknown): (text: string) => boolean {
  return (text) => {
    try {
      check(text);
      return true;
    } catch (error) {
      if (error instanceof TimeError) return false;
      throw error;
    }
  };
}

export const isoInstant = builtOnce(() =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date or date-time such as 2026-11-28T18:00:00Z')
    .refine(passes(assertInstantText), `must be a real date and time ${RANGE}, such as 2026-11-28T18:00:00Z`),
);

export const isoDate = builtOnce(() =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-28')
    .refine(passes(assertDate), `must be a real calendar date ${RANGE}, such as 2026-11-28`),
);

export const isoMonth = builtOnce(() =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-11')
    .refine(passes(assertMonth), `must be a month from ${FIRST_DATE.slice(0, 7)} to ${LAST_DATE.slice(0, 7)}, such as 2026-11`),
);

/**
 * A count of tokens: a JSON number, or digits (a query string's or the CLI's text). Nothing else is
 * read as one: zod's coercion took true as 1, [7] as 7, "0x10" as 16 and "", null or false as 0.
 */
export const tokenCount = builtOnce(() =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ message: 'must be a whole number of tokens' })
      .int('must be a whole number of tokens')
      .min(0, 'must be zero or more')
      .max(Number.MAX_SAFE_INTEGER, 'must be a whole number of tokens no larger than 9007199254740991'),
  ),
);

/**
 * Text without control characters (a terminal would obey an escape sequence when a name is
 * printed) and without a lone surrogate (half of a character: it cannot be stored as UTF-8).
 */
export function printableText() {
  return z
    .string()
    .regex(/^[^\p{Cc}]*$/u, 'must not hold control characters (such as line breaks or escape sequences)')
    .regex(/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/, 'must be whole characters (it holds half of one)');
}

export const empty = builtOnce(() => z.object({}).strict());

/**
 * The input of a method that takes no fields: an empty object, any field refused. A method given
 * this builder is marked (src/api/define.ts), so dispatch can accept the empty object itself
 * without loading zod; any other input still meets this schema and its sentence.
 */
export function noFields() {
  return z.object({}).strict();
}

/** Amounts in results: exact decimal strings in USD. */
export type { Usd } from '../model/views';
