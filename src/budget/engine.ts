import type { Core } from '../core';
import { runBudgetChecks } from './checks';

const attached = new WeakMap<Core, () => void>();

/**
 * Run the budget checks after every write that changes spend (core.spendChanged). Idempotent: a
 * second call on the same core returns the same detach function and registers nothing new.
 * A failing check never fails the write that triggered it (the write has committed already); it is
 * reported on stderr and the next check (schedule or write) tries again.
 */
export function attachBudgetEngine(core: Core): () => void {
  const existing = attached.get(core);
  if (existing) return existing;
  const listener = () => {
    if (!core.db.open) return;
    try {
      runBudgetChecks(core);
    } catch (error) {
      process.stderr.write(`[burnrate] budget checks failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  core.spendListeners.push(listener);
  const detach = () => {
    const i = core.spendListeners.indexOf(listener);
    if (i >= 0) core.spendListeners.splice(i, 1);
    attached.delete(core);
  };
  attached.set(core, detach);
  return detach;
}
