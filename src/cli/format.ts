import { loadedRuntime } from './context';

/** Human output helpers for the CLI (JSON output never goes through here: --json is exact). */

/** "$1.81" for an exact "1.81227907": cents at a glance (status), the exact figure below a cent. */
export function usdAtAGlance(text: string | null | undefined): string {
  if (text === null || text === undefined) return '—';
  const { formatUsdForPeople, parseUsdTotal } = loadedRuntime(); // runs after a command's action loaded it
  return formatUsdForPeople(parseUsdTotal(text, { allowNegative: true }));
}

/** The exact figure with a dollar sign (reconciliation, readings: where every digit matters). */
export function usd(text: string | null | undefined): string {
  if (text === null || text === undefined) return '—';
  const negative = text.startsWith('-');
  const abs = negative ? text.slice(1) : text;
  return `${negative ? '-' : ''}$${abs}`;
}

export function table(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => (rightAligned.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
