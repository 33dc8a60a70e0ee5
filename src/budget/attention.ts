import type { AttentionItem } from '../model/views';
import type { Core } from '../model/context';
import type { KeychainTrouble } from '../model/ports';
import { formatPercentForPeople, formatUsdForPeople, type Nano, type NanoTotal } from '../money';
import { channelDelivery, listChannels } from '../notify/channels';
import { failureOf, listCloses, type CloseRow } from '../close/steps';
import { monthName } from '../odometer/billing';
import { activeReminders } from '../odometer/reminders';
import { balanceRunways } from '../odometer/runway';
import { driftAttention } from '../reconcile/accuracy';
import { providerNamer, type ProviderNamer } from '../providers/names';
import { listUnreadable } from '../sync/unreadable';
import { MIN_FORECAST_BASIS_DAYS } from './rules';
import { budgetSnapshot, type BudgetSnapshot } from './snapshot';

/**
 * "What needs attention": one ordered list of what the user should look at, the same list for
 * status, the popover and the MCP server. Order: the issue's order of kinds,
 *   budget_day, budget_month (critical or exceeded) · cap · project_cap · forecast · runway · reminders
 *   (reminder_<kind>) · stale · sync_failed · unreadable · notifications · unpriced · sync_pending
 * except that every critical item comes first (a revoked key must not sit below a reminder);
 * within a kind, as found.
 */
const KIND_ORDER = ['budget_day', 'budget_month', 'cap', 'project_cap', 'forecast', 'runway', 'reminder', 'stale', 'sync_failed', 'unreadable', 'notifications', 'unpriced', 'drift', 'sync_pending'];

/** Data from a synced provider is stale after this long without a successful sync (or 3 sync intervals). */
export const STALE_AFTER_MS = 6 * 3600_000;
/** A prepaid balance that lasts this many days or fewer is worth a look. */
export const RUNWAY_WARN_DAYS = 7;
/** Undelivered webhook notifications are reported after this many failed tries. */
const WEBHOOK_WARN_ATTEMPTS = 3;

const usd = (n: Nano | NanoTotal) => formatUsdForPeople(n);

const critical = (item: AttentionItem) => (item.severity === 'critical' ? 1 : 0);

function kindRank(kind: string): number {
  const base = kind.startsWith('reminder_') ? 'reminder' : kind;
  const i = KIND_ORDER.indexOf(base);
  return i < 0 ? KIND_ORDER.length : i;
}

function hoursAgo(fromIso: string, now: Date): string {
  const h = Math.floor((now.getTime() - Date.parse(fromIso)) / 3600_000);
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'}`;
  return `${Math.floor(h / 24)} days`;
}

function budgetItems(s: BudgetSnapshot, nameOf: ProviderNamer): AttentionItem[] {
  const out: AttentionItem[] = [];
  for (const [kind, state, which, whose] of [
    ['budget_day', s.day, 'daily', "Today's spend"],
    ['budget_month', s.monthState, 'monthly', "This month's spend"],
  ] as const) {
    const split = state.split;
    if (!split) continue;
    if (state.health === 'exceeded') {
      out.push({ kind, severity: 'critical', message: `${whose} of ${usd(state.spent)} is over the ${usd(split.budget)} ${which} budget.` });
    } else if (state.health === 'critical') {
      out.push({
        kind,
        severity: 'critical',
        message: `${whose} of ${usd(state.spent)} is into the reserve of the ${usd(split.budget)} ${which} budget (${usd(split.spendable)} spendable).`,
      });
    }
  }
  for (const cap of s.caps) {
    const item = capItem(nameOf(cap.provider), cap);
    if (item) out.push({ kind: 'cap', provider: cap.provider, ...item });
  }
  for (const cap of s.projectCaps) {
    const item = capItem(`Project "${cap.project}"`, cap);
    if (item) out.push({ kind: 'project_cap', ...item });
  }
  const f = s.forecast;
  const monthly = s.budgets.monthly;
  if (monthly !== null && f.runsOutOn !== null && f.basisDays >= MIN_FORECAST_BASIS_DAYS) {
    out.push({
      kind: 'forecast',
      severity: 'warning',
      message: `At this pace the month will exceed its ${usd(monthly)} budget on ${f.runsOutOn} (forecast ${usd(f.forecast)}).`,
    });
  }
  return out;
}

