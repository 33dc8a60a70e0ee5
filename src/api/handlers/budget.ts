import type { Core } from '../../app/open';
import { acknowledgeAlert, countOpenAlerts, getAlert, listAlerts } from '../../budget/alerts';
import {
  applyBudgetChange,
  BudgetInputError,
  isKnownProvider,
  knownProviders,
  parseBudgetAmount,
  parseReservePct,
  type BudgetChange,
} from '../../budget/budgets';
import { runBudgetChecks } from '../../budget/checks';
import { policyOf, readPolicies, scopesForPolicy, setPolicies } from '../../budget/policies';
import { budgetSnapshot, type BudgetSnapshot, type PeriodState } from '../../budget/snapshot';
import { formatUsd, formatUsdOrNull, subTotal } from '../../money';
import { addChannel, ChannelInputError, channelDelivery, getChannel, listChannels, redactUrl, removeChannel, setChannelReceives, type Channel, type ChannelReceives } from '../../notify/channels';
import { normaliseAddresses, parseSmtpUrl, storeSmtpPassword } from '../../notify/email';
import { testChannel } from '../../notify/outbox';
import { balanceRunways } from '../../odometer/runway';
import { hasProxyRoute } from '../../proxy/upstreams';
import { nameOf } from '../../odometer/describe';
import type { BudgetPeriodView, BudgetView, ChannelView, budgetMethods } from '../contract/budget';
import { invalidInput, notFound } from '../../model/errors';
import type { HandlersFor } from '../handler';
import type { z } from 'zod';

function periodView(state: PeriodState): BudgetPeriodView {
  const split = state.split;
  return {
    budgetUsd: formatUsdOrNull(split?.budget),
    reserveUsd: formatUsdOrNull(split?.reserve),
    spendableUsd: formatUsdOrNull(split?.spendable),
    spentUsd: formatUsd(state.spent),
    leftUsd: split ? formatUsd(subTotal(split.spendable, state.spent)) : null,
    health: state.health,
  };
}

export function budgetView(core: Core, s: BudgetSnapshot = budgetSnapshot(core)): BudgetView {
  const f = s.forecast;
  return {
    asOf: s.now.toISOString(),
    timezone: core.timeZone,
    reservePct: s.budgets.reserveBp / 100,
    day: { date: s.today, ...periodView(s.day) },
    month: {
      month: s.month,
      ...periodView(s.monthState),
      forecast: {
        forecastUsd: formatUsd(f.forecast),
        runsOutOn: f.runsOutOn,
        dailyRateUsd: formatUsd(f.dailyRate),
        basisDays: f.basisDays,
        weekdayAware: f.weekdayAware,
        fixedAheadUsd: formatUsd(f.fixedAhead),
      },
    },
    caps: s.caps.map((c) => ({
      provider: c.provider,
      capUsd: formatUsd(c.cap),
      spentUsd: formatUsd(c.spent),
      usedPct: c.usedBp === null ? null : c.usedBp / 100,
      health: c.health,
      proxied: hasProxyRoute(c.provider),
    })),
    projectCaps: s.projectCaps.map((c) => ({
      project: c.project,
      capUsd: formatUsd(c.cap),
      spentUsd: formatUsd(c.spent),
      usedPct: c.usedBp === null ? null : c.usedBp / 100,
      health: c.health,
    })),
    policies: policyView(core, s),
    runway: balanceRunways(core.db, s.now.getTime(), core.timeZone).map(({ provider, view }) => ({
      provider,
      balanceUsd: view.balanceUsd,
      asOf: view.asOf,
      dailyBurnUsd: view.burnPerDayUsd ?? '0.00',
      days: view.runwayDays,
      runsOutOn: view.runsOutOn,
    })),
  };
}

function policyView(core: Core, s: BudgetSnapshot): BudgetView['policies'] {
  const p = readPolicies(core.db);
  return {
    daily: policyOf(p, { kind: 'daily' }),
    monthly: policyOf(p, { kind: 'monthly' }),
    caps: Object.fromEntries(Object.keys(s.budgets.caps).map((provider) => [provider, policyOf(p, { kind: 'cap', provider })])),
    projects: Object.fromEntries(Object.keys(s.budgets.projectCaps).map((project) => [project, policyOf(p, { kind: 'project', project })])),
  };
}

