import type { HandlersFor } from '../handler';
import type { settingsMethods } from '../contract/settings';

export const settingsHandlers: HandlersFor<typeof settingsMethods> = {};
