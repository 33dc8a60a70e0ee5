import { ipcMain } from 'electron';
import { installIpcGateway, type Gateway, type GatewayOptions } from './lib/ipc-gateway';

/**
 * The only file that touches ipcMain (lint enforces it). All logic lives in main/lib/ipc-gateway.ts,
 * which is tested with a structural stand-in for ipcMain.
 */
export function installIpc(options: Omit<GatewayOptions, 'ipcMain'>): Gateway {
  return installIpcGateway({ ...options, ipcMain });
}
