import { displayName, providerInfo } from '../../providers/catalog';
import type { KeyKind } from '../../providers/types';
import { envKeyName, keyFromEnv } from '../../secrets/env';
import {
  deleteKeyMetadata,
  KeyFormatError,
  keyMetadata,
  lastFour,
  listKeyMetadata,
  normaliseKey,
  redactSecret,
  resolveKey,
  saveKeyMetadata,
  secretsOf,
} from '../../secrets/keys';
import { keychainUnavailable, SecretStoreError } from '../../secrets/store';
import type { ClientDirectory } from '../../sync/clients';
import { defaultDirectory } from '../../sync/defaults';
import { isSyncError, type SyncErrorKind } from '../../sync/errors';
import { listRuns } from '../../sync/runs';
import { syncAll, syncProvider, type SyncRunResult } from '../../sync/runner';
import type {
  KeyKindView,
  KeyView,
  SyncRunView,
  keysMethods,
} from '../contract/keys';
import { BurnrateError, conflict, invalidInput, notFound, type ErrorCode } from '../../model/errors';
import type { HandlersFor } from '../handler';

function kindView(kind: KeyKind | string): KeyKindView {
  return kind === 'admin' || kind === 'management' || kind === 'normal' ? kind : 'unknown';
}

/** The client for a provider, or an error that says why there is none. */
function clientOf(directory: ClientDirectory, provider: string) {
  const client = directory.clientFor(provider);
  if (client) return client;
  const info = providerInfo(provider);
  const known = directory.slugs().join(', ');
  if (info) {
    throw invalidInput('no_billing_api', `${info.name} has no billing API Burnrate can sync, so it needs no key; track it with readings instead.`, { provider });
  }
  throw invalidInput('unknown_provider', `Burnrate does not know a provider named "${provider}"; keys are for providers with billing APIs: ${known || 'none are available in this build'}.`, {
    provider,
    known: directory.slugs(),
  });
}

const ERROR_CODE: Record<SyncErrorKind | 'internal' | 'interrupted', ErrorCode> = {
  auth: 'unauthorized',
  permission: 'unauthorized',
  rate_limited: 'unavailable',
  transient: 'unavailable',
  malformed: 'unavailable',
  config: 'invalid_input',
  internal: 'internal',
  interrupted: 'unavailable',
};

function runView(r: SyncRunResult): SyncRunView {
  return {
    provider: r.provider,
    runId: r.runId,
    outcome: r.outcome,
    errorKind: r.errorKind,
    reason: r.reason,
    message: r.message,
    keychainTrouble: r.keychainTrouble,
    diagnosis: r.diagnosis,
    window: r.window,
    rows: r.rows,
    rowsChanged: r.rowsChanged,
    unreadable: r.unreadable,
    durationMs: r.durationMs,
    keyOrigin: r.keyOrigin,
  };
}

/** A key the keychain would not give: the trouble (each client's remedy) and, for a terminal, the diagnosis. */
function keychainFacts(r: SyncRunResult): { trouble?: string; diagnosis?: string } {
  return r.keychainTrouble ? { trouble: r.keychainTrouble, ...(r.diagnosis ? { diagnosis: r.diagnosis } : {}) } : {};
}

