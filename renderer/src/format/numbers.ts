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
  const text = `${Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1)} %`;
  return signed && bp > 0 ? `+${text}` : text;
}

export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined) return '—';
  return `${pct >= 100 ? Math.round(pct) : pct.toFixed(pct < 10 ? 1 : 0)} %`;
}
