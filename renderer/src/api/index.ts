import { createHttpClient } from './http';
import { createIpcClient } from './ipc';
import type { ApiClient, PreloadBridge } from './types';

export { CallError, NEEDS_TOKEN_MESSAGE, toCallError } from './errors';
export type { ErrorFix } from './remedies';
export { METHOD_KIND } from './kinds';
export type * from './types';

function isBridge(value: unknown): value is PreloadBridge {
  return typeof value === 'object' && value !== null && typeof (value as PreloadBridge).call === 'function' && typeof (value as PreloadBridge).on === 'function';
}

/**
 * Chosen once at start-up: the preload's object when the page runs in Electron (it exposes
 * window.burnrate), else HTTP + server-sent events against the server that served the page.
 */
export function createClient(win: { burnrate?: unknown } = window as unknown as { burnrate?: unknown }): ApiClient {
  if (isBridge(win.burnrate)) return createIpcClient(win.burnrate);
  return createHttpClient();
}
