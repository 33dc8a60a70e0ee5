import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Burnrate';

/**
 * Where data lives: BURNRATE_HOME, else the platform's app-data folder, the same one Electron's
 * app.getPath('userData') gives the desktop app (so the CLI and the tray app share one ledger).
 */
export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BURNRATE_HOME) return path.resolve(env.BURNRATE_HOME);
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
  }
}
