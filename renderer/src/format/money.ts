/**
 * Money arrives from the contract as exact decimal strings in USD ("1.06", "0.000075"). Here it is
 * shown, never computed with floats: sums and differences go through BigInt nano-USD
 * (1 USD = 10^9), the unit the core stores.
 */

const DECIMALS = 9;
const SCALE = 10n ** BigInt(DECIMALS);
const AMOUNT = /^\s*(-)?\$?(\d*)(?:\.(\d*))?\s*$/;

/** True for a plain decimal amount such as "1.06", "-0.40", "12", ".5". */
export function isUsdString(value: string): boolean {
  const m = AMOUNT.exec(value);
  return m !== null && ((m[2] ?? '') !== '' || (m[3] ?? '') !== '');
}

/** "1.06" → 1060000000n. Places past the ninth are rounded half away from zero. Throws on non-amounts. */
export function toNano(usd: string): bigint {
  const m = AMOUNT.exec(usd);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) throw new RangeError(`not an amount in USD: ${JSON.stringify(usd)}`);
  const whole = BigInt(m[2] || '0');
  const frac = m[3] ?? '';
  let fracNano = BigInt((frac.slice(0, DECIMALS) || '0').padEnd(DECIMALS, '0'));
  if (frac.length > DECIMALS && Number(frac[DECIMALS]) >= 5) fracNano += 1n;
  const n = whole * SCALE + fracNano;
  return m[1] ? -n : n;
}

/** 1060000000n → "1.06": at least two decimals, no trailing zeros beyond them. */
export function fromNano(nano: bigint): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = abs / SCALE;
  let frac = (abs % SCALE).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

export function sumUsd(values: readonly string[]): string {
  return fromNano(values.reduce((acc, v) => acc + toNano(v), 0n));
}

export function subUsd(a: string, b: string): string {
  return fromNano(toNano(a) - toNano(b));
}

/** Round |n| (nano) to whole cents, half to even (docs/money.md; the server's messages round the same way). */
function roundToCents(abs: bigint): bigint {
  const q = abs / CENT;
  const r = abs % CENT;
  const up = r * 2n > CENT || (r * 2n === CENT && q % 2n === 1n);
  return (up ? q + 1n : q) * CENT;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const CENT = SCALE / 100n;

/**
 * "1234.5" → "$1,234.50"; "0.000075" → "$0.000075"; "-0.4" → "-$0.40"; null → "—".
 * The one money format of Burnrate (src/money.ts formatUsdForPeople writes the server's messages
 * the same way): cents rounded half to even from a cent up, thousands grouped; below a cent the
 * exact figure, so a price of $0.000075 is never shown as $0.00. `exact`: every digit, for an
 * amount the user typed and is told back ("Saved: daily budget $6.005"), which rounding would misstate.
 */
export function formatMoney(usd: string | null | undefined, options: { signed?: boolean; exact?: boolean } = {}): string {
  if (usd === null || usd === undefined) return '—';
  if (!isUsdString(usd)) return usd;
  const n = toNano(usd);
  const negative = n < 0n;
  let abs = negative ? -n : n;
  let text: string;
  if (abs === 0n) {
    text = '0.00';
  } else {
    if (abs >= CENT && !options.exact) abs = roundToCents(abs);
    const whole = abs / SCALE;
    const frac = (abs % SCALE).toString().padStart(DECIMALS, '0').replace(/0+$/, '').padEnd(2, '0');
    text = `${groupThousands(whole.toString())}.${frac}`;
  }
  const sign = negative && abs !== 0n ? '-' : options.signed && abs !== 0n ? '+' : '';
  return `${sign}$${text}`;
}

/** spent / budget in percent (display only: bar widths and labels); null without a positive budget. */
export function percentOf(spent: string, budget: string | null | undefined): number | null {
  if (!budget || !isUsdString(budget) || !isUsdString(spent)) return null;
  const b = toNano(budget);
  if (b <= 0n) return null;
  // Basis points in BigInt, then one small number for the view.
  return Number((toNano(spent) * 10000n) / b) / 100;
}

/** For charts only: Chart.js plots numbers. Never used for sums or comparisons of money. */
export function toPlotNumber(usd: string | null | undefined): number {
  if (!usd || !isUsdString(usd)) return 0;
  return Number(toNano(usd)) / 1e9;
}

export function compareUsd(a: string, b: string): number {
  const d = toNano(a) - toNano(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
