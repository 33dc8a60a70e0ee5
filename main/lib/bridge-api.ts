import type { Contract, InputOf, MethodName, ResultOf } from '../../src/api/contract';
import type { ApiErrorBody } from '../../src/api/errors';
import { CALL_CHANNEL, EVENT_CHANNEL, isDesktopEventName, type DesktopEventName, type DesktopEvents } from './ipc-channels';

/**
 * The object the preload exposes as `window.burnrate`: a transport tag, one verb to call any
 * contract method, one to subscribe to events. It never hands out ipcRenderer, the IPC event
 * object or anything of Node. Written against a structural IpcRendererLike so tests drive it
 * against the real gateway; main/preload.ts passes Electron's ipcRenderer.
 *
 * `call` resolves with the method's result, or rejects with the contract's plain error body
 * `{ error: { code, message } }` (the same shape the HTTP transport sends), because Error objects
 * lose their fields when they cross contextBridge.
 */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value;
}

export function createBridgeApi(ipc: IpcRendererLike) {
  return Object.freeze({
    transport: 'ipc' as const,

    async call<K extends MethodName>(method: K, input?: InputOf<Contract[K]>): Promise<ResultOf<Contract[K]>> {
      const reply = await ipc.invoke(CALL_CHANNEL, method, input ?? {});
      if (isErrorBody(reply)) throw { error: reply.error } satisfies ApiErrorBody;
      if (typeof reply !== 'object' || reply === null || !('result' in reply)) {
        throw { error: { code: 'internal', reason: 'unreadable_reply', message: 'Burnrate sent a reply this window cannot read; restart the app.' } } satisfies ApiErrorBody;
      }
      return (reply as { result: ResultOf<Contract[K]> }).result;
    },

    /** Subscribe to one event; returns the unsubscribe function. */
    on<K extends DesktopEventName>(name: K, callback: (payload: DesktopEvents[K]) => void): () => void {
      if (!isDesktopEventName(name)) throw new TypeError(`There is no event named "${String(name)}".`);
      const listener = (_event: unknown, ...args: unknown[]) => {
        if (args[0] === name) callback(args[1] as DesktopEvents[K]);
      };
      ipc.on(EVENT_CHANNEL, listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(EVENT_CHANNEL, listener);
      };
    },
  });
}

/** The type of `window.burnrate` in Electron; the renderer derives its client's type from it. */
export type BurnrateApi = ReturnType<typeof createBridgeApi>;
