import type { AttentionItem, Status } from '../api/contract/core';
import { offsetMs } from '../time';

/**
 * The narrator's daily check-in: budget health, what is urgent, and the readings it is time to
 * take, warm and short. Pure wording over a `status` result (like the CLI's human formatter); the
 * figures are the contract's, quoted as they are.
 */

const dollars = (usd: string | null): string => (usd === null ? '—' : usd.startsWith('-') ? `-$${usd.slice(1)}` : `$${usd}`);

/** Attention kinds the health sentences already speak for. */
const SAID_ABOVE = new Set(['budget_day', 'budget_month', 'forecast']);
const MAX_URGENT = 3;

function greeting(status: Status): string {
  const at = Date.parse(status.asOf);
  const hour = new Date(at + offsetMs(at, status.timezone)).getUTCHours();
  if (hour < 5) return 'Hi';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

function daySentence(day: Status['day']): string {
  const spent = dollars(day.spentUsd);
  switch (day.health) {
    case null:
      return `Today: ${spent} spent (no daily budget is set).`;
    case 'good':
      return `Today: ${spent} of ${dollars(day.spendableUsd)} spendable, comfortably on track.`;
    case 'warning':
      return `Today: ${spent} of ${dollars(day.spendableUsd)} spendable, getting close, so go easy for the rest of the day.`;
    case 'critical':
      return `Today: ${spent}, past the ${dollars(day.spendableUsd)} spendable and into your ${dollars(day.reserveUsd)} reserve.`;
    case 'exceeded':
      return `Today: ${spent}, over the whole ${dollars(day.budgetUsd)} daily budget.`;
  }
}

function monthSentence(month: Status['month']): string {
  const head = `This month: ${dollars(month.spentUsd)}${month.budgetUsd === null ? ' so far' : ` of ${dollars(month.budgetUsd)}`}, heading for about ${dollars(month.forecastUsd)}`;
  const tone: Record<string, string> = {
    good: ', looking healthy.',
    warning: ', getting close to the budget.',
    critical: ', already into the reserve.',
    exceeded: ', over the monthly budget.',
  };
  const runsOut = month.runsOutOn ? ` At this pace the budget runs out on ${month.runsOutOn}.` : '';
  return `${head}${month.health === null ? '.' : tone[month.health]}${runsOut}`;
}

function urgentItems(attention: readonly AttentionItem[]): AttentionItem[] {
  return attention.filter((a) => a.severity !== 'info' && !SAID_ABOVE.has(a.kind) && !a.kind.startsWith('reminder_'));
}

export function checkInMessage(status: Status): string {
  const lines = [`${greeting(status)}! Here is your spend check-in for ${status.day.date}.`, daySentence(status.day), monthSentence(status.month)];
  const urgent = urgentItems(status.attention);
  if (urgent.length) {
    lines.push('', urgent.length === 1 ? 'One thing needs your eye:' : 'A few things need your eye:');
    for (const item of urgent.slice(0, MAX_URGENT)) lines.push(`• ${item.message}`);
    if (urgent.length > MAX_URGENT) lines.push(`• …and ${urgent.length - MAX_URGENT} more (ask for what needs attention).`);
  }
  if (status.reminders.length) {
    lines.push('', status.reminders.length === 1 ? 'A reading it is time to take:' : 'Readings it is time to take:');
    for (const r of status.reminders) lines.push(`• ${r.message}`);
    lines.push('Tell me the figure from the console and I will record it.');
  }
  lines.push('', urgent.length || status.reminders.length ? 'Thanks for keeping the ledger honest!' : 'Nothing else needs you today. Thanks for keeping an eye on it!');
  return lines.join('\n');
}
