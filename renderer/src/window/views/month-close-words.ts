import type { CloseStepView, MonthCloseView } from '../../../../src/api/contract/close';
import { providerName } from '../../components/providers';
import { localDateTime, monthName } from '../../format/time';

/**
 * The Month close view's words for where a close stands and what holds it up (pure, so each is
 * unit-tested). The core names its steps by code ("finals", "send") and prefixes a failed step's
 * error with that code; a user reads what the step does, and what to do about it.
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
 * deliveries, not the core's "send: …" text).
 */
export function closeTrouble(m: Pick<MonthCloseView, 'state' | 'step' | 'lastError' | 'nextAttemptAt' | 'deliveries'>, timeZone: string): { text: string; fix: TroubleFix } | null {
  if (!m.lastError || m.state === 'closed') return null;
  const again = m.nextAttemptAt ? ` Burnrate tries again at ${localDateTime(m.nextAttemptAt, timeZone)}.` : '';
  // Waiting is not a failure, and its sentence is the core's own ("Waiting for the final … figure of Groq until …").
  if (m.state === 'waiting' || !isStep(m.step)) return { text: m.lastError, fix: null };
  const stuck = m.step === 'send' ? m.deliveries.filter((d) => d.status === 'pending') : [];
  if (stuck.length > 0) {
    const which = stuck.map((d) => `${channelName(d)}${d.lastError ? ` (${d.lastError})` : ''}`).join(', ');
    const them = stuck.length === 1 ? 'that channel' : 'those channels';
    return { text: `The report could not be sent to ${which}: fix or remove ${them} in Settings, then choose “Resume close”.${again}`, fix: 'settings' };
  }
  // The core prefixes the step's code name ("sync: openai: …"); the State column already says which step.
  const prefix = `${m.step}: `;
  const why = m.lastError.startsWith(prefix) ? m.lastError.slice(prefix.length) : m.lastError;
  // The sync step names the provider by its slug ("openai: …"): say whose bills.
  const sync = m.step === 'sync' ? /^([a-z0-9-]+): ([\s\S]*)$/.exec(why) : null;
  const what = sync ? `Fetching ${providerName(sync[1]!)}’s bills` : `${DOING[m.step][0]!.toUpperCase()}${DOING[m.step].slice(1)}`;
  return { text: `${what} failed: ${(sync ? sync[2]! : why).replace(/[.]?$/, '.')}${again}`, fix: null };
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
