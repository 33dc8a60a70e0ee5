import type { HandlersFor } from '../handler';
import type { budgetMethods } from '../contract/budget';

export const budgetHandlers: HandlersFor<typeof budgetMethods> = {};
