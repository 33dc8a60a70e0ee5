import type { ReadingAddResult } from '../../../src/api/contract/odometer';
import { formatMoney, subUsd, sumUsd, toNano } from '../format/money';
import { monthName } from '../format/time';

/** The money fields of the window's forms: each says what is wrong in words of its own field. */
export type AmountField = 'reading' | 'final' | 'topup' | 'cost' | 'fee' | 'price';

/** Per field: what to type when it is empty or negative, and an example amount. */
const AMOUNT_WORDS: Record<AmountField, { empty: string; negative: string; example: string }> = {
  reading: { empty: 'Enter the figure the console shows, such as 1.42.', negative: 'A reading is never negative: enter the figure as the console shows it.', example: '1.42' },
  final: { empty: "Enter the month's total as the console shows it, such as 12.40.", negative: "A final figure is never negative: enter the month's total as the console shows it.", example: '12.40' },
  topup: { empty: 'Enter the amount you added, such as 20.00.', negative: 'A top-up is a positive amount in USD, like 20 or 20.50.', example: '20.50' },
  cost: { empty: 'Enter what it cost, such as 0.42.', negative: 'A cost is a positive amount in USD, like 0.42.', example: '0.42' },
  fee: { empty: 'Enter the monthly fee, such as 20.00.', negative: 'A monthly fee is a positive amount in USD, like 20 or 20.50.', example: '20.50' },
  price: { empty: 'Enter the price per million tokens, such as 1.25.', negative: 'A price is a positive amount in USD per million tokens, like 1.25.', example: '1.25' },
};

/**
 * Check what the user typed in a money field (a console figure by default). Returns the amount to
 * send (commas and "$" removed) or the sentence, in the field's own words, that says what to type.
 */
export function validateAmount(raw: string, field: AmountField = 'reading'): { amount: string } | { error: string } {
  const words = AMOUNT_WORDS[field];
  const text = raw.trim().replace(/^\$\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (text === '') return { error: words.empty };
  if (text.startsWith('-')) return { error: words.negative };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return { error: `Enter an amount in US dollars such as ${words.example} (digits and one decimal point).` };
  const decimals = text.split('.')[1]?.length ?? 0;
  if (decimals > 9) return { error: 'Use at most 9 decimal places.' };
  if (toNano(text) > 100_000_000n * 1_000_000_000n) return { error: 'That is more than $100,000,000: check the figure.' };
  return { amount: text };
}

/**
 * One line that says what the reading changed, from readingAdd's result:
 * odometer "Groq November: $1.06 → $1.42", balance "OpenRouter balance: $20.00 → $18.50 (spent $1.50)".
 */
export function describeReading(result: ReadingAddResult, name: string): string {
  const { reading } = result;
  const now = reading.amountUsd;
  if (result.mode === 'odometer') {
    const month = monthName(result.month?.month ?? reading.billingMonth);
    const before = result.replaced ? result.replaced.amountUsd : reading.spendUsd !== null ? subUsd(now, reading.spendUsd) : '0';
    let line = `${name} ${month}: ${formatMoney(before)} → ${formatMoney(now)}`;
    if (result.month && result.month.totalUsd !== now && toNano(result.month.totalUsd) !== toNano(now)) {
      line += ` (the month stands at ${formatMoney(result.month.totalUsd)})`;
    }
    if (result.closedMonth) line += `; ${monthName(result.closedMonth.month)} closed at ${formatMoney(result.closedMonth.totalUsd)}`;
    return line;
  }
  if (result.replaced) return `${name} balance: ${formatMoney(result.replaced.amountUsd)} → ${formatMoney(now)} (corrected)`;
  if (reading.spendUsd !== null && toNano(reading.spendUsd) > 0n) {
    return `${name} balance: ${formatMoney(sumUsd([now, reading.spendUsd]))} → ${formatMoney(now)} (spent ${formatMoney(reading.spendUsd)})`;
  }
  if (reading.inferredTopupUsd !== null && toNano(reading.inferredTopupUsd) > 0n) {
    return `${name} balance: ${formatMoney(subUsd(now, reading.inferredTopupUsd))} → ${formatMoney(now)} (a top-up of ${formatMoney(reading.inferredTopupUsd)} assumed)`;
  }
  if (reading.spendUsd !== null) return `${name} balance: ${formatMoney(now)}, unchanged`;
  return `${name} balance: ${formatMoney(now)} (first reading)`;
}
