/*
 * Pure data and one function, no imports: the renderer (charts, legends, pace bars) and the core
 * (the month report's bars) draw each provider in the same colour. The one runtime module the
 * renderer may take from src/ (eslint.config.js).
 */

/**
 * One colour per provider, the same in every chart, legend and bar: keyed by the provider, never by
 * its place in a chart (a doughnut sorted by size and bars sorted by name would disagree). The known
 * providers have fixed, well-separated hues (no two blues, no two purples); others (subscriptions,
 * providers recorded by hand) take the free colours in the order of their names.
 */
const FIXED: Record<string, string> = {
  openai: '#10a37f', // green
  anthropic: '#d97757', // clay
  groq: '#e11d48', // rose
  deepseek: '#2563eb', // blue
  openrouter: '#7c3aed', // violet
  xai: '#64748b', // slate
  perplexity: '#0891b2', // cyan
  gemini: '#ca8a04', // mustard
  google: '#ca8a04',
  mistral: '#65a30d', // lime (pink sat too close to Groq's rose)
};
export const EXTRA_COLORS = ['#c026d3', '#92400e', '#f97316', '#4338ca', '#0f766e', '#a3a3a3'] as const;

/**
 * The colour of `slug`. `others` are every provider that can appear beside it (the status's
 * providers): unknown ones get the free colours by sorted name, so a chart showing only some of
 * them still uses each one's colour. Past the free colours, a hash of the name picks one.
 */
export function providerColor(slug: string, others: readonly string[] = []): string {
  const fixed = FIXED[slug];
  if (fixed) return fixed;
  const unknown = [...new Set([...others, slug])].filter((s) => !FIXED[s]).sort();
  const index = unknown.indexOf(slug);
  if (index < EXTRA_COLORS.length) return EXTRA_COLORS[index]!;
  let hash = 0;
  for (const ch of slug) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return EXTRA_COLORS[hash % EXTRA_COLORS.length]!;
}
