import type { HandlersFor } from '../handler';
import type { keysMethods } from '../contract/keys';

export const keysHandlers: HandlersFor<typeof keysMethods> = {};
