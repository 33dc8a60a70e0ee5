import { describe, expect, it } from 'vitest';
import type { MonthCloseView } from '../../../src/api/contract/close';
import { closeStateText, closeTrouble, enterFinalLabel, finalsMissingText } from '../../../renderer/src/window/views/month-close-words';

// The Month close view's words: a user reads what a close is doing and what to do about a stop,
// never the core's step names ("step finals", "send: …").

type Row = Pick<MonthCloseView, 'state' | 'step' | 'lastError' | 'nextAttemptAt' | 'deliveries'>;
const row = (r: Partial<Row>): Row => ({ state: 'retrying', step: 'send', lastError: null, nextAttemptAt: null, deliveries: [], ...r });
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
      row({
        lastError: 'send: the report is still waiting for webhook channel #1 (network: fetch failed)',
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

  it('drops the core\'s step prefix from any other stop, and names the provider a sync stopped at', () => {
    const sync = closeTrouble(row({ step: 'sync', lastError: 'sync: openai: OpenAI refused the key (401).' }), 'UTC')!;
    expect(sync.text).toBe('Fetching OpenAI’s bills failed: OpenAI refused the key (401).');
    const freeze = closeTrouble(row({ step: 'freeze', lastError: 'freeze: database is locked' }), 'UTC')!;
    expect(freeze.text).toBe('Freezing the month’s figures failed: database is locked.');
    for (const t of [sync, freeze]) expect(t.text).not.toMatch(CODE_WORDS);
  });

  it('keeps the core\'s own sentence while it waits for final figures, and says nothing of a month without trouble', () => {
    const waiting = 'Waiting for the final October 2026 figure of Groq until 2026-11-23 19:00 (Europe/Berlin).';
    expect(closeTrouble(row({ state: 'waiting', step: 'finals', lastError: waiting }), 'UTC')).toEqual({ text: waiting, fix: null });
    expect(closeTrouble(row({ state: 'closed', step: 'done', lastError: null }), 'UTC')).toBeNull();
  });

  it('names whose final figure is missing, and the button that enters it', () => {
    expect(finalsMissingText(['groq'], '2026-10')).toBe('The final October 2026 figure of Groq is not in yet; closing waits for it.');
    expect(finalsMissingText(['groq', 'perplexity', 'mistral'], '2026-10')).toBe('The final October 2026 figure of Groq, Perplexity and Mistral is not in yet; closing waits for it.');
    expect(enterFinalLabel('groq', '2026-10')).toBe('Enter Groq’s October final figure');
  });
});
