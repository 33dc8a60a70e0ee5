// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { Readings } from '../../../renderer/src/window/views/Readings';
import { bridgeFor, testCore } from './core-bridge';

// The window's reading form after a save: the list of providers reloads (and re-ranks, since the
// provider now has a reading); the form must stay on the provider the user picked, so a second
// save, or its "correct the latest reading", never lands on another provider.

let core: Core;

beforeEach(async () => {
  core = testCore('2026-11-28T18:00:00Z');
  await dispatch(core, 'providerSet', { provider: 'deepseek', mode: 'balance' });
  await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await dispatch(core, 'readingAdd', { provider: 'deepseek', amount: '10', at: '2026-11-20T10:00:00Z' });
});

afterEach(() => {
  cleanup();
  core.close();
});

async function readingsOf(provider: string): Promise<string[]> {
  return (await dispatch(core, 'readings', { provider })).readings.map((r) => r.amountUsd);
}

describe('the Readings view', () => {
  it('keeps the chosen provider across two saves', async () => {
    render(
      <ClientProvider client={createIpcClient(bridgeFor(core))}>
        <Readings />
      </ClientProvider>,
    );
    const form = await screen.findByRole('form', { name: 'Enter a reading' });
    const select = form.querySelector('select') as HTMLSelectElement;
    // DeepSeek comes first (it has a reading): the user switches to Groq.
    expect(select.value).toBe('deepseek');
    fireEvent.change(select, { target: { value: 'groq' } });
    const amount = () => screen.getByLabelText('Month to date (USD)');

    fireEvent.change(amount(), { target: { value: '1.06' } });
    // Earlier than "now" (the fixed clock), so the second save is a new reading, not the same instant.
    fireEvent.change(screen.getByLabelText('Taken at'), { target: { value: '2026-11-27T10:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save reading' }));
    await screen.findByText('Groq November: $0.00 → $1.06');
    // The providers list reloads after the save; wait for it, then save again.
    await waitFor(() => expect(screen.getByText(/last: \$1\.06/)).toBeTruthy());
    expect(select.value).toBe('groq');

    fireEvent.change(amount(), { target: { value: '1.42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save reading' }));
    await screen.findByText('Groq November: $1.06 → $1.42');
    expect(select.value).toBe('groq');
    expect(await readingsOf('groq')).toEqual(['1.42', '1.06']);
    expect(await readingsOf('deepseek')).toEqual(['10.00']);
  });
});
