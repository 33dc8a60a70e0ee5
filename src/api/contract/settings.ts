import { z } from '../../model/zod';
import type { AppSettings } from '../../settings';
import { method } from '../define';
import { noFields } from '../schemas';

export type SettingsView = AppSettings;

export const settingsMethods = {
  settingsGet: method<SettingsView>()({
    kind: 'read',
    description: "The app settings: sync interval, paused notifications, start at login, drift threshold, the metering proxy's switch and port.",
    input: noFields,
  }),
  settingsSet: method<SettingsView>()({
    kind: 'write',
    description: 'Change some settings; the others keep their values.',
    input: () => z
      .object({
        syncIntervalMinutes: z.coerce.number().int().min(5, 'must be at least 5 minutes').max(24 * 60, 'must be at most a day').optional(),
        notificationsPaused: z.boolean().optional(),
        startAtLogin: z.boolean().optional(),
        proxyEnabled: z.boolean().optional(),
        proxyPort: z.coerce
          .number({ message: 'must be a port number' })
          .int('must be a whole number')
          .refine((p) => p === 0 || (p >= 1024 && p <= 65535), 'must be 1024 to 65535, or 0 for any free port')
          .optional(),
        driftThresholdPct: z.coerce.number().min(0, 'must be 0 to 100').max(100, 'must be 0 to 100').optional(),
      })
      .strict(),
  }),
};
