import { recordProviderOrg } from '../ledger/provider-orgs';
import type { Core } from '../model/context';
import type { DayKey } from '../model/day-key';
import type { SyncPage } from '../providers/types';
import { recordApiOdometer } from '../odometer/apiOdometer';
import { malformedError } from './errors';
import { recordBalanceObservation } from './balances';
import { recordFigures } from './figures';
import { replaceUnreadable } from './unreadable';

export interface PageOutcome {
  rows: number;
  changed: number;
  /** A balance observation not seen before was stored. */
  newBalance: boolean;
  /** Rows of the answer kept aside as unreadable (src/sync/unreadable.ts). */
  unreadable: number;
  touched: DayKey[];
}

/**
 * Refuse a page that would write another provider's rows or an amount that is not an exact
 * integer of nano-USD: a client bug must not corrupt the ledger.
 */
export function checkPage(provider: string, page: SyncPage): void {
  const wrong = (what: string) => malformedError(provider, 'a usable billing answer', `client produced ${what}`);
  for (const row of page.billed ?? []) {
    if (row.provider !== provider) throw wrong(`a billed row for "${row.provider}"`);
    if (!Number.isSafeInteger(row.amountNano)) throw wrong('a billed amount that is not whole nano-USD');
    if (!row.externalId) throw wrong('a billed row without an id');
    if (Number.isNaN(row.bucketStart.getTime()) || Number.isNaN(row.bucketEnd.getTime())) throw wrong('a billed row without valid bucket times');
  }
  for (const row of page.usage ?? []) {
    if (row.provider !== provider) throw wrong(`a usage row for "${row.provider}"`);
    if (!row.externalId) throw wrong('a usage row without an id (a re-sync would duplicate it)');
    if (row.costNano !== undefined && !Number.isSafeInteger(row.costNano)) throw wrong('a usage cost that is not whole nano-USD');
    if (Number.isNaN(row.occurredAt.getTime())) throw wrong('a usage row without a valid time');
  }
  if (page.balance && !Number.isSafeInteger(page.balance.amountNano)) throw wrong('a balance that is not whole nano-USD');
  if (page.odometer && !(Number.isSafeInteger(page.odometer.amountNano) && page.odometer.amountNano >= 0)) {
    throw wrong('a month-to-date figure that is not whole, non-negative nano-USD');
  }
  for (const f of page.figures ?? []) if (!Number.isSafeInteger(f.amountNano)) throw wrong('a figure that is not whole nano-USD');
}

/**
 * Write one page in ONE transaction: its billed buckets, usage rows and balance observation land
 * together or not at all (the writers' own transactions nest as savepoints). Upserts by external
 * id make a re-run of the same page change nothing.
 */
export function writePage(core: Core, provider: string, page: SyncPage, runId: number): PageOutcome {
  checkPage(provider, page);
  return core.db.transaction((): PageOutcome => {
    const out: PageOutcome = { rows: 0, changed: 0, newBalance: false, unreadable: page.unreadable?.rows.length ?? 0, touched: [] };
    if (page.retireBilled?.length) {
      const r = core.billed.remove(provider, page.retireBilled);
      out.changed += r.removed;
      out.touched.push(...r.touched);
    }
    if (page.billed?.length) {
      const r = core.billed.write(page.billed);
      out.rows += page.billed.length;
      out.changed += r.inserted + r.updated;
      out.touched.push(...r.touched);
    }
    if (page.usage?.length) {
      const r = core.usage.write(page.usage);
      out.rows += page.usage.length;
      out.changed += r.inserted + r.updated;
      out.touched.push(...r.touched);
    }
    if (page.balance) {
      const b = recordBalanceObservation(core, provider, page.balance, runId);
      out.rows += 1;
      if (b.changed) {
        out.changed += 1;
        out.newBalance = true;
      }
      out.touched.push(...b.touched);
    }
    if (page.odometer) {
      const o = recordApiOdometer(core, provider, page.odometer);
      out.rows += 1;
      if (o.changed) out.changed += 1;
      out.touched.push(...o.touched);
    }
    // What the provider says about whose key this is: not a ledger row, nothing counted changes.
    if (page.organization) recordProviderOrg(core.db, provider, page.organization, core.clock.now());
    if (page.figures?.length && recordFigures(core.db, provider, page.figures, runId).changed) out.changed += page.figures.length;
    // Kept-aside rows are not ledger rows: they change nothing counted, so they are not in `changed`.
    if (page.unreadable) replaceUnreadable(core.db, provider, page.unreadable, runId, core.clock.now());
    return out;
  })();
}
