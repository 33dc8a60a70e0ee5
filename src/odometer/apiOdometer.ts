import type { Core } from '../model/context';
import type { DayKey } from '../model/day-key';
import { formatUsdForPeople, type Nano } from '../money';
import { displayName } from '../providers/catalog';
import { SyncError } from '../sync/errors';
import { billingMonthOf } from './billing';
import { rederiveRows, toOdoReading } from './derive';
import { getAccount } from './modes';
import { findViolation } from './odometer';
import { listReadings } from './store';

/**
 * A month-to-date figure a provider's API reports on each sync (OpenRouter's usage_monthly for an
 * ordinary key) is an odometer read by the API: it becomes an odometer reading with origin 'api'
 * (external_ref api:<instant>, so a re-run adds nothing), and the provider's days are re-derived by
 * the same rule as Groq's typed-in readings. The month total therefore always equals the latest
 * figure; the first reading of a month is spread from the month's start, later ones over the time
 * since the reading before. Call inside the page's transaction; the caller reports `touched`.
 */
export function recordApiOdometer(
  core: Core,
  provider: string,
  reading: { amountNano: Nano; at: Date },
): { changed: boolean; touched: DayKey[] } {
  const db = core.db;
  const takenAt = reading.at.toISOString();
  const ref = `api:${takenAt}`;
  const existing = db
    .prepare("SELECT id, amount_nano, deleted_at FROM readings WHERE provider = ? AND account = 'default' AND external_ref = ?")
    .get(provider, ref) as { id: number; amount_nano: number; deleted_at: string | null } | undefined;
  // The same observation again, or one the user deleted: nothing to do.
  if (existing && (existing.amount_nano === reading.amountNano || existing.deleted_at !== null)) return { changed: false, touched: [] };
  const account = getAccount(db, provider);
  let id: number;
  if (existing) {
    db.prepare('UPDATE readings SET amount_nano = ? WHERE id = ?').run(reading.amountNano, existing.id);
    id = existing.id;
  } else {
    const info = db
      .prepare(
        `INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, origin, note, external_ref, created_at)
         VALUES (?, 'odometer', ?, ?, ?, 'api', 'month to date, from the provider API', ?, ?)`,
      )
      .run(provider, reading.amountNano, takenAt, billingMonthOf(reading.at.getTime(), account.billingTz), ref, core.clock.now().toISOString());
    id = Number(info.lastInsertRowid);
  }
  const violation = findViolation(listReadings(db, provider, ['odometer']).map(toOdoReading), id);
  if (violation) {
    const before = violation.kind === 'drop' ? violation.earlier.amount : null;
    throw new SyncError(
      'malformed',
      `${displayName(provider)} reported a month-to-date figure of ${formatUsdForPeople(reading.amountNano)} at ${takenAt}` +
        (before !== null ? `, below the ${formatUsdForPeople(before)} it reported earlier in the month` : ' that does not fit the readings already stored') +
        '; nothing from this answer was stored. If it keeps happening, check the figure in its console and delete the reading that is wrong from the provider’s readings.',
      { provider, retryable: false },
    );
  }
  return { changed: true, touched: rederiveRows(core, provider).touched };
}
