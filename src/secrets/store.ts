import { unavailable, type BurnrateError } from '../model/errors';
import type { KeychainTrouble } from '../model/ports';

export type { SecretStore } from '../model/ports';

/**
 * Why a store could not do its job. `volatile`: on Linux the only keyring left is the kernel
 * keyring, whose keys vanish at reboot without an error; we refuse it rather than lose keys.
 */
export type SecretStoreProblem = 'unavailable' | 'locked' | 'volatile' | 'failed';

/**
 * Thrown by a SecretStore. The message is one sentence a user can act on; it never contains a
 * secret (the native errors it is built from name only the service and account).
 */
export class SecretStoreError extends Error {
  override name = 'SecretStoreError';
  constructor(
    readonly problem: SecretStoreProblem,
    message: string,
    /** What the user can put right (diagnose.ts); without a diagnosis, the problem's plainest reading. */
    readonly trouble: KeychainTrouble = PLAIN_TROUBLE[problem],
  ) {
    super(message);
  }
}

const PLAIN_TROUBLE: Record<SecretStoreProblem, KeychainTrouble> = { locked: 'locked', volatile: 'no_secret_service', unavailable: 'not_answering', failed: 'failed' };

/**
 * A keychain that cannot answer, as the contract's error: the store's sentence (written for a
 * terminal: it may name commands) and its `trouble`, from which a window words its own remedy.
 */
export function keychainUnavailable(error: SecretStoreError): BurnrateError {
  return unavailable('keychain_unavailable', error.message, { trouble: error.trouble });
}
