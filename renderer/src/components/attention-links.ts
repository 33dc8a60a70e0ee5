import type { AttentionItem, ProviderStatus, Reminder } from '../../../src/api/contract';
import { monthName } from '../format/time';
import type { Route } from '../routes';

/** A link to where something is fixed: the route and the words on it. */
export interface FixLink {
  to: Route;
  label: string;
}

const inWindow = (view: Extract<Route, { surface: 'window' }>['view'], extra: Omit<Extract<Route, { surface: 'window' }>, 'surface' | 'view'> = {}): Route => ({
  surface: 'window',
  view,
  ...extra,
});

/**
 * Where each "needs attention" item is fixed (pure, so it is tested without a page): a cap opens
 * that cap, unpriced usage its price, a month without a final figure the final-figure form, a low
 * balance the top-up form. Reminders carry their month only in the status's reminder list, so the
 * matching reminder is looked up there.
 */
export function attentionFix(item: AttentionItem, reminders: readonly Reminder[] = []): FixLink | null {
  const provider = item.provider ? { provider: item.provider } : {};
  switch (item.kind) {
    case 'budget_day':
    case 'budget_month':
    case 'forecast':
      return { to: inWindow('budgets'), label: 'Review budgets' };
    case 'cap':
      return { to: inWindow('budgets', { ...provider, action: 'cap' }), label: 'Open the cap' };
    case 'project_cap':
      return { to: inWindow('budgets'), label: 'Review project caps' };
    case 'runway':
      return { to: inWindow('readings', { ...provider, action: 'topup' }), label: 'Record a top-up' };
    case 'unpriced':
      return { to: inWindow('prices', { ...provider, action: 'price' }), label: 'Set a price' };
    case 'stale':
    case 'sync_failed':
    case 'sync_pending':
    case 'unreadable':
      return { to: inWindow('accounts', provider), label: item.kind === 'sync_failed' ? 'Check the key' : 'Open the account' };
    case 'notifications':
      return { to: inWindow('settings'), label: 'Check the channel' };
    case 'drift':
      return { to: inWindow('reconcile', provider), label: 'Reconcile' };
    case 'reminder_month_final': {
      const reminder = reminders.find((r) => r.kind === 'month_final' && r.provider === item.provider);
      const month = reminder?.period;
      return {
        to: inWindow('readings', { ...provider, action: 'final', ...(month ? { month } : {}) }),
        label: month ? `Enter ${monthName(month)}'s final figure` : 'Enter the final figure',
      };
    }
    case 'reminder_month_end':
    case 'reminder_stale_reading':
      return { to: inWindow('readings', provider), label: 'Enter a reading' };
    default:
      return null;
  }
}

/**
 * Where a provider's figures come from, and so where they are put right: its key (billing API),
 * its readings (odometer, balance), its subscription, or records typed by hand.
 */
export function providerFix(p: Pick<ProviderStatus, 'provider' | 'mode' | 'unpricedEvents'>): FixLink {
  if (p.unpricedEvents > 0) return { to: inWindow('prices', { provider: p.provider, action: 'price' }), label: 'Set a price' };
  switch (p.mode) {
    case 'api':
      return { to: inWindow('accounts', { provider: p.provider }), label: 'Open the account' };
    case 'odometer':
    case 'balance':
      return { to: inWindow('readings', { provider: p.provider }), label: 'Enter a reading' };
    case 'subscription':
      return { to: inWindow('readings', { provider: p.provider, action: 'subscription' }), label: 'Open the subscription' };
    default:
      return { to: inWindow('readings', { provider: p.provider, action: 'record' }), label: 'Record usage' };
  }
}
