/** Names and labels for providers and sources, shared by the popover and the window. */

const KNOWN: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  groq: 'Groq',
  deepseek: 'DeepSeek',
  openrouter: 'OpenRouter',
  xai: 'xAI',
  google: 'Google',
  gemini: 'Google Gemini',
  mistral: 'Mistral',
  together: 'Together',
  fireworks: 'Fireworks',
  cohere: 'Cohere',
  perplexity: 'Perplexity',
};

/** A provider Burnrate names itself (not a subscription's own slug or one recorded by hand). */
export function isKnownProvider(slug: string): boolean {
  return Object.prototype.hasOwnProperty.call(KNOWN, slug);
}

/** The display name: the one the core gave (providers method), else a known one, else the slug capitalised. */
export function providerName(slug: string, names?: ReadonlyMap<string, string>): string {
  return names?.get(slug) ?? KNOWN[slug] ?? (slug ? slug[0]!.toUpperCase() + slug.slice(1) : slug);
}

/** A model of each known provider, for a model field's placeholder (a Groq model under OpenAI misleads). */
const EXAMPLE_MODEL: Record<string, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  groq: 'llama-3.3-70b-versatile',
  deepseek: 'deepseek-chat',
  openrouter: 'openai/gpt-4o-mini',
  xai: 'grok-3',
  google: 'gemini-2.0-flash',
  gemini: 'gemini-2.0-flash',
  mistral: 'mistral-small-latest',
  perplexity: 'sonar',
};

export function exampleModel(slug: string): string {
  return EXAMPLE_MODEL[slug] ?? 'model-name';
}

const SOURCE_LABEL: Record<string, string> = {
  billed: 'Billed',
  billing_api: 'Billed',
  api_usage: 'API usage',
  odometer: 'Odometer',
  balance: 'Balance',
  subscription: 'Subscription',
  estimate: 'Estimate',
  manual: 'Manual',
  proxy: 'Proxy',
  agent_log: 'Agent log',
  none: 'No data',
};

const SOURCE_HINT: Record<string, string> = {
  billed: "The provider's own billing figures",
  odometer: "Month-to-date figures you typed in from the provider's console",
  balance: 'Drops in a prepaid balance you typed in',
  subscription: 'A flat monthly fee',
  estimate: 'Counted from tokens and the price catalogue',
  none: 'Nothing recorded this month',
};

export function sourceLabel(source: string): string {
  return SOURCE_LABEL[source] ?? source;
}

export function sourceHint(source: string): string | undefined {
  return SOURCE_HINT[source];
}

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
  mistral: '#db2777', // pink
};
export const EXTRA_COLORS = ['#65a30d', '#92400e', '#f97316', '#4338ca', '#0f766e', '#a3a3a3'] as const;

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
