import type { HandlersFor } from '../handler';
import type { pricingMethods } from '../contract/pricing';

export const pricingHandlers: HandlersFor<typeof pricingMethods> = {};
