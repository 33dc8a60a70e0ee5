// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderView } from '../../../src/api/contract/odometer';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { FinalFigureForm, previousMonth } from '../../../renderer/src/components/actions/FinalFigureForm';
import { ManualRecordForm } from '../../../renderer/src/components/actions/ManualRecordForm';
import { MonthEndPrompt } from '../../../renderer/src/components/actions/MonthEndPrompt';
import { checkDraft, SubscriptionsCard } from '../../../renderer/src/components/actions/SubscriptionsCard';
import { TopupForm } from '../../../renderer/src/components/actions/TopupForm';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { bridgeFor, testCore } from './core-bridge';

// The forms over a REAL in-memory core through the IPC client: what they send is what the ledger gets.

let core: Core;
let providers: ProviderView[];

beforeEach(async () => {
  core = testCore('2026-11-28T18:00:00Z');
  await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await dispatch(core, 'providerSet', { provider: 'openrouter', mode: 'balance' });
  await dispatch(core, 'providerSet', { provider: 'mistral', mode: 'manual' });
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '0.40', at: '2026-10-05T10:00:00Z' });
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '0.50', at: '2026-11-20T10:00:00Z' });
  await dispatch(core, 'readingAdd', { provider: 'openrouter', amount: '10.00', at: '2026-11-20T10:00:00Z' });
  providers = (await dispatch(core, 'providers', {})).providers;
});

afterEach(() => {
  cleanup();
  core.close();
});

function withCore(node: React.ReactNode) {
  const bridge = bridgeFor(core);
  render(<ClientProvider client={createIpcClient(bridge)}>{node}</ClientProvider>);
  return bridge;
}

const submit = (name: string) => fireEvent.click(screen.getByRole('button', { name }));
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('FinalFigureForm', () => {
  it('defaults to last month, refuses a month not yet ended, and makes the month final at the figure', async () => {
    expect(previousMonth('2026-01-15')).toBe('2025-12');
    const bridge = withCore(<FinalFigureForm providers={providers} today="2026-11-28" />);
    expect((screen.getByLabelText('Month') as HTMLInputElement).value).toBe('2026-10');
    expect((screen.getByLabelText('Provider') as HTMLSelectElement).value).toBe('groq'); // odometer providers only
    type('Month', '2026-11');
    type('Final total (USD)', '2.35');
    submit('Save final figure');
    await screen.findByText('A final figure is for a month that has ended; pick an earlier month.');
    expect(bridge.calls).toEqual([]);
    type('Month', '2026-10');
    submit('Save final figure');
    await screen.findByText('Groq October 2026 is final at $2.35.');
    const october = (await dispatch(core, 'readings', { provider: 'groq' })).months.find((m) => m.month === '2026-10');
    expect(october).toMatchObject({ status: 'final', totalUsd: '2.35' });
  });
});

describe('MonthEndPrompt', () => {
  it("offers the reminder's month and opens the form filled in for it", async () => {
    const status = await dispatch(core, 'status', {});
    withCore(<MonthEndPrompt reminders={status.reminders} providers={providers} today={status.day.date} />);
    fireEvent.click(screen.getByRole('button', { name: "Enter October's final figure" }));
    expect((screen.getByLabelText('Month') as HTMLInputElement).value).toBe('2026-10');
    type('Final total (USD)', '1.90');
    submit('Save final figure');
    await screen.findByText('Groq October 2026 is final at $1.90.');
  });
});

describe('TopupForm', () => {
  it('records a top-up on a balance provider, refusing zero', async () => {
    withCore(<TopupForm providers={providers} />);
    expect((screen.getByLabelText('Provider') as HTMLSelectElement).value).toBe('openrouter');
    type('Added (USD)', '0');
    submit('Record top-up');
    await screen.findByText('A top-up adds money: enter the amount you added, such as 20.00.');
    type('Added (USD)', '15');
    submit('Record top-up');
    await screen.findByText('Recorded a top-up of $15.00 for OpenRouter; the balance is now $25.00.');
    expect((await dispatch(core, 'readings', { provider: 'openrouter' })).readings[0]).toMatchObject({ kind: 'topup', amountUsd: '15.00' });
  });
});

describe('ManualRecordForm', () => {
  it('puts manual providers first and records a cost by hand', async () => {
    withCore(<ManualRecordForm providers={providers} />);
    expect((screen.getByLabelText('Provider') as HTMLSelectElement).value).toBe('mistral');
    // One field error at a time, in the form's order: the model first, then what it cost.
    submit('Record usage');
    await screen.findByText('Name the model, such as mistral-small-latest.');
    expect(screen.queryByText('Give what it cost, or its input and output tokens.')).toBeNull();
    type('Model', 'mistral-large-latest');
    expect(screen.queryByText('Name the model, such as mistral-small-latest.')).toBeNull();
    submit('Record usage');
    await screen.findByText('Give what it cost, or its input and output tokens.');
    type('Cost (USD)', '0.42');
    submit('Record usage');
    await screen.findByText('Recorded mistral-large-latest for Mistral on 2026-11-28: $0.42.');
    expect((await dispatch(core, 'history', { provider: 'mistral' })).rows[0]).toMatchObject({ model: 'mistral-large-latest', costUsd: '0.42', source: 'manual' });
  });
});

