import { toCallError } from './errors';
import type { ApiClient, ClientEventName, ClientEvents, PreloadBridge } from './types';

/** Electron: the preload's `window.burnrate` object, with its plain error bodies turned into CallErrors. */
export function createIpcClient(bridge: PreloadBridge): ApiClient {
  return {
    transport: 'ipc',
    async call(method, input) {
      try {
        return await bridge.call(method, input);
      } catch (error) {
        throw toCallError(error);
      }
    },
    on<E extends ClientEventName>(name: E, callback: (payload: ClientEvents[E]) => void) {
      return bridge.on(name, callback);
    },
    // Served by the app's own protocol (main/app-protocol.ts), relative to this page's app:// origin.
    backupFileUrl: (name) => `/backups/${encodeURIComponent(name)}`,
    onLive(callback) {
      // IPC is in-process: there is no connection to lose.
      callback('live');
      return () => undefined;
    },
  };
}
