export { reconcile, reconcileIfDue, defaultWindow, DEFAULT_WINDOW_DAYS, type RunOutcome } from './run';
export { accuracy, driftAttention, driftThresholdBp, percentText, DRIFT_THRESHOLD_KEY, DEFAULT_DRIFT_THRESHOLD_BP } from './accuracy';
export { reconcileDays, totalsOf, type ReconciledDay, type DriftTotals } from './compute';
