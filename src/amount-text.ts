import { MoneyError } from './money';

/**
 * The one grammar for amounts a person or a client types (CLI flags, HTTP bodies and queries, MCP
 * arguments): a plain decimal in US dollars, optionally with "$" and a minus sign, at most 9
 * decimals (nano-USD), no exponent. A JSON number is taken by its shortest round-trip decimal form
 * (what the client wrote for any figure of up to 15 significant digits: 1e-7 is "0.0000001"), so
 * `1e2` is refused as text but 100 and 1e2 as JSON numbers are the same amount. Domain code then
 * parses the text exactly with money.parseUsd; nothing goes through float arithmetic.
 */
const PLAIN_DECIMAL = /^\$?-?(\d+(\.\d*)?|\.\d+)$/;

/** The exact decimal text of a finite JSON number, without an exponent. */
export function decimalOfNumber(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyError(`The amount ${String(value)} is not a finite number.`);
  const shortest = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!m) return shortest;
  const [, sign, whole, frac = '', exp] = m;
  const digits = whole! + frac;
  const point = whole!.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Check an amount against the grammar and return its text (trimmed), ready for parseUsd. Throws a
 * MoneyError with one sentence that names `label` and shows how to write it.
 */
export function amountText(value: string | number, label = 'The amount'): string {
  const text = typeof value === 'number' ? decimalOfNumber(value) : value.trim();
  if (!PLAIN_DECIMAL.test(text)) {
    throw new MoneyError(`${label} "${text}" is not a number; write it like 1.06 (US dollars, a dot for decimals, no exponent).`);
  }
  const decimals = /\.(\d*)$/.exec(text)?.[1] ?? '';
  if (decimals.length > 9) throw new MoneyError(`${label} "${text}" has more decimal places than Burnrate keeps (9).`);
  return text;
}
