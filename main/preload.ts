import { contextBridge, ipcRenderer } from 'electron';
import { createBridgeApi } from './lib/bridge-api';

/**
 * Exposes ONE frozen object to our pages as window.burnrate: { transport: 'ipc', call, on }.
 * Never ipcRenderer, never the IPC event (Electron checklist item 20). Runs sandboxed.
 */
const api = createBridgeApi(ipcRenderer);
contextBridge.exposeInMainWorld('burnrate', api);

/** The renderer's type of window.burnrate (same as BurnrateApi in main/lib/bridge-api.ts). */
export type BurnrateDesktopApi = typeof api;
