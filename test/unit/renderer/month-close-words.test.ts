import { describe, expect, it } from 'vitest';
import type { CloseFailureView, MonthCloseView } from '../../../src/api/contract/close';
import { closeStateText, closeTrouble, enterFinalLabel, finalsMissingText } from '../../../renderer/src/window/views/month-close-words';

// The Month close view's words: a user reads what a close is doing and what to do about a stop,
// never the core's step names ("step finals", "send: …").

type Row = Pick<MonthCloseView, 'state' | 'step' | 'lastError' | 'failure' | 'nextAttemptAt' | 'deliveries'>;
const row = (r: Partial<Row>): Row => ({ state: 'retrying', step: 'send', lastError: null, failure: null, nextAttemptAt: null, deliveries: [], ...r });
/** A close stopped at a step, as the core gives it: the failure's fields, and the CLI's one line beside them. */
const failed = (step: CloseFailureView['step'], message: string, provider: string | null = null, r: Partial<Row> = {}): Row =>
  row({ step, lastError: [step, provider, message].filter(Boolean).join(': '), failure: { step, provider, message }, ...r });
const CODE_WORDS = /\bstep (finals|sync|reconcile|freeze|report|send)\b|^(finals|sync|reconcile|freeze|report|send): /;

describe('where a close stands', () => {
  it('says what the step does, not its name', () => {
    expect(closeStateText({ state: 'waiting', step: 'finals' })).toBe('Waiting for final figures');
    expect(closeStateText({ state: 'retrying', step: 'send' })).toBe('Stopped while sending the report; will try again');
    expect(closeStateText({ state: 'running', step: 'sync' })).toBe('Closing: fetching the month’s bills…');
    expect(closeStateText({ state: 'not_closed', step: null })).toBe('Not closed');
    expect(closeStateText({ state: 'closed', step: 'done' })).toBe('Closed');
  });
});

describe('what holds a close up', () => {
  it('names the channel a report could not reach, says to fix or remove it in Settings, and when it is tried again', () => {
    const t = closeTrouble(
      failed('send', 'the report is still waiting for webhook channel #1 (network: fetch failed)', null, {
        nextAttemptAt: '2026-11-20T18:00:00.000Z',
        deliveries: [
          { channelId: 1, kind: 'webhook', status: 'pending', attempts: 1, lastError: 'network: fetch failed', deliveredAt: null },
          { channelId: 2, kind: 'email', status: 'delivered', attempts: 1, lastError: null, deliveredAt: '2026-11-20T17:00:00.000Z' },
        ],
      }),
      'Europe/Berlin',
    );
    expect(t).toEqual({
      text: 'The report could not be sent to the webhook channel #1 (network: fetch failed): fix or remove that channel in Settings, then choose “Resume close”. Burnrate tries again at 2026-11-20 19:00.',
      fix: 'settings',
    });
  });

  it('says what the failed step was doing, and names the provider a sync stopped at, from the failure\'s fields', () => {
    const sync = closeTrouble(failed('sync', 'OpenAI refused the key (401).', 'openai'), 'UTC')!;
    expect(sync.text).toBe('Fetching OpenAI’s bills failed: OpenAI refused the key (401).');
    const freeze = closeTrouble(failed('freeze', 'database is locked'), 'UTC')!;
    expect(freeze.text).toBe('Freezing the month’s figures failed: database is locked.');
    const report = closeTrouble(failed('report', 'disk full', null, { nextAttemptAt: '2026-11-20T18:00:00.000Z' }), 'Europe/Berlin')!;
    expect(report).toEqual({ text: 'Building the report failed: disk full. Burnrate tries again at 2026-11-20 19:00.', fix: null });
    // A sync that failed before it reached a provider says whose bills in general.
    expect(closeTrouble(failed('sync', 'the ledger is busy'), 'UTC')!.text).toBe('Fetching the month’s bills failed: the ledger is busy.');
    for (const t of [sync, freeze, report]) expect(t.text).not.toMatch(CODE_WORDS);
  });

  it('reads the fields, not the line: an error that itself starts like a step code stays whole', () => {
    // "send: …" inside the message is the error's own text (a channel's words), not a step prefix to cut.
    const t = closeTrouble(failed('reconcile', 'send: refused by the server.'), 'UTC')!;
    expect(t.text).toBe('Comparing estimates with bills failed: send: refused by the server.');
  });

  it('a report no channel holds up (none pending) says the send step failed, in words', () => {
    const t = closeTrouble(failed('send', 'no channel takes reports'), 'UTC')!;
    expect(t).toEqual({ text: 'Sending the report failed: no channel takes reports.', fix: null });
  });

  it('keeps the core\'s own sentence while it waits for final figures, and says nothing of a month without trouble', () => {
    const waiting = 'Waiting for the final October 2026 figure of Groq until 2026-11-23 19:00 (Europe/Berlin).';
    expect(closeTrouble(row({ state: 'waiting', step: 'finals', lastError: waiting }), 'UTC')).toEqual({ text: waiting, fix: null });
    // Resumed after the wait, the close runs at the same step with the wait's sentence: still not a failure.
    expect(closeTrouble(row({ state: 'running', step: 'finals', lastError: waiting }), 'UTC')).toEqual({ text: waiting, fix: null });
    expect(closeTrouble(row({ state: 'closed', step: 'done', lastError: null }), 'UTC')).toBeNull();
  });

  it('names whose final figure is missing, and the button that enters it', () => {
    expect(finalsMissingText(['groq'], '2026-10')).toBe('The final October 2026 figure of Groq is not in yet; closing waits for it.');
    expect(finalsMissingText(['groq', 'perplexity', 'mistral'], '2026-10')).toBe('The final October 2026 figure of Groq, Perplexity and Mistral is not in yet; closing waits for it.');
    expect(enterFinalLabel('groq', '2026-10')).toBe('Enter Groq’s October final figure');
  });
});
