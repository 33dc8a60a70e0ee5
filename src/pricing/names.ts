/**
 * Model-name rules: how a name a user, a provider API or a router writes maps onto a catalogue id.
 * Every rule here is exact (a known prefix, a full date, Anthropic's dotted versions); none matches
 * by similarity, so gpt-4o never finds gpt-4o-mini.
 */

/** Providers with bundled prices. */
export const CATALOGUE_PROVIDERS = ['openai', 'anthropic', 'groq', 'perplexity', 'deepseek', 'xai', 'mistral', 'gemini'] as const;

/**
 * Providers that host other vendors' models under their own prices (Groq serves openai/gpt-oss-120b).
 * Their ids are found only when the request names that provider or its prefix, never by a bare
 * name under another provider.
 */
export const HOST_PROVIDERS: ReadonlySet<string> = new Set(['groq']);

/**
 * Leading path segments that name a provider: LiteLLM's route prefixes (groq/, xai/, gemini/,
 * mistral/, perplexity/), OpenRouter's vendor slugs (openai/, anthropic/, google/, x-ai/,
 * mistralai/, deepseek/) and the Gemini API's resource prefix (models/gemini-2.5-pro).
 */
export const PREFIX_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  groq: 'groq',
  xai: 'xai',
  'x-ai': 'xai',
  gemini: 'gemini',
  google: 'gemini',
  models: 'gemini',
  mistral: 'mistral',
  mistralai: 'mistral',
  perplexity: 'perplexity',
  deepseek: 'deepseek',
};

export function isCatalogueProvider(provider: string): boolean {
  return (CATALOGUE_PROVIDERS as readonly string[]).includes(provider);
}

/** Model names compare case-insensitively, without surrounding blanks. */
export function normalizeModel(raw: string): string {
  return raw.trim().toLowerCase();
}

/** "openai/gpt-4o" → { provider: 'openai', rest: 'gpt-4o' }; null when the first segment names no provider. */
export function providerPrefix(name: string): { segment: string; provider: string; rest: string } | null {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return null;
  const segment = name.slice(0, slash);
  const provider = PREFIX_PROVIDER[segment];
  return provider ? { segment, provider, rest: name.slice(slash + 1) } : null;
}

const DASHED_DATE = /^(.+)-(\d{4})-(\d{2})-(\d{2})$/; // OpenAI: gpt-4o-mini-2024-07-18
const COMPACT_DATE = /^(.+)-(\d{4})(\d{2})(\d{2})$/; // Anthropic: claude-sonnet-4-5-20250929

function plausibleDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  return y >= 2020 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/**
 * The family of a dated snapshot: the name without a full trailing date (YYYY-MM-DD or YYYYMMDD).
 * Shorter suffixes (-0905, -2411) are not dates we can tell from versions, so they never strip.
 */
export function familyOfSnapshot(name: string): string | null {
  for (const pattern of [DASHED_DATE, COMPACT_DATE]) {
    const m = pattern.exec(name);
    if (m && plausibleDate(m[2]!, m[3]!, m[4]!)) return m[1]!;
  }
  return null;
}

/** OpenRouter writes Anthropic versions with dots (claude-sonnet-4.5, claude-3.7-sonnet); Anthropic uses dashes. */
export function undottedClaude(name: string): string | null {
  if (!name.startsWith('claude-')) return null;
  const dashed = name.replace(/(\d)\.(\d)/g, '$1-$2');
  return dashed === name ? null : dashed;
}
