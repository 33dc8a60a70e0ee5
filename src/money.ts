/**
 * Exact USD amounts.
 *
 * Every amount Burnrate stores or sums is an integer number of nano-USD (1 USD = 1e9 nano).
 *
 * Two types, one rule each (docs/money.md):
 * - `Nano` (a JS number) is ONE amount: a record, an event's cost, a reading, a budget. It is only
 *   ever a *safe integer*, so at most Number.MAX_SAFE_INTEGER nano = $9,007,199.254740991; a single
 *   amount above that is refused with a MoneyError when it is parsed or computed.
 * - `NanoTotal` (a BigInt) is a SUM of amounts: a day, a month, a provider, the ledger. Totals are
 *   read from SQLite as 64-bit integers and added as BigInt, so they are exact at any size the
 *   ledger can hold. The ledger itself stays within int64 (LEDGER_CEILING_NANO, about $9.22
 *   billion): a write that would take its total past that is refused before it lands
 *   (src/ledger/ceiling.ts), so every SUM SQLite computes fits its integers.
 *
 * Products that can exceed 2^53 (tokens × price) are computed in BigInt and rounded once.
 *
 * Rounding rules (docs/money.md repeats them):
 * - Converting a finer amount to nano (prices × tokens, xAI ticks, provider figures with more than 9
 *   decimals) rounds half to even, once, at the end.
 * - Percentages of a budget are computed in basis points (1 bp = 0.01 %) and round half to even.
 * - Splitting an amount over days uses the largest-remainder method, so the parts always add up to
 *   the whole exactly.
 * - Text in JSON and CSV is the exact decimal string (never rounded); only the UI rounds for display.
 */

export type Nano = number;

/** A sum of amounts, in nano-USD: exact at any size (see the header). */
export type NanoTotal = bigint;

/** The most the ledger holds, counted by size: SQLite's largest integer (int64) in nano-USD, $9,223,372,036.854775807. */
export const LEDGER_CEILING_NANO: NanoTotal = 2n ** 63n - 1n;

export const NANO_PER_USD = 1_000_000_000;
const NANO_DIGITS = 9;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** The refusal of one amount past the exact range of a single amount (not of a total: totals are BigInt). */
function outOfRange(what: string): MoneyError {
  return new MoneyError(`${what} is larger than the largest single amount Burnrate keeps exactly ($9,007,199.25; totals can be far larger), so it was refused rather than rounded.`);
}

function assertSafe(value: number, what: string): Nano {
  if (!Number.isSafeInteger(value)) throw outOfRange(what);
  return value;
}

function bigToNano(value: bigint, what: string): Nano {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) throw outOfRange(what);
  return Number(value);
}

