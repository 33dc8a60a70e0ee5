import type { Database } from 'better-sqlite3';

// The side effects the domain needs, as small interfaces passed in at start-up (src/app/open.ts):
// tests give real local stand-ins, Electron gives its own (Notification), the CLI a log line.

export type { Clock } from '../time';

/** The ledger handle: one SQLite connection to the ledger file (docs/ledger.md). */
export type LedgerDb = Database;

/** The network, for provider clients and webhooks (globalThis.fetch unless a test passes its own). */
export type Fetch = typeof fetch;

/**
 * How the core tells the user something: Electron's Notification in main/, a log line (and the
 * webhook outbox) in `burnrate serve` and the CLI.
 */
export interface Notice {
  kind: 'alert' | 'reminder' | 'sync' | 'proxy';
  title: string;
  body: string;
  /** What a click should open, e.g. { view: 'reading', provider: 'groq' }. */
  target?: { view: string; provider?: string; alertId?: number };
}

export interface Notifier {
  notify(notice: Notice): void | Promise<void>;
}

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
 * Why a keychain could not do its job, as what the user can put right: one code per remedy, so a
 * transport that must not name commands (the window) still says what to do about each
 * (renderer/src/api/remedies.ts). Diagnosed in src/secrets/diagnose.ts; sent as the `trouble`
 * fact of a keychain_unavailable error.
 */
export type KeychainTrouble =
  | 'locked' // locked, and no unlock prompt could be shown
  | 'no_keyring' // a Secret Service with no default keyring yet (creating one needs the same prompt)
  | 'denied' // access refused: the user said no, or (Windows) the key belongs to another login
  | 'no_session_bus' // Linux: started outside a desktop session (no session bus, or one not there)
  | 'no_secret_service' // Linux: a session, but no keyring service running in it
  | 'not_answering' // a keychain is there but did not answer
  | 'not_loaded' // the keychain library could not load on this system
  | 'failed'; // the keychain refused for another reason
