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
  ) {
    super(message);
  }
}