/** Divide two BigInts, rounding half to even. */
export function divRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MoneyError('Division by zero.');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  const twiceRemainder = (abs % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$|^([+-])?\.(\d+)$/;

export interface ParseOptions {
  /** Allow a leading minus sign (refunds, corrections). Default false. */
  allowNegative?: boolean;
  /** What to do with digits beyond the 9th decimal: refuse (default) or round half to even. */
  excessPrecision?: 'error' | 'round';
  /** How the value is named in error messages, e.g. "the cost". */
  label?: string;
}

/**
 * Parse a decimal string in some unit into nano-USD. `scaleDigits` says how many decimal digits the
 * unit sits below 1 USD... negative means finer: cents are 2 (1 cent = 1e-2 USD).
 */
function parseScaled(text: string, unitExponent: number, options: ParseOptions): Nano {
  return bigToNano(parseScaledTotal(text, unitExponent, options), options.label ?? 'the amount');
}

/** parseScaled without the single-amount limit: the exact value as a BigInt. */
function parseScaledTotal(text: string, unitExponent: number, options: ParseOptions): NanoTotal {
  const label = options.label ?? 'the amount';
  const trimmed = text.trim().replace(/^\$/, '');
  let sign = '';
  let intPart = '';
  let fracPart = '';
  const exp = /^([+-]?[\d.]+)[eE]([+-]?\d+)$/.exec(trimmed);
  let exponent = 0;
  let body = trimmed;
  if (exp) {
    body = exp[1] ?? '';
    exponent = Number(exp[2]);
  }
  const match = DECIMAL.exec(body);
  if (!match || trimmed === '') {
    throw new MoneyError(`${label} "${text}" is not a number; write it like 1.06 (US dollars, a dot for decimals).`);
  }
  if (match[2] !== undefined) {
    sign = match[1] ?? '';
    intPart = match[2];
    fracPart = match[3] ?? '';
  } else {
    sign = match[4] ?? '';
    intPart = '0';
    fracPart = match[5] ?? '';
  }
  // value = sign * (intPart.fracPart) * 10^(exponent) * 10^(-unitExponent) USD
  const digits = BigInt(intPart + fracPart);
  // power of ten to multiply `digits` by to get nano
  const shift = NANO_DIGITS + exponent - unitExponent - fracPart.length;
  let nano: bigint;
  if (shift >= 0) {
    nano = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n && (options.excessPrecision ?? 'error') === 'error') {
      throw new MoneyError(`${label} "${text}" has more decimal places than Burnrate keeps (9).`);
    }
    nano = divRoundHalfEven(digits, divisor);
  }
  if (sign === '-') {
    if (!options.allowNegative && nano !== 0n) {
      throw new MoneyError(`${label} "${text}" is negative; it must be zero or more.`);
    }
    nano = -nano;
  }
  return nano;
}

/** "1.06" → 1_060_000_000. Accepts an optional leading "$". */
export function parseUsd(text: string, options: ParseOptions = {}): Nano {
  return parseScaled(text, 0, options);
}

/** A total written as decimal USD (a figure Burnrate printed, read back for display): exact at any size. */
export function parseUsdTotal(text: string, options: ParseOptions = {}): NanoTotal {
  return parseScaledTotal(text, 0, options);
}

/** Anthropic's cost report: a decimal string in cents. "1287.504" → $12.87504. */
export function parseCents(text: string, options: ParseOptions = {}): Nano {
  return parseScaled(text, 2, { excessPrecision: 'round', ...options });
}

/**
 * A JSON number in USD from a provider (OpenAI, OpenRouter). The number is turned into its shortest
 * round-trip decimal text first, which is exactly what the provider wrote in its JSON for any
 * figure with at most 15–17 significant digits, and then parsed exactly; no float arithmetic.
 */
export function usdFromJsonNumber(value: number, options: ParseOptions = {}): Nano {
  if (!Number.isFinite(value)) {
    throw new MoneyError(`${options.label ?? 'the amount'} is not a finite number.`);
  }
  return parseScaled(String(value), 0, { excessPrecision: 'round', allowNegative: true, ...options });
}

/** xAI's cost_in_usd_ticks: 1 USD = 1e10 ticks. */
export function nanoFromTicks(ticks: bigint | number | string): Nano {
  return bigToNano(divRoundHalfEven(BigInt(ticks), 10n), 'the tick amount');
}

export function nanoFromCentsInteger(cents: bigint | number | string): Nano {
  return bigToNano(BigInt(cents) * 10_000_000n, 'the cent amount');
}

/**
 * Exact decimal text in USD: at least two decimals, more only when needed, never a float.
 * 1_060_000_000 → "1.06"; 75_000 → "0.000075"; -500_000_000 → "-0.50".
 */
