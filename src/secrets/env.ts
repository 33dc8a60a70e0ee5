/**
 * Keys from the environment: for headless servers without a keychain, the user may put a key in
 * BURNRATE_<PROVIDER>_KEY (for example BURNRATE_OPENAI_KEY). It is the user's choice; Burnrate
 * never writes it anywhere. When set, it wins over the keychain for that process.
 */

export function envKeyName(provider: string): string {
  return `BURNRATE_${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_KEY`;
}

/** The key given in the environment for `provider`, trimmed, or null. */
export function keyFromEnv(env: NodeJS.ProcessEnv, provider: string): string | null {
  const value = env[envKeyName(provider)]?.trim();
  return value ? value : null;
}
