import type { Clock } from '../time';
import type { DayKey } from './day-key';
import type { CoreEvents } from './events';
import type { BilledLedger, UsageLedger } from './ledger';
import type { Fetch, LedgerDb, Notifier, SecretStore } from './ports';

/** Reacts to a write that changed spend, e.g. the budget engine re-checking the touched days. */
export type SpendListener = (reason: string, touched: readonly DayKey[]) => void;

/**
 * What every domain function takes: the ledger, its writers and the ports, opened once per
 * process. A type only: src/app/open.ts builds it (openCore), so domain code never imports the
 * composition root and the composition root may import any domain module.
 */
export interface Core {
  readonly db: LedgerDb;
  /** The folder of the ledger file (BURNRATE_HOME). */
  readonly home: string;
  /**
   * Names this ledger among the cores of this process: its file, or a unique name for an
   * in-memory ledger. Per-ledger locks key on it (a sync runs once per ledger and provider).
   */
  readonly ledgerKey: string;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly env: NodeJS.ProcessEnv;
  readonly usage: UsageLedger;
  readonly billed: BilledLedger;
  readonly events: CoreEvents;
  readonly notifier: Notifier;
  readonly secrets: SecretStore | null;
  readonly fetch: Fetch;
  /** Called by every write that changes spend; runs the listeners (budget checks) and tells clients. */
  spendChanged(reason: string, touched?: readonly DayKey[]): void;
  /** Hooks that react to spend changes (the budget engine registers here). */
  readonly spendListeners: SpendListener[];
  close(): void;
}
