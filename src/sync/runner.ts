import { performance } from 'node:perf_hooks';
import type { Core } from '../model/context';
import { uniqueDayKeys, type DayKey } from '../model/day-key';
import { getSetting } from '../ledger/settings';
import { importApiBalances } from '../odometer/apiBalances';
import { displayName } from '../providers/catalog';
import type { ProviderClientContext, RetryOptions } from '../providers/types';
import { envKeyName } from '../secrets/env';
import { keyMetadata, lastFour, redactSecret, resolveKey, saveKeyMetadata, providersWithKeys, type ResolvedKey } from '../secrets/keys';
import { SecretStoreError } from '../secrets/store';
import type { ClientDirectory } from './clients';
import { defaultDirectory } from './defaults';
import { configError, isSyncError, keyUnreadableError, transientError } from './errors';
import type { KeychainTrouble } from '../model/ports';
import { writePage } from './page';
import { beginRun, finishRun, lastOkRun, type RunTrigger } from './runs';
import { syncWindow, WINDOW_DEFAULTS, type SyncWindowRange } from './window';

/**
 * The sync runner: for one provider, read its key, choose the window, page through the client's
 * answers writing each page in one transaction, and record the run. Never two runs of the same
 * provider at once: an in-process lock (a second caller shares the first call's promise) plus a
 * 'running' row in sync_runs for other processes.
 */

export interface SyncOptions {
  directory?: ClientDirectory;
  trigger?: RunTrigger;
  /** Ask the keychain even when no key is indexed for the provider (a sync asked for by name). */
  askKeychain?: boolean;
  /** Passed to the client: waits between retries, per-request timeout. */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** The whole run gives up after this long (default 5 minutes). */
  runTimeoutMs?: number;
  /** A running row older than this is taken for a crashed run (default 15 minutes). */
  staleAfterMs?: number;
  signal?: AbortSignal;
  /** Cross-process liveness check of a running row's owner (tests). */
  ownerAlive?: (owner: string) => boolean;
  /** Fetch exactly this range instead of the incremental window (the month close's last sync). */
  window?: SyncWindowRange;
}

export type SyncOutcome = 'ok' | 'error' | 'skipped';

export interface SyncRunResult {
  provider: string;
  runId: number | null;
  outcome: SyncOutcome;
  errorKind: string | null;
  /** Why it failed, for a transport's own remedy (SyncError.reason); null unless outcome is error. */
  reason: string | null;
  message: string;
  /** The key could not be read from the keychain: what the user can put right; else null (stored with the run). */
  keychainTrouble: KeychainTrouble | null;
  /** With keychainTrouble: the keychain's diagnosis for a terminal (names commands); not stored. */
  diagnosis: string | null;
  window: { start: string; end: string } | null;
  /** Rows received and upserted. */
  rows: number;
  /** Of which new or changed. */
  rowsChanged: number;
  /** Rows of the answers that could not be read: kept aside, not counted (status lists them). */
  unreadable: number;
  durationMs: number;
  keyOrigin: 'keychain' | 'env' | null;
}

const DEFAULT_RUN_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_STALE_MS = 15 * 60_000;

// In-process lock: one promise per (ledger file, provider). A second caller joins the first run.
const inFlight = new Map<string, Promise<SyncRunResult>>();

function lockKey(core: Core, provider: string): string {
  return `${core.ledgerKey}|${provider}`;
}

/** Whether a sync of `provider` is running in this process right now. */
export function isSyncing(core: Core, provider: string): boolean {
  return inFlight.has(lockKey(core, provider));
}

export function syncProvider(core: Core, provider: string, options: SyncOptions = {}): Promise<SyncRunResult> {
  const key = lockKey(core, provider);
  const running = inFlight.get(key);
  if (running) return running;
  const run = runLocked(core, provider, options).finally(() => inFlight.delete(key));
  inFlight.set(key, run);
  return run;
}

