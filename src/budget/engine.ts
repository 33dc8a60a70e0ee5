import type { Core, SpendListener } from '../model/context';
import { runBudgetChecks } from './checks';

/**
 * The budget engine: a spend listener that runs the budget checks after every write that changes
 * spend (core.spendChanged). src/app/open.ts attaches it once per core. A failing check never
 * fails the write that triggered it (the write has committed already); it is reported on stderr
 * and the next check (schedule or write) tries again. A failure that repeats (another process
 * holding the ledger while the proxy announces twice a second) is said once, and its end once.
 */
export function budgetEngine(core: Core, say: (line: string) => void = (line) => process.stderr.write(line + '\n')): SpendListener {
  let failing: string | null = null;
  return () => {
    if (!core.db.open) return;
    try {
      runBudgetChecks(core);
      if (failing !== null) say('[burnrate] budget checks run again.');
      failing = null;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (why !== failing) say(`[burnrate] budget checks failed: ${why}. They are tried again at the next write and on schedule; this is said again only if the reason changes.`);
      failing = why;
    }
  };
}
