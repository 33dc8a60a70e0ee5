import type { Contract } from '../contract';
import type { HandlersFor } from '../handler';
import { coreHandlers } from './core';
import { budgetHandlers } from './budget';
import { odometerHandlers } from './odometer';
import { keysHandlers } from './keys';
import { reconcileHandlers } from './reconcile';
import { pricingHandlers } from './pricing';
import { settingsHandlers } from './settings';
import { backupHandlers } from './backup';
import { proxyHandlers } from './proxy';
import { usageEventHandlers } from './usage-events';

/** Every method's handler. A method of the contract without a handler does not compile. */
export const handlers: HandlersFor<Contract> = {
  ...coreHandlers,
  ...budgetHandlers,
  ...odometerHandlers,
  ...keysHandlers,
  ...reconcileHandlers,
  ...pricingHandlers,
  ...settingsHandlers,
  ...backupHandlers,
  ...proxyHandlers,
  ...usageEventHandlers,
};
