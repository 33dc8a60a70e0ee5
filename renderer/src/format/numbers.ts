/** Token counts and percentages for display. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 1234567 → "1.2M", 5300 → "5.3k". */
export function compactCount(n: number): string {
  if (n >= 1e9) return `${trim(n / 1e9)}B`;
  if (n >= 1e6) return `${trim(n / 1e6)}M`;
  if (n >= 1e4) return `${trim(n / 1e3)}k`;
  return n.toLocaleString('en-US');
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, '');
}

/** Basis points (100 bp = 1 %) → "+4.2 %". */
export function formatBp(bp: number | null | undefined, signed = false): string {
  if (bp === null || bp === undefined) return '—';
  const pct = bp / 100;
  const text = formatPct(pct);
  return signed && bp > 0 ? `+${text}` : text;
}

/**
 * A percentage by the one rule the server's messages use too (src/money.ts formatPercentForPeople):
 * rounded down, so 91.9 % of a cap reads "91%" (never more used than is); one decimal below 10 %.
 */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined) return '—';
  // Through basis points, as the server counts: 91.9 → 9190 bp.
  const bp = Math.floor(Math.abs(pct) * 100 + 1e-9);
  const text = bp >= 1000 ? Math.floor(bp / 100).toLocaleString('en-US') : `${Math.floor(bp / 100)}.${Math.floor((bp % 100) / 10)}`;
  return `${pct < 0 ? '-' : ''}${text}%`;
}
