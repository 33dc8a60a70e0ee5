import type { Core } from '../model/context';
import type { SubscriptionAddInput } from '../model/odometer-views';
import type { Health } from '../model/views';
import { addTotal, formatUsd, formatUsdForPeople, sumNano, type Nano, type NanoTotal } from '../money';
import { namerOf } from '../providers/names';
import { checkSubscription, subscriptionDayShares } from '../odometer/subscriptions';
import { capHealth, budgetSnapshot, type CapHealth, type PeriodState } from './snapshot';
import { healthOf } from './health';

/** A period's figure before and after the subscription, against its budget (null: no budget). */
export interface PreviewPeriod {
  addsUsd: string;
  spentUsd: string;
  afterUsd: string;
  budgetUsd: string | null;
  healthBefore: Health | null;
  healthAfter: Health | null;
}

export interface SubscriptionPreview {
  name: string;
  provider: string;
  monthlyUsd: string;
  since: string;
  today: PreviewPeriod & { date: string };
  month: PreviewPeriod & { month: string };
  /** Fees of whole months before this one (a start date in an earlier month). */
  earlierMonths: { count: number; addsUsd: string };
  /** The provider's monthly cap, when it has one. */
  cap: { capUsd: string; spentUsd: string; afterUsd: string; healthBefore: CapHealth; healthAfter: CapHealth } | null;
  /** One sentence for people: what saving it does to today's and this month's figures. */
  summary: string;
}

function period(state: PeriodState, adds: Nano): PreviewPeriod {
  const after: NanoTotal = addTotal(state.spent, adds);
  return {
    addsUsd: formatUsd(adds),
    spentUsd: formatUsd(state.spent),
    afterUsd: formatUsd(after),
    budgetUsd: state.split ? formatUsd(state.split.budget) : null,
    healthBefore: state.health,
    healthAfter: state.split ? healthOf(after, state.split) : null,
  };
}

const WORDS: Record<Health, string> = { good: 'within', warning: 'close to', critical: 'into the reserve of', exceeded: 'over' };

/** "$1.00 to today (putting it over its budget)": the share, and a change of health it causes. */
function effect(what: string, adds: Nano, p: PreviewPeriod): string {
  const share = `${formatUsdForPeople(adds)} to ${what}`;
  if (p.healthAfter === null || p.healthAfter === p.healthBefore) return share;
  return `${share} (putting it ${WORDS[p.healthAfter]} its budget)`;
}

/**
 * What adding a subscription would do, without adding it: the fee share it puts on today, on this
 * month so far and on earlier months, and where today's and this month's budgets (and the
 * provider's cap) would then stand. Checked as adding it is, so a refusal shows before saving.
 * A read: nothing is written.
 */
export function previewSubscription(core: Core, input: SubscriptionAddInput): SubscriptionPreview {
  const checked = checkSubscription(core, input);
  const shares = subscriptionDayShares(core, { ...checked, name: input.name, day: input.day });
  const snap = budgetSnapshot(core);
  const today = sumNano(shares.filter((s) => s.day === snap.today).map((s) => s.nano));
  const month = sumNano(shares.filter((s) => s.day.startsWith(snap.month)).map((s) => s.nano));
  const earlier = shares.filter((s) => s.day < `${snap.month}-01`);
  const earlierTotal = sumNano(earlier.map((s) => s.nano));
  const earlierMonths = new Set(earlier.map((s) => s.day.slice(0, 7))).size;
  const capState = snap.caps.find((c) => c.provider === checked.provider);
  const cap = capState
    ? {
        capUsd: formatUsd(capState.cap),
        spentUsd: formatUsd(capState.spent),
        afterUsd: formatUsd(addTotal(capState.spent, month)),
        healthBefore: capState.health,
        healthAfter: capHealth(addTotal(capState.spent, month), capState.cap),
      }
    : null;
  const dayView = period(snap.day, today);
  const monthView = period(snap.monthState, month);
  const parts = [effect('today', today, dayView), effect('this month', month, monthView)];
  if (earlierMonths > 0) parts.push(`${formatUsdForPeople(earlierTotal)} to ${earlierMonths} earlier month${earlierMonths === 1 ? '' : 's'}`);
  let capNote = '';
  if (cap && cap.healthAfter !== cap.healthBefore && (cap.healthAfter === 'critical' || cap.healthAfter === 'exceeded')) {
    // Named as it will be once saved: by the typed name unless the slug is a catalogue provider's.
    const nameOf = namerOf([{ provider: checked.provider, name: input.name }]);
    capNote = `; ${nameOf(checked.provider)} then ${cap.healthAfter === 'exceeded' ? 'goes over' : 'reaches'} its ${formatUsdForPeople(capState!.cap)} monthly cap`;
  }
  return {
    name: input.name,
    provider: checked.provider,
    monthlyUsd: formatUsd(checked.monthly),
    since: checked.since,
    today: { date: snap.today, ...dayView },
    month: { month: snap.month, ...monthView },
    earlierMonths: { count: earlierMonths, addsUsd: formatUsd(earlierTotal) },
    cap,
    summary: `Counting from ${checked.since}, ${input.name} adds ${joinClauses(parts)}${capNote}.`,
  };
}

function joinClauses(parts: string[]): string {
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
