import type { Core } from '../core';

/** Deliver pending webhook notifications from the durable outbox, with backoff. */
export async function deliverOutbox(_core: Core): Promise<void> {
  // Filled by the budget work.
}
