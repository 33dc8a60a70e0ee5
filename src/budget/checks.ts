import type { AlertView } from '../model/views';
import type { Core } from '../model/context';
import type { Notice } from '../notify/notifier';
import { storeAlerts } from './alerts';
import { dueAlerts } from './rules';
import { budgetSnapshot, type BudgetSnapshot } from './snapshot';

export interface CheckResult {
  /** Alerts that fired in this run (each fires once per threshold per period). */
  fired: AlertView[];
  snapshot: BudgetSnapshot;
}

const TITLES: Record<string, string> = {
  day: 'Daily budget',
  month: 'Monthly budget',
  cap: 'Provider cap',
  project: 'Project cap',
  forecast: 'Monthly forecast',
};

export function noticeOf(alert: AlertView): Notice {
  const family = alert.rule.split('_')[0] ?? '';
  return {
    kind: 'alert',
    title: `Burnrate: ${TITLES[family] ?? 'Budget'}`,
    body: alert.message,
    target: { view: 'alerts', alertId: alert.id, ...(alert.provider ? { provider: alert.provider } : {}) },
  };
}

/**
 * Evaluate every budget rule and fire the alerts that are due (once per threshold per period).
 * Safe to run as often as you like: from every spend change, the 15-minute schedule and on start.
 * A notifier that fails never undoes or repeats an alert; webhooks go through the outbox.
 */
export function runBudgetChecks(core: Core): CheckResult {
  const snapshot = budgetSnapshot(core);
  const fired = storeAlerts(core.db, dueAlerts(snapshot), snapshot.now);
  for (const alert of fired) {
    core.events.emit('alertFired', alert);
    try {
      // notify() may return a promise (Electron) or anything else (a log line): never let it throw here.
      Promise.resolve(core.notifier.notify(noticeOf(alert))).catch((error: unknown) => reportNotifierError(error));
    } catch (error) {
      reportNotifierError(error);
    }
  }
  return { fired, snapshot };
}

function reportNotifierError(error: unknown): void {
  process.stderr.write(`[burnrate] could not show a notification: ${error instanceof Error ? error.message : String(error)}\n`);
}