/** What a provider's or a project's monthly cap needs, said of `who`; null while it is well within. */
function capItem(who: string, cap: { cap: Nano; spent: NanoTotal; usedBp: number | null; health: string }): Pick<AttentionItem, 'severity' | 'message'> | null {
  const figures = `${usd(cap.cap)} monthly cap (${usd(cap.spent)} spent)`;
  if (cap.health === 'exceeded') return { severity: 'critical', message: `${who} is over its ${figures}.` };
  if (cap.health === 'critical') return { severity: 'critical', message: `${who} reached its ${figures}.` };
  if (cap.health === 'warning') return { severity: 'warning', message: `${who} is at ${formatPercentForPeople(cap.usedBp ?? 0)} of its ${figures}.` };
  return null;
}

interface RunRow {
  provider: string;
  outcome: 'ok' | 'error';
  error_kind: string | null;
  message: string | null;
  keychain_trouble: KeychainTrouble | null;
  finished_at: string | null;
  started_at: string;
}

function syncItems(core: Core, now: Date, nameOf: ProviderNamer): AttentionItem[] {
  const out: AttentionItem[] = [];
  const latest = core.db
    .prepare(
      `SELECT provider, outcome, error_kind, message, keychain_trouble, finished_at, started_at FROM sync_runs s
       WHERE outcome != 'running'
         AND id = (SELECT id FROM sync_runs x WHERE x.provider = s.provider AND x.outcome != 'running' ORDER BY started_at DESC, id DESC LIMIT 1)
       ORDER BY provider`,
    )
    .all() as RunRow[];
  const lastOk = new Map(
    (core.db.prepare("SELECT provider, MAX(COALESCE(finished_at, started_at)) AS at FROM sync_runs WHERE outcome = 'ok' GROUP BY provider").all() as {
      provider: string;
      at: string;
    }[]).map((r) => [r.provider, r.at]),
  );
  const intervals = new Map(
    (core.db.prepare("SELECT provider, sync_minutes FROM provider_accounts WHERE account = 'default'").all() as { provider: string; sync_minutes: number | null }[]).map(
      (r) => [r.provider, r.sync_minutes],
    ),
  );
  const seen = new Set<string>();
  for (const run of latest) {
    seen.add(run.provider);
    const name = nameOf(run.provider);
    if (run.outcome === 'error') {
      const needsUser = ['auth', 'permission', 'config'].includes(run.error_kind ?? '');
      const detail = run.message ?? run.error_kind ?? 'unknown error';
      out.push({
        kind: 'sync_failed',
        severity: needsUser ? 'critical' : 'warning',
        provider: run.provider,
        message: `${name} sync failed ${hoursAgo(run.finished_at ?? run.started_at, now)} ago: ${detail.replace(/\.$/, '')}.`,
        ...(run.keychain_trouble ? { keychainTrouble: run.keychain_trouble } : {}),
      });
      continue;
    }
    const ok = lastOk.get(run.provider);
    const staleAfter = Math.max(STALE_AFTER_MS, 3 * 60_000 * (intervals.get(run.provider) ?? 0));
    if (ok && now.getTime() - Date.parse(ok) > staleAfter) {
      out.push({
        kind: 'stale',
        severity: 'warning',
        provider: run.provider,
        message: `${name} figures are ${hoursAgo(ok, now)} old; sync it (or keep the app running) to catch up.`,
      });
    }
  }
  const keyed = core.db.prepare('SELECT provider FROM key_metadata ORDER BY provider').all() as { provider: string }[];
  for (const { provider } of keyed) {
    if (seen.has(provider)) continue;
    out.push({ kind: 'sync_pending', severity: 'info', provider, message: `${nameOf(provider)} has a key but has not been synced yet.` });
  }
  return out;
}

function notificationItems(core: Core): AttentionItem[] {
  const out: AttentionItem[] = [];
  for (const ch of listChannels(core.db)) {
    const d = channelDelivery(core.db, ch.id);
    const failing = d.pendingAttempts >= WEBHOOK_WARN_ATTEMPTS;
    if (!failing && d.failed === 0) continue;
    if (!failing && d.lastError === null) continue;
    const what = failing
      ? `${d.pending} alert${d.pending === 1 ? '' : 's'} could not be sent yet and will be retried`
      : `${d.failed} alert${d.failed === 1 ? ' was' : 's were'} not delivered`;
    out.push({
      kind: 'notifications',
      severity: 'warning',
      message: `The ${ch.kind} channel #${ch.id}: ${what} (${(d.lastError ?? 'unknown error').replace(/\.$/, '')}); send the channel a test alert to check it.`,
    });
  }
  return out;
}

