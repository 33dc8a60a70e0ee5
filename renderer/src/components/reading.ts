import type { ReadingAddResult } from '../../../src/api/contract/odometer';
import { formatMoney, subUsd, sumUsd, toNano } from '../format/money';
import { monthName } from '../format/time';

/**
 * Check what the user typed as a console figure. Returns the amount to send (commas and "$"
 * removed) or the sentence that says what to type instead.
 */
export function validateAmount(raw: string): { amount: string } | { error: string } {
  const text = raw.trim().replace(/^\$\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (text === '') return { error: 'Enter the figure the console shows, such as 1.42.' };
  if (text.startsWith('-')) return { error: 'A reading is never negative: enter the figure as the console shows it.' };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return { error: 'Enter an amount in US dollars such as 1.42 (digits and one decimal point).' };
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
