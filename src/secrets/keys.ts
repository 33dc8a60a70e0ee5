import type { Database } from 'better-sqlite3';
import type { Core } from '../model/context';
import { keyFromEnv } from './env';
import { systemKeychain } from './keychain';
import { SecretStoreError, type SecretStore } from './store';

/**
 * Provider keys: where one comes from (environment or keychain), what we may remember about it
 * (kind and last 4 characters, in key_metadata) and how to keep it out of every text we write.
 */

export type KeyOrigin = 'keychain' | 'env';
export type StoredKind = 'admin' | 'management' | 'normal' | 'unknown';

export interface ResolvedKey {
  key: string;
  origin: KeyOrigin;
}

export interface KeyMetadata {
  provider: string;
  kind: StoredKind;
  last4: string;
  storedIn: KeyOrigin;
  updatedAt: string;
}

/** The store a core uses: the one it was opened with, else the OS keychain. */
export function secretsOf(core: Core): SecretStore {
  return core.secrets ?? systemKeychain(core.env);
}

export class KeyFormatError extends Error {
  override name = 'KeyFormatError';
  /** 'key_empty' or 'key_malformed': a transport may add how to give a key its way. */
  constructor(
    readonly reason: 'key_empty' | 'key_malformed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Clean a key as pasted or piped: surrounding whitespace (the trailing newline of `echo`) goes;
 * anything else odd is refused. Messages never repeat the key.
 */
export function normaliseKey(raw: string): string {
  const key = raw.trim();
  if (key.length === 0) throw new KeyFormatError('key_empty', 'No key was given.');
  if (/\s/.test(key)) throw new KeyFormatError('key_malformed', 'The key contains spaces or line breaks; give exactly one key.');
  if (!/^[\x21-\x7e]+$/.test(key)) throw new KeyFormatError('key_malformed', 'The key contains characters no provider key has (only printable ASCII is allowed); check what was pasted.');
  if (key.length < 8) throw new KeyFormatError('key_malformed', `The key is only ${key.length} characters long; provider keys are much longer, so check what was pasted.`);
  if (key.length > 1024) throw new KeyFormatError('key_malformed', 'The key is longer than 1024 characters; check what was pasted.');
  return key;
}

/** The last 4 characters, the only part of a key Burnrate ever shows or stores. */
export function lastFour(key: string): string {
  return key.slice(-4);
}

/**
 * Remove a key (and any 8+ character piece of it, e.g. a provider echoing "sk-abc…xyz") from a
 * text before it is stored, logged or shown.
 */
export function redactSecret(text: string, key: string | null | undefined): string {
  if (!key) return text;
  let out = text.split(key).join('[redacted]');
  out = out.replace(/[A-Za-z0-9_\-+/=.]{8,}/g, (token) => (key.includes(token) ? '[redacted]' : token));
  return out;
}

// ---- key_metadata -------------------------------------------------------------------------------

interface MetadataRow {
  provider: string;
  kind: StoredKind;
  last4: string;
  stored_in: KeyOrigin;
  updated_at: string;
}

function fromRow(r: MetadataRow): KeyMetadata {
  return { provider: r.provider, kind: r.kind, last4: r.last4, storedIn: r.stored_in, updatedAt: r.updated_at };
}

export function listKeyMetadata(db: Database): KeyMetadata[] {
  return (db.prepare('SELECT provider, kind, last4, stored_in, updated_at FROM key_metadata ORDER BY provider').all() as MetadataRow[]).map(fromRow);
}

export function keyMetadata(db: Database, provider: string): KeyMetadata | null {
  const row = db.prepare('SELECT provider, kind, last4, stored_in, updated_at FROM key_metadata WHERE provider = ?').get(provider) as
    | MetadataRow
    | undefined;
  return row ? fromRow(row) : null;
}

export function saveKeyMetadata(db: Database, meta: KeyMetadata): void {
  db.prepare(
    `INSERT INTO key_metadata (provider, kind, last4, stored_in, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (provider) DO UPDATE SET kind = excluded.kind, last4 = excluded.last4, stored_in = excluded.stored_in,
       updated_at = excluded.updated_at`,
  ).run(meta.provider, meta.kind, meta.last4, meta.storedIn, meta.updatedAt);
}

export function deleteKeyMetadata(db: Database, provider: string): boolean {
  return db.prepare('DELETE FROM key_metadata WHERE provider = ?').run(provider).changes > 0;
}

// ---- resolving ----------------------------------------------------------------------------------

/**
 * The key a sync should use. The environment wins (an explicit per-process choice). The keychain
 * is asked only when key_metadata says a key was stored there, or when `askKeychain` is set (a
 * sync the user asked for by name), so scheduled runs never prompt for providers without keys.
 * Throws SecretStoreError when the keychain cannot be read for a key that was stored there.
 */
export async function resolveKey(core: Core, provider: string, options: { askKeychain?: boolean } = {}): Promise<ResolvedKey | null> {
  const fromEnv = keyFromEnv(core.env, provider);
  if (fromEnv) return { key: fromEnv, origin: 'env' };
  const indexed = keyMetadata(core.db, provider)?.storedIn === 'keychain';
  if (!indexed && !options.askKeychain) return null;
  let key: string | null;
  try {
    key = await secretsOf(core).get(provider);
  } catch (error) {
    // Nothing was ever stored through this ledger: an unusable keychain just means "no key".
    if (!indexed && error instanceof SecretStoreError) return null;
    throw error;
  }
  return key ? { key, origin: 'keychain' } : null;
}

/** Providers that have a key right now: in the environment, or indexed as in the keychain. */
export function providersWithKeys(core: Core, candidates: readonly string[]): string[] {
  const indexed = new Set(listKeyMetadata(core.db).filter((m) => m.storedIn === 'keychain').map((m) => m.provider));
  return candidates.filter((p) => keyFromEnv(core.env, p) !== null || indexed.has(p));
}