/** Validate the whole input first; only then write, in one transaction. */
function parseChange(core: Core, input: z.output<typeof budgetMethods.budgetSet.input>): BudgetChange {
  const { daily, monthly, reservePct, provider, project } = input;
  if (daily === undefined && monthly === undefined && reservePct === undefined && provider === undefined && project === undefined) {
    throw invalidInput('nothing_to_set', 'Nothing to set: give a daily or monthly budget, a reserve percentage, or a provider or project with its monthly cap.');
  }
  if (project !== undefined) {
    if (provider !== undefined) throw invalidInput('cap_with_provider', 'A cap is either a provider\'s or a project\'s: give provider or project, not both.', { project });
    if (monthly === undefined) throw invalidInput('cap_needs_monthly', `Give the monthly cap for the project "${project}" (or none to remove it).`, { project, field: 'monthly' });
    if (daily !== undefined || reservePct !== undefined) {
      throw invalidInput('cap_with_daily', 'A project cap is monthly and has no reserve: set the daily budget and the reserve separately, without a project.', { project });
    }
    return { projectCap: { project, amount: parseBudgetAmount(monthly, 'monthly cap') } };
  }
  if (provider !== undefined) {
    if (monthly === undefined) throw invalidInput('cap_needs_monthly', `Give the monthly cap for ${provider} (or none to remove it).`, { provider, field: 'monthly' });
    if (daily !== undefined || reservePct !== undefined) {
      throw invalidInput('cap_with_daily', 'A provider cap is monthly and has no reserve: set the daily budget and the reserve separately, without a provider.', { provider });
    }
    if (!isKnownProvider(core.db, provider)) {
      const known = knownProviders(core.db);
      throw invalidInput('unknown_provider', `Burnrate does not know the provider "${provider}"; use one of ${known.join(', ')}, or record usage for it first. Nothing was changed.`, {
        provider,
        field: 'provider',
        known,
      });
    }
    return { cap: { provider, amount: parseBudgetAmount(monthly, 'monthly cap') } };
  }
  const change: BudgetChange = {};
  if (daily !== undefined) change.daily = parseBudgetAmount(daily, 'daily');
  if (monthly !== undefined) change.monthly = parseBudgetAmount(monthly, 'monthly');
  if (reservePct !== undefined) change.reserveBp = parseReservePct(reservePct);
  return change;
}

function channelView(core: Core, ch: Channel): ChannelView {
  const d = channelDelivery(core.db, ch.id);
  return {
    id: ch.id,
    kind: ch.kind,
    // An SMTP URL holds no secret (the password is in the keychain): shown whole.
    url: ch.kind === 'email' ? ch.url : redactUrl(ch.url),
    emailTo: ch.emailTo,
    emailFrom: ch.emailFrom,
    receives: ch.receives,
    createdAt: ch.createdAt,
    pending: d.pending,
    delivered: d.delivered,
    failed: d.failed,
    lastError: d.lastError,
  };
}

function channelOrThrow(core: Core, id: number): Channel {
  const ch = getChannel(core.db, id);
  if (!ch) throw notFound('channel_not_found', `There is no alert channel ${id}.`, { channelId: id });
  return ch;
}

/** Budget and channel input errors are the user's to fix: they cross the contract as invalid input. */
function asInvalid<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BudgetInputError) throw invalidInput(error.reason, error.message, error.facts);
    if (error instanceof ChannelInputError) throw invalidInput('bad_channel', error.message, { field: error.field });
    throw error;
  }
}

function receivesOf(input: { alerts?: ChannelReceives['alerts'] | undefined; reminders?: boolean | undefined; reports?: boolean | undefined }): Partial<ChannelReceives> {
  return {
    ...(input.alerts !== undefined ? { alerts: input.alerts } : {}),
    ...(input.reminders !== undefined ? { reminders: input.reminders } : {}),
    ...(input.reports !== undefined ? { reports: input.reports } : {}),
  };
}

