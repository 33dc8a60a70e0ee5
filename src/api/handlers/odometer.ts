import type { HandlersFor } from '../handler';
import type { odometerMethods } from '../contract/odometer';

export const odometerHandlers: HandlersFor<typeof odometerMethods> = {};
