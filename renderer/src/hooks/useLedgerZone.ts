import { useCall } from './useCall';

/**
 * The ledger's zone (status' timezone), in which every instant is shown (format/time.ts), so that a
 * reading's "Taken" and a reminder's "Snoozed until" on one screen read on one clock. Undefined
 * until the status answers: meanwhile the viewer's zone, the same one where the app runs.
 */
export function useLedgerZone(): string | undefined {
  return useCall('status', {}, { refreshOn: [] }).data?.timezone;
}
