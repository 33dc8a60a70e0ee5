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
