import type { CloseStepView, MonthCloseView } from '../../../../src/api/contract/close';
import { providerName } from '../../components/providers';
import { localDateTime, monthName } from '../../format/time';

/**
 * The Month close view's words for where a close stands and what holds it up (pure, so each is
 * unit-tested). The core names its steps by code ("finals", "send") and gives a failed step, its
 * provider and its error as separate fields; a user reads what the step does, and what to do about it.
 */

type Step = CloseStepView['step'];

/** What each step does, as the end of "Closing: …" or "Stopped while …". */
const DOING: Record<Step, string> = {
  finals: 'waiting for final figures',
  sync: 'fetching the month’s bills',
  reconcile: 'comparing estimates with bills',
  freeze: 'freezing the month’s figures',
  report: 'building the report',
  send: 'sending the report',
};

const isStep = (step: string | null): step is Step => step !== null && Object.hasOwn(DOING, step);

/** The State column: "Waiting for final figures", "Stopped while sending the report; will try again". */
export function closeStateText(m: Pick<MonthCloseView, 'state' | 'step'>): string {
  const doing = isStep(m.step) ? DOING[m.step] : undefined;
  switch (m.state) {
    case 'open':
      return 'Open';
    case 'not_closed':
      return 'Not closed';
    case 'closed':
      return 'Closed';
    case 'waiting':
      return 'Waiting for final figures';
    case 'running':
      return doing ? `Closing: ${doing}…` : 'Closing…';
    case 'retrying':
      return doing ? `Stopped while ${doing}; will try again` : 'Stopped; will try again';
  }
}

const CHANNEL_KIND: Record<string, string> = { slack: 'Slack', discord: 'Discord', ntfy: 'ntfy', webhook: 'webhook', email: 'email' };
const channelName = (d: MonthCloseView['deliveries'][number]) => `the ${CHANNEL_KIND[d.kind] ?? d.kind} channel #${d.channelId}`;

/** Where a stopped close is fixed, besides the words: the channels in Settings. */
export type TroubleFix = 'settings' | null;

/**
 * What holds a close up, in a sentence that says what to do, and when Burnrate tries again; null
 * when nothing does. A report no channel took names the channels and their errors (from the
 * deliveries); any other failed step says what the step was doing, from the core's `failure`.
 */
export function closeTrouble(m: Pick<MonthCloseView, 'state' | 'lastError' | 'failure' | 'nextAttemptAt' | 'deliveries'>, timeZone: string): { text: string; fix: TroubleFix } | null {
  if (m.state === 'closed') return null;
  // Waiting is not a failure, and its sentence is the core's own ("Waiting for the final … figure of Groq until …").
  if (!m.failure) return m.lastError ? { text: m.lastError, fix: null } : null;
  const { step, provider, message } = m.failure;
  const again = m.nextAttemptAt ? ` Burnrate tries again at ${localDateTime(m.nextAttemptAt, timeZone)}.` : '';
  const stuck = step === 'send' ? m.deliveries.filter((d) => d.status === 'pending') : [];
  if (stuck.length > 0) {
    const which = stuck.map((d) => `${channelName(d)}${d.lastError ? ` (${d.lastError})` : ''}`).join(', ');
    const them = stuck.length === 1 ? 'that channel' : 'those channels';
    return { text: `The report could not be sent to ${which}: fix or remove ${them} in Settings, then choose “Resume close”.${again}`, fix: 'settings' };
  }
  // The sync step says whose bills it was fetching; the State column already says which step.
  const what = provider ? `Fetching ${providerName(provider)}’s bills` : `${DOING[step][0]!.toUpperCase()}${DOING[step].slice(1)}`;
  return { text: `${what} failed: ${message.replace(/[.]?$/, '.')}${again}`, fix: null };
}

/** A button's words for entering one provider's missing final figure of a month. */
export function enterFinalLabel(provider: string, month: string): string {
  return `Enter ${providerName(provider)}’s ${monthName(month)} final figure`;
}

/** Before a close has started: whose final figures it would wait for. */
export function finalsMissingText(providers: readonly string[], month: string): string {
  const names = providers.map((p) => providerName(p));
  const whose = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `The final ${monthName(month, true)} figure of ${whose} is not in yet; closing waits for it.`;
}
