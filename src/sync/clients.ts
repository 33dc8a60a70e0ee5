import type { ProviderClient } from '../providers/types';

/**
 * Which provider clients the sync runner and the keys commands can use, and where each one's API
 * lives. The default is the provider registry; tests pass their own directory of real clients
 * pointed at local servers.
 */
export interface ClientDirectory {
  clientFor(slug: string): ProviderClient | undefined;
  /** Every provider that has a client, in a stable order. */
  slugs(): string[];
  /** Base URL without the version path; BURNRATE_<PROVIDER>_BASE_URL overrides the default. */
  baseUrlFor(slug: string, env: NodeJS.ProcessEnv): string;
}

export function baseUrlOverrideName(slug: string): string {
  return `BURNRATE_${slug.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
}

/** A directory over a list of clients, honouring BURNRATE_<PROVIDER>_BASE_URL. */
export function directoryOf(clients: readonly ProviderClient[]): ClientDirectory {
  const bySlug = new Map(clients.map((c) => [c.provider, c]));
  return {
    clientFor: (slug) => bySlug.get(slug),
    slugs: () => [...bySlug.keys()],
    baseUrlFor(slug, env) {
      const override = env[baseUrlOverrideName(slug)]?.trim();
      if (override) return override.replace(/\/+$/, '');
      return bySlug.get(slug)?.defaultBaseUrl ?? '';
    },
  };
}
