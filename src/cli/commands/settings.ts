import type { SettingsView } from '../../api/contract/settings';
import { defined, runMethod, type Register } from '../context';

function formatSettings(s: SettingsView): string {
  return [
    `sync interval        ${s.syncIntervalMinutes} minutes`,
    `notifications       ${s.notificationsPaused ? 'paused' : 'on'}`,
    `start at login      ${s.startAtLogin ? 'yes' : 'no'}`,
    `drift threshold     ${(s.driftThresholdBp / 100).toFixed(2)} %`,
    `metering proxy      ${s.proxyEnabled ? 'started with serve and the app' : 'off'}`,
    `proxy port          ${s.proxyPort === null ? 'default (4318)' : s.proxyPort === 0 ? 'any free port' : s.proxyPort}`,
  ].join('\n');
}

const bool = (v: string): boolean => {
  if (/^(on|yes|true|1)$/i.test(v)) return true;
  if (/^(off|no|false|0)$/i.test(v)) return false;
  throw new Error(`"${v}" is not on or off.`);
};

export const registerSettings: Register = (program, ctx) => {
  const settings = program.command('settings').description('show or change app settings');
  settings
    .command('show', { isDefault: true })
    .description('show the settings')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await runMethod(ctx, 'settingsGet', {}, opts, formatSettings);
    });
  settings
    .command('set')
    .description('change settings')
    .option('--sync-interval <minutes>', 'default minutes between provider syncs')
    .option('--notifications <on|off>', 'pause or resume notifications', bool)
    .option('--start-at-login <on|off>', 'start the tray app at login', bool)
    .option('--drift-threshold <percent>', 'drift that needs attention, in percent')
    .option('--proxy <on|off>', 'start the metering proxy with serve and the tray app', bool)
    .option('--proxy-port <port>', "the metering proxy's port (1024-65535, 0: any free port); BURNRATE_PROXY_PORT overrides it")
    .option('--json', 'print one JSON document')
    .action(async (opts: { syncInterval?: string; notifications?: boolean; startAtLogin?: boolean; driftThreshold?: string; proxy?: boolean; proxyPort?: string; json?: boolean }) => {
      const input = defined({
        syncIntervalMinutes: opts.syncInterval,
        notificationsPaused: opts.notifications === undefined ? undefined : !opts.notifications,
        startAtLogin: opts.startAtLogin,
        driftThresholdPct: opts.driftThreshold,
        proxyEnabled: opts.proxy,
        proxyPort: opts.proxyPort,
      });
      await runMethod(ctx, 'settingsSet', input, opts, formatSettings);
    });
};