export function formatUsd(nano: Nano | NanoTotal): string {
  if (typeof nano === 'number') assertSafe(nano, 'the amount');
  const big = BigInt(nano);
  const negative = big < 0n;
  const abs = negative ? -big : big;
  const whole = abs / BigInt(NANO_PER_USD);
  let frac = (abs % BigInt(NANO_PER_USD)).toString().padStart(NANO_DIGITS, '0');
  frac = frac.replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${frac}`;
}

/**
 * An amount for a sentence people read ("$1.81", "$0.000075"): cents, rounded half to even, for a
 * cent or more; the exact figure below a cent so tiny spend never reads as $0.00. Only for message
 * text: JSON and CSV carry formatUsd's exact figure.
 */
export function formatUsdForPeople(nano: Nano | NanoTotal): string {
  const big = BigInt(nano);
  const negative = big < 0n;
  const abs = negative ? -big : big;
  const text = abs === 0n || abs >= 10_000_000n ? formatUsd(divRoundHalfEven(abs, 10_000_000n) * 10_000_000n) : formatUsd(abs);
  return `${negative ? '-' : ''}$${groupThousands(text)}`;
}

/** The exact figure for a sentence (readings: every digit matters): "$12,414.153", "-$0.40". */
export function formatUsdExactForPeople(nano: Nano | NanoTotal): string {
  const text = formatUsd(nano);
  return text.startsWith('-') ? `-$${groupThousands(text.slice(1))}` : `$${groupThousands(text)}`;
}

/** "12414.15" → "12,414.15": thousands grouped, as the window shows them, never "$12414.15" beside it. */
function groupThousands(decimal: string): string {
  return decimal.replace(/^\d+/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

/**
 * A share in basis points for a sentence people read, by the one rule the window uses too: rounded
 * down (91.9 % of a cap is "91%": never more used than is), whole percent from 10 %, one decimal below.
 */
export function formatPercentForPeople(bp: number): string {
  const negative = bp < 0;
  const abs = Math.floor(Math.abs(bp));
  // Whole percents from 10 % up, grouped by thousands ("35,369%"); one decimal below.
  const text = abs >= 1000 ? Math.floor(abs / 100).toLocaleString('en-US') : `${Math.floor(abs / 100)}.${Math.floor((abs % 100) / 10)}`;
  return `${negative ? '-' : ''}${text}%`;
}

/** Format or null, for optional amounts in JSON. */
export function formatUsdOrNull(nano: Nano | NanoTotal | null | undefined): string | null {
  return nano === null || nano === undefined ? null : formatUsd(nano);
}

export function addNano(a: Nano, b: Nano): Nano {
  return assertSafe(a + b, 'the sum');
}

export function subNano(a: Nano, b: Nano): Nano {
  return assertSafe(a - b, 'the difference');
}

export function sumNano(values: Iterable<Nano>): Nano {
  let total = 0;
  for (const value of values) total = addNano(total, value);
  return total;
}

// ---- totals (BigInt): sums never overflow and never round ----------------------------------------

/** An amount or a total as a total. A number must be a safe integer (an exact amount). */
export function toTotal(value: Nano | NanoTotal): NanoTotal {
  return typeof value === 'bigint' ? value : BigInt(assertSafe(value, 'the amount'));
}

export function addTotal(a: Nano | NanoTotal, b: Nano | NanoTotal): NanoTotal {
  return toTotal(a) + toTotal(b);
}

export function subTotal(a: Nano | NanoTotal, b: Nano | NanoTotal): NanoTotal {
  return toTotal(a) - toTotal(b);
}

export function sumTotal(values: Iterable<Nano | NanoTotal>): NanoTotal {
  let total = 0n;
  for (const value of values) total += toTotal(value);
  return total;
}

/** total × numerator / denominator, rounded half to even, as a total. */
export function mulDivTotal(amount: Nano | NanoTotal, numerator: number | bigint, denominator: number | bigint): NanoTotal {
  return divRoundHalfEven(toTotal(amount) * BigInt(numerator), BigInt(denominator));
}

/** Sort order of two totals: negative when a < b, as a comparator for Array.sort. */
export function compareTotals(a: NanoTotal, b: NanoTotal): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** |value| of a total. */
export function absTotal(value: NanoTotal): NanoTotal {
  return value < 0n ? -value : value;
}

/** The larger of two totals (Math.max for BigInt). */
export function maxTotal(a: NanoTotal, b: NanoTotal): NanoTotal {
  return a > b ? a : b;
}

/**
 * A total back as one amount, where something needs a single amount (a split over days, a figure
 * stored per row): refused with a MoneyError when the total is past a single amount's exact range.
 */
export function nanoOfTotal(total: NanoTotal, what = 'the total'): Nano {
  return bigToNano(total, what);
}

/** amount × numerator / denominator, rounded half to even. */
export function mulDiv(amount: Nano, numerator: number | bigint, denominator: number | bigint): Nano {
  return bigToNano(divRoundHalfEven(BigInt(amount) * BigInt(numerator), BigInt(denominator)), 'the amount');
}

/** A share of an amount given in basis points (10000 bp = 100 %). */
export function percentOfBp(amount: Nano, basisPoints: number): Nano {
  return mulDiv(amount, basisPoints, 10_000);
}

/** part / whole in basis points, rounded half to even; null when whole is zero. Exact for totals too. */
export function ratioBp(part: Nano | NanoTotal, whole: Nano | NanoTotal): number | null {
  if (BigInt(whole) === 0n) return null;
  return Number(divRoundHalfEven(BigInt(part) * 10_000n, BigInt(whole)));
}

/**
 * Cost of `tokens` at a price given in nano-USD per million tokens (an integer: $0.0375/MTok is
 * 37_500_000). Computed in BigInt, rounded half to even once.
 */
export function costOfTokens(tokens: number, pricePerMillionNano: number): Nano {
  if (!Number.isSafeInteger(tokens) || tokens < 0) throw new MoneyError('Token counts must be whole numbers, zero or more.');
  if (tokens === 0 || pricePerMillionNano === 0) return 0;
  const product = tokens * pricePerMillionNano;
  if (Number.isSafeInteger(product) && Number.isSafeInteger(pricePerMillionNano)) {
    // Fast path, still exact: an integer product below 2^53 is represented exactly, and so are
    // its quotient and remainder by 1e6.
    const quotient = Math.floor(product / 1_000_000);
    const twiceRemainder = (product - quotient * 1_000_000) * 2;
    const roundUp = twiceRemainder > 1_000_000 || (twiceRemainder === 1_000_000 && quotient % 2 === 1);
    return roundUp ? quotient + 1 : quotient;
  }
  return bigToNano(divRoundHalfEven(BigInt(tokens) * BigInt(pricePerMillionNano), 1_000_000n), 'the cost');
}

/**
 * Split `total` into parts proportional to `weights` (non-negative integers) with the
 * largest-remainder method: the parts are integers and add up to `total` exactly.
 */
export function allocate(total: Nano, weights: readonly number[]): Nano[] {
  return allocateTotal(BigInt(assertSafe(total, 'the amount')), weights).map((p) => bigToNano(p, 'a part'));
}

/** allocate for totals: the parts of a BigInt total, adding up to it exactly. */
export function allocateTotal(total: NanoTotal, weights: readonly number[]): NanoTotal[] {
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (weightSum === 0) {
    return allocateTotal(total, weights.map(() => 1));
  }
  const bigTotal = total;
  const bigSum = BigInt(weightSum);
  const parts = weights.map((w) => (bigTotal * BigInt(w)) / bigSum);
  const remainders = weights.map((w, i) => ({ i, r: (bigTotal * BigInt(w)) % bigSum }));
  let left = bigTotal - parts.reduce((a, b) => a + b, 0n);
  const step = left >= 0n ? 1n : -1n;
  // Largest remainder first (for negative totals, the most negative remainder first); ties to the earliest.
  remainders.sort((a, b) => (step > 0n ? Number(b.r - a.r) : Number(a.r - b.r)) || a.i - b.i);
  for (let k = 0; left !== 0n; k = (k + 1) % remainders.length) {
    const idx = remainders[k]!.i;
    parts[idx] = parts[idx]! + step;
    left -= step;
  }
  return parts;
}

/** Price per million tokens given as a decimal USD string or number → integer nano per MTok. */
export function pricePerMillionFromUsd(value: string | number): number {
  const text = typeof value === 'number' ? String(value) : value;
  return parseScaled(text, 0, { label: 'the price', excessPrecision: 'error' });
}
