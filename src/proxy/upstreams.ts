import { baseUrlEnvName, INSECURE_BASE_URL_ENV, isLoopbackHost } from '../providers/registry';

/**
 * Where each route of the proxy goes. A request to /<provider><rest> is sent to <base><rest>, the
 * rest unchanged (so /openai/v1/chat/completions → https://api.openai.com/v1/chat/completions).
 * `BURNRATE_<PROVIDER>_BASE_URL` points a provider elsewhere, as it does for the billing sync; it is
 * given without the version path the client adds (/v1, or /api for OpenRouter, whose clients send
 * /api/v1/... under https://openrouter.ai).
 */
export type WireFormat = 'openai' | 'anthropic';

export interface Upstream {
  provider: string;
  format: WireFormat;
  defaultBase: string;
}

export const UPSTREAMS: readonly Upstream[] = [
  { provider: 'openai', format: 'openai', defaultBase: 'https://api.openai.com' },
  { provider: 'anthropic', format: 'anthropic', defaultBase: 'https://api.anthropic.com' },
  { provider: 'groq', format: 'openai', defaultBase: 'https://api.groq.com/openai' },
  // Perplexity serves /chat/completions without a version path: its clients use .../perplexity as base URL.
  { provider: 'perplexity', format: 'openai', defaultBase: 'https://api.perplexity.ai' },
  { provider: 'openrouter', format: 'openai', defaultBase: 'https://openrouter.ai/api' },
  { provider: 'deepseek', format: 'openai', defaultBase: 'https://api.deepseek.com' },
  { provider: 'xai', format: 'openai', defaultBase: 'https://api.x.ai' },
  { provider: 'mistral', format: 'openai', defaultBase: 'https://api.mistral.ai' },
];

/** Whether the proxy has a route to `provider`: only then can a budget's policy refuse its requests. */
export function hasProxyRoute(provider: string): boolean {
  return UPSTREAMS.some((u) => u.provider === provider);
}

export interface ResolvedUpstream extends Upstream {
  /** Parsed base: origin plus path prefix without a trailing slash. */
  base: URL;
}

/** A configuration problem of one upstream, named in one sentence. */
export class UpstreamConfigError extends Error {
  override name = 'UpstreamConfigError';
}

/** Resolve every upstream once at start: a bad override stops the proxy with a sentence, not the first request. */
export function resolveUpstreams(env: Readonly<Record<string, string | undefined>>): Map<string, ResolvedUpstream> {
  const out = new Map<string, ResolvedUpstream>();
  for (const u of UPSTREAMS) {
    const name = baseUrlEnvName(u.provider);
    const raw = env[name]?.trim();
    let base: URL;
    try {
      base = new URL(raw || u.defaultBase);
    } catch {
      throw new UpstreamConfigError(`${name} is not a URL ("${raw}"); give one like http://127.0.0.1:5001 (without /v1).`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UpstreamConfigError(`${name} must be an http:// or https:// URL.`);
    if (base.protocol === 'http:' && !isLoopbackHost(base.hostname) && env[INSECURE_BASE_URL_ENV] !== '1') {
      throw new UpstreamConfigError(`${name} must be an https:// URL (plain http:// only to this machine), so keys never cross the network in clear.`);
    }
    if (raw) {
      // As for the billing clients: a copied base URL ending in the version path the client adds is tolerated.
      const path = base.pathname.replace(/\/+$/, '');
      // OpenRouter's API lives under /api on its host, for the billing client and here alike.
      base.pathname = u.provider === 'openrouter' ? `${path.replace(/(\/api)?(\/v1)?$/, '')}/api` : path.replace(/\/v1$/, '');
    }
    base.pathname = base.pathname.replace(/\/+$/, '');
    out.set(u.provider, { ...u, base });
  }
  return out;
}

/** Split /<provider>/rest?query into the provider and the rest (with its query); null when no route. */
export function splitRoute(target: string): { provider: string; rest: string } | null {
  const m = /^\/([a-z]+)(\/[^]*)?$/.exec(target);
  if (!m) return null;
  let rest = m[2] ?? '/';
  if (rest.startsWith('/?')) rest = rest.slice(1);
  return { provider: m[1]!, rest };
}

/** The upstream URL path for a route's rest: base path + rest. */
export function upstreamPath(u: ResolvedUpstream, rest: string): string {
  const prefix = u.base.pathname === '/' ? '' : u.base.pathname;
  return prefix + (rest.startsWith('/') ? rest : `/${rest}`);
}
