import type { Core } from '../model/context';
import { rederiveAfterZoneChange } from './derive';
import { catchUpSubscriptions } from './subscriptions';

/**
 * After the ledger's days were filed again in another zone (ensureRollupZone: opening the core in a
 * new zone, or restoring a backup filed in another), the rows derived from readings and
 * subscriptions were split over the old zone's days: derive them again.
 */
export function afterZoneChange(core: Core): void {
  rederiveAfterZoneChange(core);
  catchUpSubscriptions(core, { force: true });
}
