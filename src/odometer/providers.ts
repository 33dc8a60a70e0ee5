import type { ProviderList, ProviderView, TrackingModeName } from '../model/odometer-views';
import { conflict, invalidInput } from '../model/errors';
import type { Core } from '../model/context';
import { formatUsd } from '../money';
import { PROVIDERS, defaultModeOf, providerInfo, type TrackingMode } from '../providers/catalog';
import { assertTimeZone, TimeError } from '../time';
import { billingMonthOf, monthName, readingMonthOf } from './billing';
import { changeReadings, loadDerivation, toOdoReading } from './derive';
import { nameOf } from './describe';
import { findViolation } from './odometer';
import { getAccount, listConfigured, saveAccount } from './modes';
import { latestReading, listReadings, providersWithReadings } from './store';
import { balanceView } from './views';

/** Provider tracking modes: how Burnrate learns each provider's spend. */

function view(core: Core, provider: string): ProviderView {
  const nowMs = core.clock.now().getTime();
  const d = loadDerivation(core.db, provider, nowMs);
  const info = providerInfo(provider);
  const last = latestReading(core.db, provider);
  const month = d.months.find((m) => m.month === billingMonthOf(nowMs, d.account.billingTz));
  return {
    provider,
    // The name people read (a subscription's typed name), so every client names it one way.
    name: nameOf(core, provider),
    mode: d.account.mode,
    defaultMode: defaultModeOf(provider),
    configured: d.account.configured,
    billingTimeZone: d.account.billingTz,
    syncable: info?.syncable ?? false,
    lastReading: last ? { kind: last.kind === 'balance' ? 'balance' : 'odometer', amountUsd: formatUsd(last.amount_nano), takenAt: last.taken_at } : null,
    monthToDateUsd: d.account.mode === 'odometer' && month ? formatUsd(month.total) : null,
    balance: balanceView(core.db, d, nowMs, core.timeZone),
  };
}

/** The catalogue's providers, every configured one, and any with readings. */
export function listProviders(core: Core): ProviderList {
  const slugs = new Set<string>([
    ...PROVIDERS.map((p) => p.slug),
    ...listConfigured(core.db).map((a) => a.provider),
    ...providersWithReadings(core.db, ['odometer', 'balance', 'topup']),
  ]);
  return { providers: [...slugs].map((p) => view(core, p)) };
}

export function setProvider(core: Core, input: { provider: string; mode?: TrackingModeName | undefined; billingTz?: string | undefined }): ProviderView {
  if (input.mode === undefined && input.billingTz === undefined) {
    throw invalidInput('nothing_to_change', `Say what to change for ${nameOf(core, input.provider)}: its tracking mode (api, odometer, balance, subscription, manual), its billing time zone, or both.`, {
      provider: input.provider,
    });
  }
  const current = getAccount(core.db, input.provider);
  const mode: TrackingMode = input.mode ?? current.mode;
  const billingTz = input.billingTz ?? current.billingTz;
  try {
    assertTimeZone(billingTz);
  } catch (error) {
    if (error instanceof TimeError) throw invalidInput('bad_billing_tz', `${error.message.replace(/\.$/, '')} (the billing time zone).`, { provider: input.provider, billingTz });
    throw error;
  }
  if (mode === 'api' && !(providerInfo(input.provider)?.syncable ?? false)) {
    throw invalidInput(
      'mode_api_unavailable',
      `Burnrate has no billing API client for ${nameOf(core, input.provider)}; choose the mode odometer (month-to-date figure from its console), balance (prepaid), subscription or manual.`,
      { provider: input.provider },
    );
  }
  const now = core.clock.now().toISOString();
  if (billingTz !== current.billingTz) {
    // The billing zone decides which month each reading belongs to: re-file them, then re-derive.
    changeReadings(core, input.provider, () => {
      saveAccount(core.db, { provider: input.provider, mode, billingTz }, now);
      const update = core.db.prepare('UPDATE readings SET billing_month = ? WHERE id = ?');
      for (const r of listReadings(core.db, input.provider, ['odometer', 'balance', 'topup'])) {
        if (r.is_final === 1) continue; // a final figure names its month explicitly
        const atMs = Date.parse(r.taken_at);
        update.run(r.kind === 'odometer' ? readingMonthOf(atMs, billingTz) : billingMonthOf(atMs, billingTz), r.id);
      }
      const v = findViolation(listReadings(core.db, input.provider, ['odometer']).map(toOdoReading));
      if (v) {
        throw conflict(
          'billing_tz_breaks_readings',
          `In the billing zone ${billingTz}, ${nameOf(core, input.provider)}'s readings would no longer rise within each month (around ${monthName(v.kind === 'drop' ? v.later.month : v.kind === 'final_below' ? v.final.month : v.first.month)}); nothing was changed. Check the zone, or delete the reading that no longer fits first.`,
          { provider: input.provider, billingTz },
        );
      }
    });
  } else if (mode !== current.mode) {
    // The mode decides which kind of reading counts (odometer or balance): re-derive.
    changeReadings(core, input.provider, () => saveAccount(core.db, { provider: input.provider, mode, billingTz }, now));
    core.events.emit('statusChanged', { reason: 'provider' });
  } else {
    saveAccount(core.db, { provider: input.provider, mode, billingTz }, now);
    core.events.emit('statusChanged', { reason: 'provider' });
  }
  return view(core, input.provider);
}
