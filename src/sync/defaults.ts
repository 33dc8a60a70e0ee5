import { baseUrlFor, clientFor, SYNCABLE_PROVIDERS } from '../providers/registry';
import type { ClientDirectory } from './clients';

/** The provider clients Burnrate ships (src/providers/registry.ts). */
const registryDirectory: ClientDirectory = {
  clientFor,
  slugs: () => [...SYNCABLE_PROVIDERS],
  baseUrlFor: (slug, env) => baseUrlFor(slug, env),
};

export function defaultDirectory(): ClientDirectory {
  return registryDirectory;
}
