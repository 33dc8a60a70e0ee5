import type { KeychainTrouble } from './ports';
import type { AlertView, Reminder } from './views';

/**
 * THE list of pushes from the core to every client (IPC events, server-sent events, MCP
 * notifications). src/api/contract re-exports it; main/ adds only its own 'navigate'.
 */
export interface ContractEvents {
  /** Something that status shows changed; clients re-read status. */
  statusChanged: { reason: string };
  alertFired: AlertView;
  reminderDue: Reminder;
  /** `message` names no command; `keychainTrouble`: the key could not be read from the keychain, what the user can put right. */
  syncFinished: { provider: string; outcome: 'ok' | 'error'; rows: number; message: string; keychainTrouble?: KeychainTrouble };
}

export type EventName = keyof ContractEvents;

/** Runtime list of event names, checked complete against ContractEvents at compile time. */
export const EVENT_NAMES = ['statusChanged', 'alertFired', 'reminderDue', 'syncFinished'] as const satisfies readonly EventName[];
type AssertEventCoverage<T extends readonly EventName[]> = Exclude<EventName, T[number]> extends never ? true : never;
export const eventCoverage: AssertEventCoverage<typeof EVENT_NAMES> = true;
