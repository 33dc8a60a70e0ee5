// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderView } from '../../../src/api/contract/odometer';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { ReadingForm } from '../../../renderer/src/components/ReadingForm';
import { describeReading, validateAmount } from '../../../renderer/src/components/reading';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { bridgeFor, testCore } from './core-bridge';

let core: Core;
let providers: ProviderView[];

beforeEach(async () => {
  core = testCore('2026-11-28T18:00:00Z');
  await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await dispatch(core, 'providerSet', { provider: 'openrouter', mode: 'balance' });
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '1.06', at: '2026-11-20T10:00:00Z' });
  providers = (await dispatch(core, 'providers', {})).providers;
});

afterEach(() => {
  cleanup();
  core.close();
});

function renderForm(initialProvider = 'groq') {
  const bridge = bridgeFor(core);
  render(
    <ClientProvider client={createIpcClient(bridge)}>
      <ReadingForm providers={providers} initialProvider={initialProvider} />
    </ClientProvider>,
  );
  return bridge;
}

async function readingsOf(provider: string) {
  return (await dispatch(core, 'readings', { provider })).readings.length;
}

describe('validateAmount', () => {
  it.each([
    ['1.42', '1.42'],
    [' $1.42 ', '1.42'],
    ['1,234.50', '1234.50'],
    ['.5', '.5'],
  ])('accepts %j as %j', (raw, amount) => expect(validateAmount(raw)).toEqual({ amount }));

  it.each([
    ['', 'Enter the figure the console shows'],
    ['abc', 'Enter an amount in US dollars'],
    ['1.2.3', 'Enter an amount in US dollars'],
    ['-1', 'never negative'],
    ['0.0000000001', 'at most 9 decimal places'],
  ])('refuses %j with a sentence that says what to type', (raw, sentence) => {
    const result = validateAmount(raw);
    expect('error' in result && result.error).toContain(sentence);
  });
});

describe('validateAmount in each money field', () => {
  it.each([
    ['reading', 'A reading is never negative: enter the figure as the console shows it.'],
    ['final', "A final figure is never negative: enter the month's total as the console shows it."],
    ['topup', 'A top-up is a positive amount in USD, like 20 or 20.50.'],
    ['cost', 'A cost is a positive amount in USD, like 0.42.'],
    ['fee', 'A monthly fee is a positive amount in USD, like 20 or 20.50.'],
    ['price', 'A price is a positive amount in USD per million tokens, like 1.25.'],
  ] as const)('a negative %s says what its field takes', (field, sentence) => {
    expect(validateAmount('-5', field)).toEqual({ error: sentence });
  });
});

describe('ReadingForm', () => {
  it('offers only providers tracked by odometer or balance, the asked-for one first', () => {
    renderForm('groq');
    const select = screen.getByLabelText('Provider') as HTMLSelectElement;
    expect(select.value).toBe('groq');
    const options = [...select.options].map((o) => o.value);
    expect(options).toContain('openrouter');
    expect(options).not.toContain('openai');
    expect(screen.getByText(/last: \$1\.06/)).toBeTruthy();
  });

  it('refuses a malformed amount before sending anything, and says why', async () => {
    const bridge = renderForm();
    fireEvent.change(screen.getByLabelText('Month to date (USD)'), { target: { value: '1,42,0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Enter an amount in US dollars/)).toBeTruthy();
    expect(screen.getByLabelText('Month to date (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(bridge.calls.filter((c) => c.method === 'readingAdd')).toHaveLength(0);
    expect(await readingsOf('groq')).toBe(1);
  });

  it('saves a reading through the contract and confirms what changed', async () => {
    renderForm();
    fireEvent.change(screen.getByLabelText('Month to date (USD)'), { target: { value: '1.42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const confirmation = await screen.findByRole('status');
    expect(confirmation.textContent).toBe('Groq November: $1.06 → $1.42');
    expect(await readingsOf('groq')).toBe(2);
    expect((screen.getByLabelText('Month to date (USD)') as HTMLInputElement).value).toBe('');
  });

  it("shows the core's sentence when it refuses the reading", async () => {
    renderForm();
    // Same instant as an existing reading: the core answers with a conflict that says what to do.
    await dispatch(core, 'readingAdd', { provider: 'groq', amount: '1.20' });
    fireEvent.change(screen.getByLabelText('Month to date (USD)'), { target: { value: '1.50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/already has a reading/);
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
  });

  it('confirms a balance reading with the drop it measured', async () => {
    await dispatch(core, 'readingAdd', { provider: 'openrouter', amount: '20', at: '2026-11-25T10:00:00Z' });
    providers = (await dispatch(core, 'providers', {})).providers;
    renderForm('openrouter');
    fireEvent.change(screen.getByLabelText('Balance (USD)'), { target: { value: '18.50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('status')).textContent).toBe('OpenRouter balance: $20.00 → $18.50 (spent $1.50)');
  });
});

describe('describeReading', () => {
  it('names a correction by the figure it replaced, and a month the reset closed', async () => {
    const corrected = await dispatch(core, 'readingAdd', { provider: 'groq', amount: '1.10', replace: true });
    expect(describeReading(corrected, 'Groq')).toBe('Groq November: $1.06 → $1.10');
  });

  it("names the month a new month's first reading closed", async () => {
    const december = testCore('2026-12-02T09:00:00Z');
    try {
      await dispatch(december, 'providerSet', { provider: 'groq', mode: 'odometer' });
      await dispatch(december, 'readingAdd', { provider: 'groq', amount: '1.06', at: '2026-11-29T10:00:00Z' });
      const reset = await dispatch(december, 'readingAdd', { provider: 'groq', amount: '0.10' });
      expect(describeReading(reset, 'Groq')).toBe('Groq December: $0.00 → $0.10; November closed at $1.06');
    } finally {
      december.close();
    }
  });
});
