import type { HandlersFor } from '../handler';
import type { reconcileMethods } from '../contract/reconcile';

export const reconcileHandlers: HandlersFor<typeof reconcileMethods> = {};