export const keysHandlers: HandlersFor<typeof keysMethods> = {
  keysList(core) {
    const directory = defaultDirectory();
    const stored = new Map(listKeyMetadata(core.db).map((m) => [m.provider, m]));
    const providers = [...new Set([...directory.slugs(), ...stored.keys()])].sort();
    const keys: KeyView[] = [];
    for (const provider of providers) {
      const envVar = envKeyName(provider);
      const fromEnv = keyFromEnv(core.env, provider);
      if (fromEnv) {
        const client = directory.clientFor(provider);
        keys.push({
          provider,
          name: displayName(provider),
          kind: kindView(client ? client.classifyKey(fromEnv) : 'unknown'),
          last4: lastFour(fromEnv),
          storedIn: 'env',
          active: true,
          envVar,
          updatedAt: null,
        });
      }
      const meta = stored.get(provider);
      if (meta) {
        keys.push({
          provider,
          name: displayName(provider),
          kind: kindView(meta.kind),
          last4: meta.last4,
          storedIn: 'keychain',
          active: !fromEnv,
          envVar,
          updatedAt: meta.updatedAt,
        });
      }
    }
    return { keys, keychain: secretsOf(core).description, syncable: directory.slugs() };
  },

  async keysSet(core, input) {
    const directory = defaultDirectory();
    const client = clientOf(directory, input.provider);
    let key: string;
    try {
      key = normaliseKey(input.key);
    } catch (error) {
      if (error instanceof KeyFormatError) throw invalidInput(error.reason, error.message, { provider: input.provider });
      throw error;
    }
    const store = secretsOf(core);
    try {
      await store.set(input.provider, key);
    } catch (error) {
      if (error instanceof SecretStoreError) throw keychainUnavailable(error);
      throw new BurnrateError('internal', 'internal', `Storing the key in the ${store.description} failed unexpectedly; nothing was saved. Please report it.`);
    }
    const kind = kindView(client.classifyKey(key));
    const now = core.clock.now().toISOString();
    saveKeyMetadata(core.db, { provider: input.provider, kind, last4: lastFour(key), storedIn: 'keychain', updatedAt: now });
    const notes: string[] = [];
    if (keyFromEnv(core.env, input.provider)) {
      notes.push(`${envKeyName(input.provider)} is set in this environment and wins over the keychain while it is set.`);
    }
    notes.push('Test the key to see what it can and cannot do.');
    return { provider: input.provider, kind, last4: lastFour(key), storedIn: 'keychain', keychain: store.description, notes };
  },

  async keysDelete(core, input) {
    const store = secretsOf(core);
    const name = displayName(input.provider);
    const indexed = keyMetadata(core.db, input.provider) !== null;
    let deleted = false;
    try {
      deleted = await store.delete(input.provider);
    } catch (error) {
      // A key we stored must be deleted for real; without one, an unusable keychain holds none of ours.
      if (!(error instanceof SecretStoreError)) throw error;
      if (indexed) throw keychainUnavailable(error);
    }
    const hadMeta = deleteKeyMetadata(core.db, input.provider);
    const notes: string[] = [];
    const envSet = keyFromEnv(core.env, input.provider) !== null;
    if (envSet) notes.push(`${envKeyName(input.provider)} still supplies a key for ${name}; unset it to stop syncing ${name}.`);
    if (!deleted && !hadMeta) {
      if (envSet) return { provider: input.provider, deletedFromKeychain: false, notes };
      throw notFound('key_not_stored', `There is no key for ${name} in the ${store.description}; nothing was deleted.`, { provider: input.provider });
    }
    return { provider: input.provider, deletedFromKeychain: deleted, notes };
  },

  async keysTest(core, input) {
    const directory = defaultDirectory();
    const client = clientOf(directory, input.provider);
    const name = displayName(input.provider);
    let resolved;
    try {
      resolved = await resolveKey(core, input.provider, { askKeychain: true });
    } catch (error) {
      if (error instanceof SecretStoreError) throw keychainUnavailable(error);
      throw error;
    }
    if (!resolved) {
      throw notFound('key_missing', `There is no key for ${name}; store one in Burnrate, or set ${envKeyName(input.provider)}.`, { provider: input.provider });
    }
    const clean = (text: string) => redactSecret(text, resolved.key);
    try {
      const result = await client.testKey({
        baseUrl: directory.baseUrlFor(input.provider, core.env),
        key: resolved.key,
        fetch: core.fetch,
        clock: core.clock,
        env: core.env,
        signal: AbortSignal.timeout(60_000),
      });
      return {
        provider: input.provider,
        ok: result.ok,
        kind: kindView(result.kind),
        last4: lastFour(resolved.key),
        storedIn: resolved.origin,
        can: result.can.map(clean),
        cannot: result.cannot.map(clean),
        message: clean(result.message),
      };
    } catch (error) {
      if (isSyncError(error)) throw new BurnrateError(ERROR_CODE[error.kind], error.reason, clean(error.message), { provider: input.provider, errorKind: error.kind });
      throw new BurnrateError('internal', 'internal', clean(`Testing the key for ${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. Please report it.`));
    }
  },

  async sync(core, input) {
    if (input.provider) {
      clientOf(defaultDirectory(), input.provider);
      const r = await syncProvider(core, input.provider, { askKeychain: true, trigger: 'manual' });
      if (r.outcome === 'skipped') throw conflict('sync_running', r.message, { provider: r.provider, runId: r.runId });
      if (r.outcome === 'error') {
        const code = ERROR_CODE[(r.errorKind ?? 'internal') as keyof typeof ERROR_CODE] ?? 'internal';
        throw new BurnrateError(code, r.reason ?? 'internal', r.message, { provider: r.provider, errorKind: r.errorKind, runId: r.runId, ...keychainFacts(r) });
      }
      return { runs: [runView(r)], message: r.message };
    }
    const results = await syncAll(core, { trigger: 'manual' });
    if (results.length === 0) {
      return { runs: [], message: 'No provider has a key yet, so there was nothing to sync; store a key for a provider with a billing API first.' };
    }
    const failed = results.filter((r) => r.outcome === 'error').length;
    const message =
      failed === 0
        ? `Synced ${results.length} ${results.length === 1 ? 'provider' : 'providers'}.`
        : `${failed} of ${results.length} provider syncs failed; see each message.`;
    return { runs: results.map(runView), message };
  },

  syncRuns(core, input) {
    const runs = listRuns(core.db, { ...(input.provider ? { provider: input.provider } : {}), limit: input.limit });
    return {
      runs: runs.map((r) => ({
        id: r.id,
        provider: r.provider,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        window: r.windowStart && r.windowEnd ? { start: r.windowStart, end: r.windowEnd } : null,
        outcome: r.outcome,
        errorKind: r.errorKind,
        message: r.message,
        keychainTrouble: r.keychainTrouble,
        rows: r.rows,
        rowsChanged: r.rowsChanged,
        durationMs: r.durationMs,
        trigger: r.trigger,
      })),
    };
  },
};
