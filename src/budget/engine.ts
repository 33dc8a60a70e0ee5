import type { Core, SpendListener } from '../model/context';
import { runBudgetChecks } from './checks';

/**
 * The budget engine: a spend listener that runs the budget checks after every write that changes
 * spend (core.spendChanged). src/app/open.ts attaches it once per core. A failing check never
 * fails the write that triggered it (the write has committed already); it is reported on stderr
 * and the next check (schedule or write) tries again.
 */
export function budgetEngine(core: Core): SpendListener {
  return () => {
    if (!core.db.open) return;
    try {
      runBudgetChecks(core);
    } catch (error) {
      process.stderr.write(`[burnrate] budget checks failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
}
