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

/** What providerChoices reads of each provider the core lists (a `providers` answer's rows). */
export interface ProviderChoiceSource {
  provider: string;
  mode: string;
  defaultMode: string;
  configured: boolean;
}

/**
 * The providers a form offers to file something under (a price, a subscription's fee), by name: the
 * core's own list (the `providers` method: its catalogue, the ones you configured, the ones with
 * readings), so every picker offers the same ones and a provider the core learns of shows in each.
 * Left out: a subscription filed under its own name ("chatgpt-plus", which the core keeps as a
 * provider in subscription mode with no catalogue default): it names a fee, not a provider. With
 * `own` (those slugs, once the subscriptions are read) a provider a subscription was filed under by
 * a typed name (qwen) stays offered, though the core keeps it the same way.
 */
export function providerChoices(list: readonly ProviderChoiceSource[], names?: ReadonlyMap<string, string>, own?: ReadonlyMap<string, string>): { provider: string; name: string }[] {
  return list
    .filter((p) => !(p.configured && p.mode === 'subscription' && p.defaultMode === 'manual' && (own?.has(p.provider) ?? true)))
    .map((p) => ({ provider: p.provider, name: providerName(p.provider, names) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

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

// One colour per provider, shared with the month report the core draws (src/model/provider-colors.ts).
export { EXTRA_COLORS, providerColor } from '../../../src/model/provider-colors';
