import type { Core } from '../core';

/** Evaluate every budget rule and fire alerts that are due (once per threshold per period). */
export function runBudgetChecks(_core: Core): void {
  // Filled by the budget work.
}
