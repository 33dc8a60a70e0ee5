/**
 * The OS keychain behind a small interface. Keys are read when a sync needs them and never
 * written anywhere else (database, logs, errors, renderer).
 */
export interface SecretStore {
  get(provider: string): Promise<string | null>;
  set(provider: string, secret: string): Promise<void>;
  delete(provider: string): Promise<boolean>;
  /** Where secrets live, for messages ("macOS Keychain", "Secret Service"). */
  readonly description: string;
}

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
