/** Names and labels for providers and sources, shared by the popover and the window. */

const KNOWN: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  groq: 'Groq',
  deepseek: 'DeepSeek',
  openrouter: 'OpenRouter',
  xai: 'xAI',
  google: 'Google',
  gemini: 'Gemini',
  mistral: 'Mistral',
  together: 'Together',
  fireworks: 'Fireworks',
  cohere: 'Cohere',
  perplexity: 'Perplexity',
};

/** The display name: the one the core gave (providers method), else a known one, else the slug capitalised. */
export function providerName(slug: string, names?: ReadonlyMap<string, string>): string {
  return names?.get(slug) ?? KNOWN[slug] ?? (slug ? slug[0]!.toUpperCase() + slug.slice(1) : slug);
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

/** Stable colours per provider for charts and legends (colour-blind friendly order). */
const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#db2777', '#ca8a04', '#4f46e5', '#059669', '#dc2626'];
const FIXED: Record<string, string> = { openai: '#10a37f', anthropic: '#d97757', groq: '#0ea5e9', deepseek: '#4d6bfe', openrouter: '#8b5cf6', xai: '#64748b' };

export function providerColor(slug: string, index: number): string {
  return FIXED[slug] ?? PALETTE[index % PALETTE.length]!;
}
