import { EVENT_NAMES, type ContractEvents } from '../../src/api/contract/events';
import type { ApiErrorBody } from '../../src/api/errors';
import type { Route } from '../../renderer/src/routes';

/**
 * The two IPC channels between main and our pages. Every contract method goes through CALL
 * (invoke: method name + input → IpcReply); every push goes through EVENT (name + payload).
 * Shared by main/lib/ipc-gateway.ts and main/lib/bridge-api.ts so the names cannot drift.
 */
export const CALL_CHANNEL = 'burnrate:call';
export const EVENT_CHANNEL = 'burnrate:event';

/** What CALL answers: the result, or the contract's plain error body. Never an Error object. */
export type IpcReply<R = unknown> = { result: R } | ApiErrorBody;

/** Events a page can subscribe to: the contract's pushes plus the shell's `navigate` (a renderer Route). */
export interface DesktopEvents extends ContractEvents {
  navigate: Route;
}
export type DesktopEventName = keyof DesktopEvents;

/** The contract's event names (src/model/event-names.ts, the one list) plus the shell's own. */
export const DESKTOP_EVENT_NAMES = [...EVENT_NAMES, 'navigate'] as const satisfies readonly DesktopEventName[];
type AssertCoverage<T extends readonly DesktopEventName[]> = Exclude<DesktopEventName, T[number]> extends never ? true : never;
export const desktopEventCoverage: AssertCoverage<typeof DESKTOP_EVENT_NAMES> = true;

export function isDesktopEventName(name: unknown): name is DesktopEventName {
  return typeof name === 'string' && (DESKTOP_EVENT_NAMES as readonly string[]).includes(name);
}
