/**
 * Which client syncs which provider, and where each one's API lives.
 *
 * Base URLs can be pointed elsewhere (tests, proxies) with BURNRATE_<PROVIDER>_BASE_URL, given
 * WITHOUT the version path: BURNRATE_OPENAI_BASE_URL=http://127.0.0.1:5001, and the client adds
 * /v1/organization/costs. A trailing version path the client would add itself (/v1, or /api/v1 for
 * OpenRouter) is tolerated and dropped, so a URL copied from a provider's docs still works.
 */
import type { Clock } from '../time';
import { configError } from '../sync/errors';
import { anthropic } from './anthropic';
import { deepseek } from './deepseek';
import { openai } from './openai';
import { openrouter } from './openrouter';
import type { ProviderClient, ProviderClientContext, RetryOptions } from './types';
import { xai } from './xai';

export const PROVIDER_CLIENTS: Readonly<Record<string, ProviderClient>> = Object.freeze({
  openai,
  anthropic,
  openrouter,
  deepseek,
  xai,
});

/** Slugs that have a billing client, in a stable order. */
export const SYNCABLE_PROVIDERS: readonly string[] = Object.freeze(Object.keys(PROVIDER_CLIENTS));

export function clientFor(slug: string): ProviderClient | undefined {
  return Object.prototype.hasOwnProperty.call(PROVIDER_CLIENTS, slug) ? PROVIDER_CLIENTS[slug] : undefined;
}

export function requireClient(slug: string): ProviderClient {
  const client = clientFor(slug);
  if (!client) {
    throw configError(
      slug,
      `Burnrate cannot sync "${slug}": it has no billing API client. Providers it can sync: ${SYNCABLE_PROVIDERS.join(', ')}.`,
    );
  }
  return client;
}

/** The environment variable that overrides a provider's base URL: BURNRATE_OPENAI_BASE_URL. */
export function baseUrlEnvName(slug: string): string {
  return `BURNRATE_${slug.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_BASE_URL`;
}

/**
 * Development only: lets a base URL use plain http:// to another machine. The packaged desktop app
 * never passes it on (main/lib/core-env.ts), so there an admin key only travels over TLS.
 */
export const INSECURE_BASE_URL_ENV = 'BURNRATE_ALLOW_HTTP_BASE_URL';

/** This machine's names: a key sent to them over http:// never leaves the computer. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Version paths the clients add themselves; dropped from an override that includes one. */
const VERSION_SUFFIX: Record<string, RegExp> = {
  openrouter: /\/api\/v1$/,
};

/**
 * The base URL a client should use: the override from the environment (checked, trailing slashes
 * and a duplicated version path dropped) or the client's default.
 */
export function baseUrlFor(slug: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const client = requireClient(slug);
  const name = baseUrlEnvName(slug);
  const raw = env[name]?.trim();
  if (!raw) return client.defaultBaseUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(slug, `${name} is not a URL ("${raw}"); give one like http://127.0.0.1:5001 (without /v1).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(slug, `${name} must be an http:// or https:// URL, not ${url.protocol}.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && env[INSECURE_BASE_URL_ENV] !== '1') {
    throw configError(
      slug,
      `${name} must be an https:// URL (plain http:// only to this machine: localhost or 127.0.0.1), so your key never crosses the network in clear.`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw configError(slug, `${name} must be a plain base URL, without query, fragment or credentials.`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(VERSION_SUFFIX[slug] ?? /\/v1$/, '');
  return `${url.origin}${path}`;
}

export interface ContextOptions {
  key: string;
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  signal?: AbortSignal;
  retry?: RetryOptions;
}

/** A client context for one provider, with its base URL resolved from the environment. */
export function contextFor(slug: string, options: ContextOptions): ProviderClientContext {
  const env = options.env ?? process.env;
  return {
    baseUrl: baseUrlFor(slug, env),
    key: options.key,
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock,
    env,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  };
}
