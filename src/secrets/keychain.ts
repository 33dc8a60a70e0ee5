import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import { classifyNativeFailure, explainProblem, keychainTrouble, storeDescription } from './diagnose';
import { SecretStoreError, type SecretStore, type SecretStoreProblem } from './store';

/**
 * The OS keychain through @napi-rs/keyring (N-API: one prebuilt binary works under Node and
 * Electron, no rebuild; see docs/keys-and-sync.md for why not keytar). Service "Burnrate",
 * account = provider slug.
 *
 * Linux: the library's default picks the Secret Service and silently falls back to the kernel
 * keyring, whose keys vanish at reboot. We pin every entry to the Secret Service, so an absent
 * one throws instead; when it does and the kernel keyring is reachable, we say the fallback
 * *would* have happened (problem 'volatile') and refuse, with how to start or unlock a Secret
 * Service. Never a plaintext fallback.
 */

export const KEYCHAIN_SERVICE = 'Burnrate';

type KeyringModule = typeof import('@napi-rs/keyring');

export interface KeychainOptions {
  /** Service name; tests use their own so they never touch a user's Burnrate keys. */
  service?: string;
  platform?: NodeJS.Platform;
  /** For messages only (which D-Bus address, which env var). */
  env?: NodeJS.ProcessEnv;
}

let loaded: Promise<KeyringModule> | undefined;
function loadKeyring(): Promise<KeyringModule> {
  loaded ??= import('@napi-rs/keyring');
  return loaded;
}

export class KeychainStore implements SecretStore {
  readonly description: string;
  private readonly service: string;
  private readonly platform: NodeJS.Platform;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: KeychainOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.platform = options.platform ?? process.platform;
    this.env = options.env ?? process.env;
    this.description = storeDescription(this.platform);
  }

  /** Options that pin Linux entries to the Secret Service (ignored elsewhere). */
  entryOptions(): EntryOptions | undefined {
    return this.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;
  }

  async get(provider: string): Promise<string | null> {
    const entry = await this.entry(provider);
    try {
      return await entry.getPassword();
    } catch (error) {
      throw await this.translate(error, provider);
    }
  }

  async set(provider: string, secret: string): Promise<void> {
    const entry = await this.entry(provider);
    try {
      await entry.setPassword(secret);
    } catch (error) {
      throw await this.translate(error, provider);
    }
    // Read it back through the same pinned store: a key that did not land is an error now, not a
    // silent surprise at the next sync.
    let back: string | null;
    try {
      back = await entry.getPassword();
    } catch (error) {
      throw await this.translate(error, provider);
    }
    if (back !== secret) {
      throw new SecretStoreError(
        'failed',
        `The ${this.description} accepted the key for ${provider} but did not return it when read back; the key was not saved. Check the keychain and try again.`,
        'failed',
      );
    }
  }

  async delete(provider: string): Promise<boolean> {
    const entry = await this.entry(provider);
    try {
      return await entry.deletePassword();
    } catch (error) {
      throw await this.translate(error, provider);
    }
  }

  private async entry(provider: string): Promise<AsyncEntry> {
    let keyring: KeyringModule;
    try {
      keyring = await loadKeyring();
    } catch (error) {
      throw new SecretStoreError(
        'unavailable',
        `The keychain library could not load on this system (${nativeMessage(error)}); reinstall Burnrate, or set the key in the environment instead (see docs/keys-and-sync.md).`,
        'not_loaded',
      );
    }
    try {
      // Constructing a pinned entry throws when its store is absent (no Secret Service).
      return new keyring.AsyncEntry(this.service, provider, this.entryOptions());
    } catch (error) {
      throw await this.translate(error, provider);
    }
  }

  private async translate(error: unknown, provider: string): Promise<SecretStoreError> {
    if (error instanceof SecretStoreError) return error;
    const message = nativeMessage(error);
    let problem: SecretStoreProblem = classifyNativeFailure(message);
    if (problem === 'unavailable' && this.platform === 'linux' && (await this.kernelKeyringReachable())) problem = 'volatile';
    const diagnosis = { problem, platform: this.platform, nativeMessage: message, env: this.env };
    return new SecretStoreError(problem, explainProblem({ ...diagnosis, provider }), keychainTrouble(diagnosis));
  }

  /**
   * Whether the library's default would have fallen back to the kernel keyring: an entry pinned
   * to keyutils can be made. Constructing an entry stores nothing.
   */
  async kernelKeyringReachable(): Promise<boolean> {
    if (this.platform !== 'linux') return false;
    try {
      const keyring = await loadKeyring();
      new keyring.Entry(this.service, 'burnrate-probe', { linux: { store: 'keyutils' } });
      return true;
    } catch {
      return false;
    }
  }
}

function nativeMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let systemStore: KeychainStore | undefined;

/** The process-wide OS keychain store (created on first use; loads nothing until a call). */
export function systemKeychain(env: NodeJS.ProcessEnv = process.env): KeychainStore {
  systemStore ??= new KeychainStore({ env });
  return systemStore;
}
