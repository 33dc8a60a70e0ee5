/**
 * What Burnrate knows about each provider it names: display name, default tracking mode and
 * whether a billing API exists (../shared/providers.md §1).
 */
export type TrackingMode = 'api' | 'odometer' | 'balance' | 'subscription' | 'manual';

export interface ProviderInfo {
  slug: string;
  name: string;
  defaultMode: TrackingMode;
  /** Has an official billing API Burnrate can sync. */
  syncable: boolean;
}

export const PROVIDERS: readonly ProviderInfo[] = [
  { slug: 'openai', name: 'OpenAI', defaultMode: 'api', syncable: true },
  { slug: 'anthropic', name: 'Anthropic', defaultMode: 'api', syncable: true },
  { slug: 'openrouter', name: 'OpenRouter', defaultMode: 'api', syncable: true },
  { slug: 'deepseek', name: 'DeepSeek', defaultMode: 'balance', syncable: true },
  { slug: 'xai', name: 'xAI', defaultMode: 'api', syncable: true },
  { slug: 'groq', name: 'Groq', defaultMode: 'odometer', syncable: false },
  { slug: 'perplexity', name: 'Perplexity', defaultMode: 'odometer', syncable: false },
  { slug: 'gemini', name: 'Google Gemini', defaultMode: 'odometer', syncable: false },
  { slug: 'mistral', name: 'Mistral', defaultMode: 'odometer', syncable: false },
];

export function providerInfo(slug: string): ProviderInfo | undefined {
  return PROVIDERS.find((p) => p.slug === slug);
}

/** Names of providers seen in usage but without a billing client here: written as the window writes them. */
const OTHER_NAMES: Record<string, string> = { google: 'Google', together: 'Together', fireworks: 'Fireworks', cohere: 'Cohere' };

/** The name people read: the catalogue's, a known one, else the slug capitalised (renderer providerName does the same). */
export function displayName(slug: string): string {
  return providerInfo(slug)?.name ?? OTHER_NAMES[slug] ?? (slug ? slug[0]!.toUpperCase() + slug.slice(1) : slug);
}

/** Mode of a provider: the configured one, else its default, else manual. */
export function defaultModeOf(slug: string): TrackingMode {
  return providerInfo(slug)?.defaultMode ?? 'manual';
}
