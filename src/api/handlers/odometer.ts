import type { HandlersFor } from '../handler';
import type { odometerMethods } from '../contract/odometer';
import { listProviders, setProvider } from '../../odometer/providers';
import { addReading, addTopup, deleteReading, providerReadings } from '../../odometer/readings';
import { dismissReminder, listReminders, snoozeReminder, unsnoozeReminder } from '../../odometer/reminders';
import { previewSubscription } from '../../budget/subscription-preview';
import { addSubscription, listSubscriptions, removeSubscription } from '../../odometer/subscriptions';

// Thin: the rules live in src/odometer (docs/odometer.md).
export const odometerHandlers: HandlersFor<typeof odometerMethods> = {
  providers: (core) => listProviders(core),
  providerSet: (core, input) => setProvider(core, input),
  readingAdd: (core, input) => addReading(core, input),
  readings: (core, input) => providerReadings(core, input.provider),
  readingDelete: (core, input) => deleteReading(core, input.id),
  topup: (core, input) => addTopup(core, input),
  subscriptions: (core) => listSubscriptions(core),
  subscriptionAdd: (core, input) => addSubscription(core, input),
  subscriptionPreview: (core, input) => previewSubscription(core, input),
  subscriptionRemove: (core, input) => removeSubscription(core, input.id, input.purge),
  reminders: (core, input) => listReminders(core, { dismissed: input.dismissed }),
  reminderSnooze: (core, input) => snoozeReminder(core, input.id, input.hours),
  reminderUnsnooze: (core, input) => unsnoozeReminder(core, input.id),
  reminderDismiss: (core, input) => dismissReminder(core, input.id),
};
