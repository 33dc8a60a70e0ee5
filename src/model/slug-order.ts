/**
 * The order in which lists of providers are shown (status, budgets, runways): the order of
 * `String.prototype.localeCompare` under English (Unicode's root collation), which for the
 * characters of a provider slug is `_` `-` `.`, then digits, then letters.
 *
 * Computed here for those characters because the first localeCompare of a process builds ICU's
 * collator and its table of locales, which cost `burnrate status` more than all its queries. It also
 * keeps the order the same whatever the user's locale. Any other character falls back to
 * localeCompare, so no input is ever ordered differently from it under English.
 */
const SLUG_ORDER = '_-.0123456789abcdefghijklmnopqrstuvwxyz';

function rank(text: string, i: number): number {
  return SLUG_ORDER.indexOf(text[i]!);
}

export function compareSlugs(a: string, b: string): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const ra = rank(a, i);
    const rb = rank(b, i);
    if (ra < 0 || rb < 0) return a.localeCompare(b);
    if (ra !== rb) return ra - rb;
  }
  const longer = a.length > b.length ? a : b;
  for (let i = common; i < longer.length; i++) if (rank(longer, i) < 0) return a.localeCompare(b);
  return a.length - b.length;
}
