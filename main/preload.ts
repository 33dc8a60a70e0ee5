import { contextBridge, ipcRenderer } from 'electron';
import type { PreloadBridge } from '../renderer/src/api/types';
import { createBridgeApi } from './lib/bridge-api';

/**
 * Exposes ONE frozen object to our pages as window.burnrate: { transport: 'ipc', call, on }.
 * Never ipcRenderer, never the IPC event (Electron checklist item 20). Runs sandboxed.
 */
// `satisfies`: the object is what the renderer's client is typed against, method by method.
const api = createBridgeApi(ipcRenderer) satisfies PreloadBridge;
contextBridge.exposeInMainWorld('burnrate', api);

/** The renderer's type of window.burnrate (same as BurnrateApi in main/lib/bridge-api.ts). */
export type BurnrateDesktopApi = typeof api;
