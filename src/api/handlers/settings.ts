import { readSettings, writeSettings, type AppSettings } from '../../settings';
import type { settingsMethods } from '../contract/settings';
import type { HandlersFor } from '../handler';

export const settingsHandlers: HandlersFor<typeof settingsMethods> = {
  settingsGet: (core) => readSettings(core.db),
  settingsSet: (core, input) => {
    const patch: Partial<AppSettings> = {
      ...(input.syncIntervalMinutes !== undefined ? { syncIntervalMinutes: input.syncIntervalMinutes } : {}),
      ...(input.notificationsPaused !== undefined ? { notificationsPaused: input.notificationsPaused } : {}),
      ...(input.startAtLogin !== undefined ? { startAtLogin: input.startAtLogin } : {}),
      ...(input.proxyEnabled !== undefined ? { proxyEnabled: input.proxyEnabled } : {}),
      ...(input.proxyPort !== undefined ? { proxyPort: input.proxyPort } : {}),
      ...(input.driftThresholdPct !== undefined ? { driftThresholdBp: Math.round(input.driftThresholdPct * 100) } : {}),
    };
    const settings = writeSettings(core.db, patch, core.clock.now());
    core.events.emit('statusChanged', { reason: 'settings' });
    return settings;
  },
};
