import type { Core } from '../core';

/** Run reconciliation when the last run is older than 24 hours (start-up catch-up and daily job). */
export function reconcileIfDue(_core: Core): void {
  // Filled by the reconciliation work.
}
