import type { KeychainTrouble } from '../../model/ports';
import { z } from '../../model/zod';
import { method } from '../define';
import { noFields, providerSlug } from '../schemas';

// Methods of the keys and sync area: provider keys in the OS keychain, provider syncs and their runs.

// ---- results ------------------------------------------------------------------------------------

export type KeyKindView = 'admin' | 'management' | 'normal' | 'unknown';
export type KeyLocation = 'keychain' | 'env';

export interface KeyView {
  provider: string;
  name: string;
  kind: KeyKindView;
  /** The last 4 characters: the only part of a key Burnrate ever shows. */
  last4: string;
  storedIn: KeyLocation;
  /** The key a sync uses when both exist (the environment wins). */
  active: boolean;
  /** The environment variable that may supply this provider's key. */
  envVar: string;
  updatedAt: string | null;
}

export interface KeysListResult {
  keys: KeyView[];
  /** Where keychain keys live on this system, e.g. "Secret Service". */
  keychain: string;
  /** Providers Burnrate can sync (the ones a key is useful for). */
  syncable: string[];
}

export interface KeySetResult {
  provider: string;
  kind: KeyKindView;
  last4: string;
  storedIn: 'keychain';
  keychain: string;
  notes: string[];
}

export interface KeyDeleteResult {
  provider: string;
  deletedFromKeychain: boolean;
  notes: string[];
}

export interface KeyTestView {
  provider: string;
  ok: boolean;
  kind: KeyKindView;
  last4: string;
  storedIn: KeyLocation;
  can: string[];
  cannot: string[];
  message: string;
}

export interface SyncRunView {
  provider: string;
  runId: number | null;
  outcome: 'ok' | 'error' | 'skipped';
  errorKind: string | null;
  /** Why it failed or was skipped ('key_missing', 'key_refused', …) for a client's own remedy; else null. */
  reason: string | null;
  /** Neutral: names no command, so every client shows it as is and adds its own remedy. */
  message: string;
  /** The key could not be read from the OS keychain (reason 'key_unreadable'): what the user can put right. */
  keychainTrouble: KeychainTrouble | null;
  /** With keychainTrouble: the keychain's diagnosis for a terminal (it names commands); a window shows its own remedy instead. */
  diagnosis: string | null;
  window: { start: string; end: string } | null;
  rows: number;
  rowsChanged: number;
  /** Rows of the provider's answer that could not be read: kept aside, not counted. */
  unreadable: number;
  durationMs: number;
  keyOrigin: KeyLocation | null;
}

export interface SyncResult {
  runs: SyncRunView[];
  message: string;
}

export interface SyncRunRecord {
  id: number;
  provider: string;
  startedAt: string;
  finishedAt: string | null;
  window: { start: string; end: string } | null;
  outcome: 'running' | 'ok' | 'error';
  errorKind: string | null;
  message: string | null;
  /** The key could not be read from the OS keychain: what the user can put right; else null. */
  keychainTrouble: KeychainTrouble | null;
  rows: number;
  rowsChanged: number;
  durationMs: number | null;
  trigger: 'manual' | 'schedule';
}

export interface SyncRunsResult {
  runs: SyncRunRecord[];
}

// ---- methods ------------------------------------------------------------------------------------

const providerOnly = () => z.object({ provider: providerSlug() }).strict();

export const keysMethods = {
  keysList: method<KeysListResult>()({
    kind: 'read',
    description: 'Provider keys Burnrate can use: provider, kind, last 4 characters and where each is kept. Never the keys.',
    input: noFields,
  }),
  keysSet: method<KeySetResult>()({
    kind: 'write',
    description: "Store a provider's key in the OS keychain (never in the ledger); only its kind and last 4 characters are remembered.",
    input: () => z
      .object({
        provider: providerSlug(),
        // No custom messages here: zod's own never repeat the value, so the key is never echoed.
        key: z.string().min(1).max(4096),
      })
      .strict(),
  }),
  keysDelete: method<KeyDeleteResult>()({
    kind: 'write',
    description: "Remove a provider's key from the OS keychain.",
    input: providerOnly,
  }),
  keysTest: method<KeyTestView>()({
    kind: 'read',
    description: "Call the provider's cheapest authenticated endpoint and say what the key can and cannot do.",
    input: providerOnly,
  }),
  sync: method<SyncResult>()({
    kind: 'write',
    description: 'Fetch what providers billed from their APIs now: one provider, or every provider that has a key.',
    input: () => z.object({ provider: providerSlug().optional() }).strict(),
  }),
  syncRuns: method<SyncRunsResult>()({
    kind: 'read',
    description: 'Recent sync runs, newest first: window, outcome, error kind, rows and duration.',
    input: () => z
      .object({
        provider: providerSlug().optional(),
        limit: z.coerce.number().int().min(1).max(200).default(20),
      })
      .strict(),
  }),
};