function unpricedItems(s: BudgetSnapshot, nameOf: ProviderNamer): AttentionItem[] {
  if (s.unpricedEvents === 0) return [];
  const unpriced = s.providers.filter((p) => p.unpricedEvents > 0).map((p) => p.provider);
  const providers = unpriced.map(nameOf);
  const n = s.unpricedEvents;
  return [
    {
      kind: 'unpriced',
      severity: 'warning',
      ...(unpriced.length === 1 ? { provider: unpriced[0]! } : {}),
      message: `${n} usage row${n === 1 ? '' : 's'} this month (${providers.join(', ')}) ${n === 1 ? 'has' : 'have'} no known price, so the totals are too low; add a price for the model or record the cost.`,
    },
  ];
}

function runwayItems(core: Core, s: BudgetSnapshot, nameOf: ProviderNamer): AttentionItem[] {
  return balanceRunways(core.db, s.now.getTime(), core.timeZone)
    .filter(({ runway: r }) => r.runwayDays !== null && r.runwayDays <= RUNWAY_WARN_DAYS)
    .map(({ provider, runway: r, view, balance: runwayBalance }) => ({
      kind: 'runway',
      severity: (r.runwayDays ?? 0) <= 2 ? ('critical' as const) : ('warning' as const),
      provider,
      message:
        runwayBalance < 0
          ? `${nameOf(provider)} says ${usd(-runwayBalance)} is owed on its prepaid balance (as of ${view.asOf}); top it up.`
          : `${nameOf(provider)}'s prepaid balance of ${usd(runwayBalance)} lasts about ${r.runwayDays} day${r.runwayDays === 1 ? '' : 's'} at ${usd(r.perDay ?? 0)}/day${view.runsOutOn ? ` (until ${view.runsOutOn})` : ''}; top it up in time.`,
    }));
}

/** Rows of a provider's answer that could not be read: kept aside, so that provider's figures may be low. */
function unreadableItems(core: Core, nameOf: ProviderNamer): AttentionItem[] {
  const byProvider = new Map<string, { count: number; first: { scope: string; reason: string } }>();
  for (const row of listUnreadable(core.db)) {
    const seen = byProvider.get(row.provider);
    if (seen) seen.count++;
    else byProvider.set(row.provider, { count: 1, first: row });
  }
  return [...byProvider.entries()].map(([provider, { count, first }]) => ({
    kind: 'unreadable',
    severity: 'warning' as const,
    provider,
    message:
      `${count} ${count === 1 ? 'row' : 'rows'} of ${nameOf(provider)}'s answers could not be read and ${count === 1 ? 'was' : 'were'} kept aside, ` +
      `not counted, so its figures may be low (${first.reason.replace(/\.$/, '')}, in ${first.scope.replace('|', ' of ')}). ` +
      'Each sync reads them again; if it keeps happening, please report it.',
  }));
}

/** A failed step's error for the parenthesis: the provider a sync stopped at, then the error. */
function failureText(r: CloseRow): string {
  const failure = failureOf(r);
  if (!failure) return (r.last_error ?? '').replace(/\.$/, '');
  return `${failure.provider ? `${failure.provider}: ` : ''}${failure.message.replace(/\.$/, '')}`;
}

/** A month close that failed a step (retried with backoff) or waits for final figures. */
function closeItems(core: Core): AttentionItem[] {
  return listCloses(core.db)
    .filter((r) => r.state === 'retrying' || r.state === 'waiting')
    .map((r) => ({
      kind: 'month_close',
      severity: r.state === 'retrying' ? ('warning' as const) : ('info' as const),
      message:
        r.state === 'retrying'
          ? `The close of ${monthName(r.month)} stopped at its ${r.step} step (${failureText(r)}); it is tried again after ${r.next_attempt_at?.slice(0, 16).replace('T', ' ')} UTC.`
          : `The close of ${monthName(r.month)} is ${r.last_error ?? 'waiting'}.`,
    }));
}

/** The ordered list (stable within a kind). */
export function attentionList(core: Core, snapshot: BudgetSnapshot = budgetSnapshot(core)): AttentionItem[] {
  const nameOf = snapshot.names ?? providerNamer(core.db);
  const items: AttentionItem[] = [
    ...budgetItems(snapshot, nameOf),
    ...syncItems(core, snapshot.now, nameOf),
    ...runwayItems(core, snapshot, nameOf),
    ...unreadableItems(core, nameOf),
    ...notificationItems(core),
    ...closeItems(core),
    ...unpricedItems(snapshot, nameOf),
    ...driftAttention(core),
    ...activeReminders(core).map((r) => ({
      kind: `reminder_${r.kind}`,
      severity: 'info' as const,
      message: r.message,
      ...(r.provider ? { provider: r.provider } : {}),
    })),
  ];
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => critical(b.item) - critical(a.item) || kindRank(a.item.kind) - kindRank(b.item.kind) || a.i - b.i)
    .map(({ item }) => item);
}