/** Providers a scheduled or "sync everything" run covers: those with a client and a key. */
export function syncableProviders(core: Core, directory: ClientDirectory = defaultDirectory()): string[] {
  return providersWithKeys(core, directory.slugs());
}

/** Sync every provider that has a key, one after the other (gentle on the machine and the APIs). */
export async function syncAll(core: Core, options: SyncOptions = {}): Promise<SyncRunResult[]> {
  const results: SyncRunResult[] = [];
  for (const provider of syncableProviders(core, options.directory)) {
    results.push(await syncProvider(core, provider, { ...options, askKeychain: false }));
  }
  return results;
}

function windowFor(core: Core, provider: string): SyncWindowRange {
  const last = lastOkRun(core.db, provider);
  const firstLookback = getSetting<number | null>(core.db, 'sync.firstLookbackDays', null);
  const revisit = getSetting<number>(core.db, 'sync.revisitDays', WINDOW_DEFAULTS.revisitDays);
  return syncWindow({
    now: core.clock.now(),
    lastOkEnd: last?.windowEnd ? new Date(last.windowEnd) : null,
    timeZone: core.timeZone,
    revisitDays: Number.isFinite(revisit) ? revisit : WINDOW_DEFAULTS.revisitDays,
    firstLookbackDays: typeof firstLookback === 'number' && Number.isFinite(firstLookback) ? firstLookback : null,
    maxDays: WINDOW_DEFAULTS.maxDays,
  });
}

function dayRange(w: SyncWindowRange): string {
  const last = new Date(w.end.getTime() - 1);
  return `${w.start.toISOString().slice(0, 10)} to ${last.toISOString().slice(0, 10)} (UTC)`;
}

