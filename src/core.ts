import type { Database } from 'better-sqlite3';
import { attachBudgetEngine } from './budget/engine';
import { CoreEvents } from './events';
import { rederiveAfterZoneChange } from './odometer/derive';
import { catchUpSubscriptions } from './odometer/subscriptions';
import { BilledWriter } from './ledger/billed';
import { openLedger, openMemoryLedger } from './ledger/db';
import { rebuildRollups } from './ledger/rollups';
import { LedgerError } from './ledger/errors';
import { getSetting, setSetting } from './ledger/settings';
import { UsageWriter } from './ledger/usage';
import { silentNotifier, type Notifier } from './notify/notifier';
import { resolveHome } from './paths';
import { createPriceCatalogue, type PriceCatalogue } from './pricing/catalogue';
import type { SecretStore } from './secrets/store';
import { clockFromEnv, resolveTimeZone, type Clock } from './time';

/**
 * Everything a handler needs, opened once per process. Side effects (clock, keychain, network,
 * notifications) come in through `CoreOptions`, so tests pass real local stand-ins and Electron
 * passes its own.
 */
export interface Core {
  readonly db: Database;
  readonly home: string;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly env: NodeJS.ProcessEnv;
  readonly prices: PriceCatalogue;
  readonly usage: UsageWriter;
  readonly billed: BilledWriter;
  readonly events: CoreEvents;
  readonly notifier: Notifier;
  readonly secrets: SecretStore | null;
  readonly fetch: typeof fetch;
  /** Called by every write that changes spend; runs budget checks and tells clients. */
  spendChanged(reason: string, touched?: readonly { localDay: string; provider: string }[]): void;
  /** Hooks that react to spend changes (the budget engine registers here). */
  readonly spendListeners: ((reason: string, touched: readonly { localDay: string; provider: string }[]) => void)[];
  close(): void;
}

export interface CoreOptions {
  home?: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  timeZone?: string;
  notifier?: Notifier;
  secrets?: SecretStore | null;
  fetch?: typeof fetch;
  nativeBinding?: string;
  /** Use an in-memory ledger (tests). */
  memory?: boolean;
}

export function openCore(options: CoreOptions = {}): Core {
  const env = options.env ?? process.env;
  const home = options.home ?? resolveHome(env);
  const clock = options.clock ?? clockFromEnv(env);
  const timeZone = options.timeZone ?? resolveTimeZone(env);
  const db = options.memory ? openMemoryLedger() : openLedger(home, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const zoneChanged = ensureRollupZone(db, timeZone);
  const prices = createPriceCatalogue(db);
  const now = () => clock.now();
  const events = new CoreEvents();
  const spendListeners: Core['spendListeners'] = [];
  const core: Core = {
    db,
    home,
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
    spendChanged(reason, touched = []) {
      for (const listener of spendListeners) listener(reason, touched);
      events.emit('statusChanged', { reason });
    },
    close() {
      if (db.open) db.close();
    },
  };
  attachBudgetEngine(core); // budget checks run on every write that changes spend
  if (zoneChanged) {
    // Rows derived from readings and subscriptions were split over the old zone's days.
    rederiveAfterZoneChange(core);
    catchUpSubscriptions(core, { force: true });
  }
  return core;
}

/**
 * Local days are stored with each row for fast rollups. When the user's zone changes (travel, a
 * new TZ), every stored day and rollup is recomputed once, in one transaction.
 */
function ensureRollupZone(db: Database, timeZone: string): boolean {
  const stored = getSetting<string | null>(db, 'rollup_tz', null);
  if (stored === timeZone) return false; // nothing to write: opening changes no byte of the file
  if (db.readonly) {
    throw new LedgerError(
      'not_writable',
      `The ledger is read-only and its days were filed in the time zone ${stored ?? '(none yet)'}, not ${timeZone}; run Burnrate with TZ=${stored ?? timeZone}, or open the ledger once where it is writable.`,
    );
  }
  if (stored !== null) rebuildRollups(db, timeZone);
  setSetting(db, 'rollup_tz', timeZone);
  return stored !== null;
}
