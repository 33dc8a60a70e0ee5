import type { MethodName } from './types';

/**
 * GET or POST for every contract method. A Record over MethodName, so the compiler refuses this
 * file until a new method has its entry (and refuses entries for methods that are gone); a unit
 * test checks each kind against the contract itself.
 */
export const METHOD_KIND: Record<MethodName, 'read' | 'write'> = {
  // core
  status: 'read',
  record: 'write',
  export: 'read',
  history: 'read',
  series: 'read',
  spendSummary: 'read',
  // budget and alerts
  budgetShow: 'read',
  budgetSet: 'write',
  alerts: 'read',
  alertAck: 'write',
  channels: 'read',
  channelAdd: 'write',
  channelRemove: 'write',
  channelTest: 'write',
  // odometer, balance, subscriptions, reminders
  providers: 'read',
  providerSet: 'write',
  readingAdd: 'write',
  readings: 'read',
  readingDelete: 'write',
  topup: 'write',
  subscriptions: 'read',
  subscriptionAdd: 'write',
  subscriptionRemove: 'write',
  reminders: 'read',
  reminderSnooze: 'write',
  reminderDismiss: 'write',
  // keys and sync
  keysList: 'read',
  keysSet: 'write',
  keysDelete: 'write',
  keysTest: 'read',
  sync: 'write',
  syncRuns: 'read',
  // reconciliation
  reconcile: 'write',
  accuracy: 'read',
  // pricing
  prices: 'read',
  priceSet: 'write',
  priceRemove: 'write',
  // settings
  settingsGet: 'read',
  settingsSet: 'write',
  // backups
  backupCreate: 'write',
  backupList: 'read',
};