describe('SubscriptionsCard', () => {
  it('checks a draft field by field', () => {
    expect(checkDraft({ name: ' ', monthly: 'x', day: '40', since: '', provider: 'Bad Name' })).toEqual({
      errors: {
        name: 'Name the subscription, such as ChatGPT Plus.',
        monthly: 'Enter an amount in US dollars such as 20.50 (digits and one decimal point).',
        day: 'A day of the month, 1 to 31.',
        since: 'Choose the first day it counts.',
        provider: 'Lower-case letters, digits, - . _ (such as qwen), at most 40.',
      },
    });
    // A negative fee is said in the fee's words, not a reading's.
    expect(checkDraft({ name: 'Claude Pro', monthly: '-20', day: '3', since: '2026-11-01', provider: '' })).toEqual({ errors: { monthly: 'A monthly fee is a positive amount in USD, like 20 or 20.50.' } });
    expect(checkDraft({ name: 'Claude Pro', monthly: '$20', day: '3', since: '2026-11-01', provider: '' })).toEqual({ input: { name: 'Claude Pro', monthly: '20', day: 3, since: '2026-11-01' } });
  });

  it('shows what it does before saving (nothing saved), then adds it from its start date, ends it and purges it', async () => {
    await dispatch(core, 'budgetSet', { daily: '1.00' });
    withCore(<SubscriptionsCard today="2026-11-28" />);
    type('Name', 'ChatGPT Plus');
    type('Monthly fee (USD)', '30');
    type('Counts from', '2026-11-01');
    await screen.findByText('Counting from 2026-11-01, ChatGPT Plus adds $1.00 to today (putting it into the reserve of its budget) and $28.00 to this month.');
    expect((await dispatch(core, 'subscriptions', {})).subscriptions).toEqual([]);
    submit('Add subscription');
    await screen.findByText('Added ChatGPT Plus: $30.00 a month from 2026-11-01, charged on day 28.');
    expect((await dispatch(core, 'status', {})).month.spentUsd).toBe('28.50'); // the preview's $28.00 + Groq's November $0.50
    fireEvent.click(await screen.findByRole('button', { name: 'End today' }));
    await screen.findByText('ChatGPT Plus ends today; its past months keep their fee.');
    expect((await dispatch(core, 'subscriptions', {})).subscriptions[0]).toMatchObject({ active: false, endedOn: '2026-11-28' });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete ChatGPT Plus and every fee it added' }));
    submit('Delete with its fees');
    await screen.findByText('Deleted ChatGPT Plus and every fee it had added.');
    await waitFor(async () => expect((await dispatch(core, 'subscriptions', {})).subscriptions).toEqual([]));
  });

  it('a name no provider name can be made of is refused at Provider, and a provider the list lacks is typed there', async () => {
    withCore(<SubscriptionsCard today="2026-11-28" />);
    type('Name', '通义千问');
    type('Monthly fee (USD)', '10');
    // The core's refusal, at the field that fixes it, saying where (the preview foresees it; the save waits).
    await screen.findByText('No provider name can be made from “通义千问”: pick its provider, or “Another provider…” and type one.');
    expect(screen.queryByLabelText('Provider name')).toBeNull();
    type('Provider (optional)', '+another');
    submit('Add subscription');
    await screen.findByText("Type the provider's name, such as qwen."); // not filed under its own name without a word
    type('Provider name', 'Qwen');
    submit('Add subscription');
    await screen.findByText('Lower-case letters, digits, - . _ (such as qwen), at most 40.');
    type('Provider name', 'qwen');
    await screen.findByText('Counting from 2026-11-28, 通义千问 adds $0.33 to today and $9.33 to this month.'); // the preview, filed under qwen
    submit('Add subscription');
    await screen.findByText('Added 通义千问: $10.00 a month from 2026-11-28, charged on day 28.');
    expect((await dispatch(core, 'subscriptions', {})).subscriptions[0]).toMatchObject({ name: '通义千问', provider: 'qwen' });
    // Listed under the provider it was filed under, and offered by the picker from now on.
    const row = (await screen.findByRole('cell', { name: '通义千问' })).closest('tr')!;
    await waitFor(() => expect(row.textContent).not.toContain('Its own'));
    expect(row.textContent).toContain('Qwen'); // the provider's name, not the subscription's again
    await waitFor(() => expect([...(screen.getByLabelText('Provider (optional)') as HTMLSelectElement).options].map((o) => o.value)).toContain('qwen'));
    // The form starts over on the list's choices.
    expect(screen.queryByLabelText('Provider name')).toBeNull();
    expect((screen.getByLabelText('Provider (optional)') as HTMLSelectElement).value).toBe('');
  });
});