export const budgetHandlers: HandlersFor<typeof budgetMethods> = {
  budgetShow: (core) => budgetView(core),
  budgetSet: (core, input) => {
    const { policy, ...amounts } = input;
    // A policy alone (budget set --enforce) changes no amount: nothing to parse then.
    const policyOnly = policy !== undefined && amounts.daily === undefined && amounts.monthly === undefined && amounts.reservePct === undefined;
    const change = policyOnly ? {} : asInvalid(() => parseChange(core, amounts));
    // No request to a provider without a proxy route passes the proxy: its cap has alerts alone.
    if (policy !== undefined && amounts.provider !== undefined && !hasProxyRoute(amounts.provider)) {
      throw invalidInput('cap_not_proxied', `No request to ${nameOf(core, amounts.provider)} passes through the proxy, so its cap cannot be enforced; it raises alerts as it fills. Nothing was changed.`, { provider: amounts.provider, field: 'policy' });
    }
    const now = core.clock.now();
    core.db.transaction(() => {
      applyBudgetChange(core.db, change, now);
      // Every budget at once (a policy without a budget named) leaves caps the proxy cannot meter alone.
      if (policy !== undefined) setPolicies(core.db, scopesForPolicy(core.db, amounts).filter((scope) => scope.kind !== 'cap' || hasProxyRoute(scope.provider)), policy, now);
    })();
    // A lower budget may put today past a threshold right now.
    const { snapshot } = runBudgetChecks(core);
    core.events.emit('statusChanged', { reason: 'budget' });
    return budgetView(core, snapshot);
  },
  alerts: (core, input) => ({
    alerts: listAlerts(core.db, { all: input.all ?? false, ...(input.limit !== undefined ? { limit: input.limit } : {}) }),
    open: countOpenAlerts(core.db),
  }),
  alertAck: (core, input) => {
    if (!getAlert(core.db, input.id)) throw notFound('alert_not_found', `There is no alert ${input.id}.`, { alertId: input.id });
    const alert = acknowledgeAlert(core.db, input.id, core.clock.now())!;
    core.events.emit('statusChanged', { reason: 'alert' });
    return alert;
  },
  channels: (core) => ({ channels: listChannels(core.db).map((ch) => channelView(core, ch)) }),
  channelAdd: async (core, input) => {
    const receives = receivesOf(input);
    if (input.kind !== 'email') {
      if (input.to !== undefined || input.from !== undefined || input.password !== undefined) {
        throw invalidInput('bad_channel', `A ${input.kind} channel takes only its URL; to, from and a password are for email channels.`);
      }
      const { channel, created } = asInvalid(() => addChannel(core.db, { kind: input.kind, url: input.url, receives }, core.clock.now()));
      return { channel: channelView(core, channel), created };
    }
    const { url, target } = asInvalid(() => parseSmtpUrl(input.url));
    const to = asInvalid(() => normaliseAddresses(input.to ?? '', 'a recipient'));
    const from = input.from !== undefined ? asInvalid(() => normaliseAddresses(input.from!, 'a sender', 'from')) : '';
    if (target.user && !input.password) throw invalidInput('smtp_password_missing', `The SMTP server logs in as ${target.user}, so it needs that account's password.`, { user: target.user, field: 'password' });
    if (!target.user && input.password) throw invalidInput('bad_channel', 'A password was given but the SMTP URL names no user; give it as smtp://USER@HOST:PORT.', { field: 'url' });
    // The password goes to the keychain first: a channel is never stored without the means to send.
    if (input.password) await storeSmtpPassword(core, target, input.password);
    const { channel, created } = asInvalid(() => addChannel(core.db, { kind: 'email', url, emailTo: to, emailFrom: from, receives: { alerts: 'warning', ...receives } }, core.clock.now()));
    return { channel: channelView(core, channel), created };
  },
  channelSet: (core, input) => {
    channelOrThrow(core, input.id);
    return channelView(core, setChannelReceives(core.db, input.id, receivesOf(input))!);
  },
  channelRemove: (core, input) => {
    const ch = channelOrThrow(core, input.id);
    const view = channelView(core, ch);
    removeChannel(core.db, ch.id);
    return view;
  },
  channelTest: async (core, input) => {
    const ch = channelOrThrow(core, input.id);
    const outcome = await testChannel(core, ch);
    return { channel: channelView(core, ch), ok: outcome.ok, error: outcome.ok ? null : outcome.error };
  },
};
