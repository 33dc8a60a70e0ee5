import { isUsdString } from '../format/money';

/**
 * The checks a budget form makes before it sends (the same rules the core applies, src/budget/budgets.ts),
 * each answering with the sentence to show at the field, or undefined when the value is fine.
 */

/** A budget or cap as typed: "$20", "20.00"; the dollar sign is the user's, not part of the amount. */
export const typedUsd = (raw: string): string => raw.trim().replace(/^\$/, '');

/** An amount in US dollars, or empty when `optional` (none); `what` names it in the sentence. */
export function usdProblem(raw: string, what: string, optional: boolean): string | undefined {
  const text = typedUsd(raw);
  if (text === '') return optional ? undefined : `Enter the ${what} in US dollars, such as 20.00.`;
  return isUsdString(text) && !text.startsWith('-') ? undefined : `Enter the ${what} in US dollars such as 20.00${optional ? ', or leave it empty for none' : ''}.`;
}

/** The reserve: 0 to 100 with up to two decimals, "%" optional (src/budget/budgets.ts parseReservePct). */
export function reservePctProblem(raw: string): string | undefined {
  const text = raw.trim();
  return /^\d{1,3}(\.\d{1,2})?%?$/.test(text) && Number(text.replace(/%$/, '')) <= 100 ? undefined : 'Enter a percentage from 0 to 100, such as 20.';
}

/** "20%" → 20, as the view's reservePct is. */
export const reservePctOf = (raw: string): number => Number(raw.trim().replace(/%$/, ''));
