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
