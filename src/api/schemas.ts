import { z } from 'zod';

/** Shared input pieces, so every method validates money, dates and names the same way. */

/** A USD amount as text or number, zero or more; parsed exactly later (never via float arithmetic). */
export const usdAmount = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^\$?(\d+(\.\d*)?|\.\d+)$/.test(v), { message: 'must be an amount in US dollars such as 1.06, zero or more' });

export const providerSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'must be a provider name such as openai, groq or deepseek (letters, digits, - . _)');

export const isoInstant = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date or date-time such as 2026-11-28T18:00:00Z');

export const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-28');

export const isoMonth = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-11');

export const tokenCount = z.coerce
  .number({ message: 'must be a whole number of tokens' })
  .int('must be a whole number of tokens')
  .min(0, 'must be zero or more')
  .max(Number.MAX_SAFE_INTEGER);

export const empty = z.object({}).strict();

/** Amounts in results: exact decimal strings in USD. */
export type { Usd } from '../model/views';
