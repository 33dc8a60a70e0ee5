import { divRoundHalfEven, parseUsd } from '../../src/money';

/**
 * An exact USD decimal string ("1.2345") as the tray shows it: "$1.23", rounded half to even on
 * the cent, with thousands separators; "<$0.01" for a positive amount under half a cent, so a
 * little spend never reads as none. Integer arithmetic only.
 */
export function displayUsd(usd: string): string {
  const nano = parseUsd(usd, { allowNegative: true });
  const cents = divRoundHalfEven(BigInt(nano), 10_000_000n);
  if (cents === 0n && nano > 0) return '<$0.01';
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}$${whole}.${frac}`;
}