async function runLocked(core: Core, provider: string, options: SyncOptions): Promise<SyncRunResult> {
  const directory = options.directory ?? defaultDirectory();
  const name = displayName(provider);
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const window = options.window ?? windowFor(core, provider);
  const windowView = { start: window.start.toISOString(), end: window.end.toISOString() };

  const begun = beginRun(core.db, {
    provider,
    now: core.clock.now(),
    window,
    trigger: options.trigger ?? 'manual',
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_MS,
    ...(options.ownerAlive ? { ownerAlive: options.ownerAlive } : {}),
  });
  if ('busy' in begun) {
    return {
      provider,
      runId: begun.busy.id,
      outcome: 'skipped',
      errorKind: null,
      reason: 'sync_running',
      message: `A sync of ${name} started at ${begun.busy.startedAt} is still running in another Burnrate process; this one was skipped.`,
      keychainTrouble: null,
      diagnosis: null,
      window: null,
      rows: 0,
      rowsChanged: 0,
      unreadable: 0,
      durationMs: Math.round(elapsed()),
      keyOrigin: null,
    };
  }
  const runId = begun.id;

  let rows = 0;
  let rowsChanged = 0;
  let unreadable = 0;
  const touched: DayKey[] = [];
  let resolved: ResolvedKey | null = null;
  let outcome: 'ok' | 'error' = 'ok';
  let errorKind: string | null = null;
  let reason: string | null = null;
  let keychainTrouble: KeychainTrouble | null = null;
  let diagnosis: string | null = null;
  let message: string;

  const deadline = AbortSignal.timeout(options.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;

  try {
    const client = directory.clientFor(provider);
    if (!client) {
      throw configError(provider, `${name} has no billing API Burnrate can sync; track it with readings instead.`, undefined, 'no_billing_api');
    }
    try {
      resolved = await resolveKey(core, provider, { askKeychain: options.askKeychain ?? false });
    } catch (error) {
      if (error instanceof SecretStoreError) throw keyUnreadableError(provider, error.trouble, error.message);
      throw error;
    }
    if (!resolved) {
      throw configError(
        provider,
        `There is no key for ${name}; store one in Burnrate, or set ${envKeyName(provider)}.`,
        undefined,
        'key_missing',
      );
    }
    rememberKeychainKey(core, provider, resolved, client.classifyKey(resolved.key));

    const ctx: ProviderClientContext = {
      baseUrl: directory.baseUrlFor(provider, core.env),
      key: resolved.key,
      fetch: core.fetch,
      clock: core.clock,
      env: core.env,
      signal,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    };
    for await (const page of client.sync(ctx, { start: window.start, end: window.end })) {
      if (signal.aborted) throw abortError(provider, options);
      const written = writePage(core, provider, page, runId);
      rows += written.rows;
      rowsChanged += written.changed;
      unreadable += written.unreadable;
      touched.push(...written.touched);
      // A new prepaid balance becomes a balance reading (origin 'api') by the odometer's rule,
      // which tells listeners itself when spend changes.
      if (written.newBalance) importApiBalances(core);
    }
    message =
      rows === 0
        ? `Synced ${name} for ${dayRange(window)}: the provider reported nothing in that window.`
        : `Synced ${name} for ${dayRange(window)}: ${rows} ${rows === 1 ? 'row' : 'rows'}, ${rowsChanged} new or changed.`;
    if (unreadable > 0) {
      message += ` ${unreadable} ${unreadable === 1 ? 'row' : 'rows'} of ${name}'s answer could not be read and ${unreadable === 1 ? 'was' : 'were'} kept aside, not counted (status lists ${unreadable === 1 ? 'it' : 'them'} under what needs attention).`;
    }
  } catch (error) {
    outcome = 'error';
    const failure = isSyncError(error)
      ? error
      : signal.aborted
        ? abortError(provider, options)
        : null;
    if (failure) {
      errorKind = failure.kind;
      reason = failure.reason;
      message = failure.message;
      keychainTrouble = failure.keychainTrouble ?? null;
      diagnosis = failure.diagnosis ?? null;
    } else {
      errorKind = 'internal';
      reason = 'internal';
      message = `Burnrate hit an unexpected error while syncing ${name}: ${error instanceof Error ? error.message : String(error)}. Please report it.`;
    }
    if (rowsChanged > 0) message += ` ${rowsChanged} rows from earlier pages were kept; the next sync fetches the window again without duplicating them.`;
  }

  // Whatever happened, the key never leaves in a message. (Clients already redact what they quote
  // from providers; this removes the key and any piece of it from our whole sentence.)
  message = redactSecret(message, resolved?.key);
  const durationMs = elapsed();
  finishRun(core.db, runId, { outcome, finishedAt: core.clock.now(), errorKind, message, keychainTrouble, rows, rowsChanged, durationMs });

  const touchedList = uniqueDayKeys(touched);
  if (touchedList.length > 0) core.spendChanged('sync', touchedList);
  core.events.emit('syncFinished', { provider, outcome, rows, message, ...(keychainTrouble ? { keychainTrouble } : {}) });

  return {
    provider,
    runId,
    outcome,
    errorKind,
    reason,
    message,
    keychainTrouble,
    diagnosis,
    window: windowView,
    rows,
    rowsChanged,
    unreadable,
    durationMs: Math.round(durationMs),
    keyOrigin: resolved?.origin ?? null,
  };
}

function abortError(provider: string, options: SyncOptions) {
  if (options.signal?.aborted) return transientError(provider, 'sync was cancelled before it finished');
  const minutes = Math.round((options.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS) / 60_000);
  return transientError(provider, `did not finish answering within ${minutes >= 1 ? `${minutes} min` : `${options.runTimeoutMs} ms`}`);
}

/** A key found in the keychain without an index row (stored by another install): index it. */
function rememberKeychainKey(core: Core, provider: string, resolved: ResolvedKey, kind: string): void {
  if (resolved.origin !== 'keychain' || keyMetadata(core.db, provider)) return;
  saveKeyMetadata(core.db, {
    provider,
    kind: (['admin', 'management', 'normal'].includes(kind) ? kind : 'unknown') as 'admin' | 'management' | 'normal' | 'unknown',
    last4: lastFour(resolved.key),
    storedIn: 'keychain',
    updatedAt: core.clock.now().toISOString(),
  });
}
