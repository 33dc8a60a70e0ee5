import { budgetEngine } from '../budget/engine';
import { adjustmentListener } from '../close/freeze';
import { BilledWriter } from '../ledger/billed';
import { openLedger, openMemoryLedger } from '../ledger/db';
import { useSqliteBinding } from '../ledger/sqlite';
import { ensureRollupZone } from '../ledger/rollups';
import { UsageWriter } from '../ledger/usage';
import type { Core as DomainCore } from '../model/context';
import type { ProxyStatusView } from '../api/contract/proxy';
import { CoreEvents } from '../model/events';
import type { Fetch, Notifier, SecretStore } from '../model/ports';
import { silentNotifier } from '../notify/notifier';
import { afterZoneChange } from '../odometer/zone';
import { resolveHome } from '../paths';
import { createPriceCatalogue, type PriceCatalogue } from '../pricing/catalogue';
import { clockFromEnv, resolveTimeZone, type Clock } from '../time';

/**
 * The core as the composition root builds it: the domain's context (src/model/context.ts) plus
 * what only the transports' handlers use (the whole price catalogue, the writers' extra steps).
 * Domain code takes the narrower src/model Core; transports and main/ take this one.
 */
export interface Core extends DomainCore {
  readonly prices: PriceCatalogue;
  /** Long-running services this process runs, for the handlers that report on them (proxyStatus). */
  readonly services: { proxy?: { status(): ProxyStatusView } };
  readonly usage: UsageWriter;
  readonly billed: BilledWriter;
}

export interface CoreOptions {
  home?: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  timeZone?: string;
  notifier?: Notifier;
  secrets?: SecretStore | null;
  fetch?: Fetch;
  nativeBinding?: string;
  /** See OpenLedgerOptions.busyTimeoutMs. */
  busyTimeoutMs?: number;
  /** Use an in-memory ledger (tests). */
  memory?: boolean;
}

/** In-memory ledgers have no file name; each gets its own key (see Core.ledgerKey). */
let memoryLedgers = 0;

/**
 * Open the ledger and build everything a handler needs, once per process. Side effects (clock,
 * keychain, network, notifications) come in through `CoreOptions`, so tests pass real local
 * stand-ins and Electron passes its own. The budget engine is attached here and only here.
 */
export function openCore(options: CoreOptions = {}): Core {
  const env = options.env ?? process.env;
  const home = options.home ?? resolveHome(env);
  const clock = options.clock ?? clockFromEnv(env);
  const timeZone = options.timeZone ?? resolveTimeZone(env);
  // Before any connection opens: backups and restores open connections of their own (sqlite.ts).
  if (options.nativeBinding) useSqliteBinding(options.nativeBinding);
  const db = options.memory
    ? openMemoryLedger()
    : openLedger(home, {
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
        ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
      });
  const zoneChanged = ensureRollupZone(db, timeZone);
  const prices = createPriceCatalogue(db);
  const now = () => clock.now();
  const events = new CoreEvents();
  const spendListeners: Core['spendListeners'] = [];
  const core: Core = {
    db,
    home,
    ledgerKey: db.memory ? `memory:${++memoryLedgers}` : db.name,
    clock,
    timeZone,
    env,
    prices,
    usage: new UsageWriter(db, prices, timeZone, now),
    billed: new BilledWriter(db, timeZone, now),
    events,
    notifier: options.notifier ?? silentNotifier,
    secrets: options.secrets ?? null,
    fetch: options.fetch ?? globalThis.fetch,
    spendListeners,
    services: {},
    spendChanged(reason, touched = []) {
      for (const listener of spendListeners) listener(reason, touched);
      events.emit('statusChanged', { reason });
    },
    close() {
      if (db.open) db.close();
    },
  };
  spendListeners.push(budgetEngine(core)); // budget checks run on every write that changes spend
  spendListeners.push(adjustmentListener(core)); // a change to a closed month becomes a named adjustment
  if (zoneChanged) afterZoneChange(core);
  return core;
}

