import fs from 'node:fs';
import path from 'node:path';

/**
 * "Start at login". macOS and Windows: Electron's app.setLoginItemSettings. Linux has no such
 * API in Electron, so we write (or remove) an XDG autostart entry, ~/.config/autostart/burnrate.desktop,
 * launching the AppImage when running from one (its path is $APPIMAGE) or else the executable.
 */

export interface LoginItemInput {
  openAtLogin: boolean;
  platform: NodeJS.Platform;
  /** process.execPath */
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** Electron's app.setLoginItemSettings (macOS, Windows). */
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

export const AUTOSTART_FILE = 'burnrate.desktop';

export function autostartDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homeDir, '.config'), 'autostart');
}

/** Quote an Exec= argument per the Desktop Entry spec. */
function quoteExec(arg: string): string {
  if (/^[A-Za-z0-9_\-./]+$/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Burnrate',
    'Comment=AI spend in the tray',
    `Exec=${quoteExec(executable)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function applyLoginItem(input: LoginItemInput, homeDir: string): void {
  if (input.platform !== 'linux') {
    input.setLoginItemSettings({ openAtLogin: input.openAtLogin });
    return;
  }
  const file = path.join(autostartDir(input.env, homeDir), AUTOSTART_FILE);
  if (input.openAtLogin) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, autostartEntry(input.env.APPIMAGE || input.execPath));
  } else {
    fs.rmSync(file, { force: true });
  }
}
