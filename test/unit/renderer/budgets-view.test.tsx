// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { Budgets } from '../../../renderer/src/window/views/Budgets';
import { bridgeFor, testCore } from './core-bridge';

// The Budgets view over a REAL in-memory core: what it confirms is what the ledger holds, and its
// refusals name the window's own controls.

let core: Core;

beforeEach(() => {
  core = testCore('2026-11-20T18:00:00Z');
});

afterEach(() => {
  cleanup();
  core.close();
});

function view() {
  render(
    <ClientProvider client={createIpcClient(bridgeFor(core))}>
      <Budgets />
    </ClientProvider>,
  );
}

describe('the Budgets view', () => {
  it('confirms a budget as stored, to the last digit typed', async () => {
    view();
    fireEvent.change(await screen.findByLabelText('Daily budget (USD)'), { target: { value: '6.005' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save budgets' }));
    await screen.findByText('Saved: daily budget $6.005.');
    expect((await dispatch(core, 'budgetShow', {})).day.budgetUsd).toBe('6.005');
  });

  it('keeps what is being typed when a budget changes elsewhere, and shows the change in the fields not edited', async () => {
    view();
    const daily = await screen.findByLabelText('Daily budget (USD)');
    fireEvent.change(daily, { target: { value: '6.005' } });
    await dispatch(core, 'budgetSet', { monthly: '40' }); // the CLI, another window
    await screen.findByDisplayValue('40.00');
    expect((daily as HTMLInputElement).value).toBe('6.005');
    fireEvent.click(screen.getByRole('button', { name: 'Save budgets' }));
    await screen.findByText('Saved: daily budget $6.005.');
    expect((await dispatch(core, 'budgetShow', {})).day.budgetUsd).toBe('6.005');
  });

  it('offers a proxy policy only for caps the proxy can meter, and says which caps raise alerts only', async () => {
    await dispatch(core, 'budgetSet', { provider: 'groq', monthly: '10' });
    await dispatch(core, 'budgetSet', { provider: 'gemini', monthly: '20' });
    view();
    await screen.findByRole('group', { name: 'Groq cap policy' });
    expect(screen.queryByRole('group', { name: /Gemini cap policy/ })).toBeNull();
    expect(screen.getByTestId('caps-without-proxy').textContent).toMatch(/^No request to Google Gemini passes through the proxy, so its cap raises alerts only\.$/);
  });

  it('refuses a cap of $0 by naming the Remove button, not a command-line word', async () => {
    await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
    view();
    const caps = within(await screen.findByRole('form', { name: 'Add a provider cap' }));
    fireEvent.change(caps.getByLabelText('Monthly cap (USD)'), { target: { value: '0' } });
    // "Set cap" waits for the providers to pick from (a click before that does nothing, as for a user).
    const set = caps.getByRole('button', { name: 'Set cap' }) as HTMLButtonElement;
    await waitFor(() => expect(set.disabled).toBe(false));
    fireEvent.click(set);
    await screen.findByText(/The monthly cap must be more than \$0\. Nothing was changed\. To remove a cap, choose Remove in its row\./);
    expect((await dispatch(core, 'budgetShow', {})).caps).toEqual([]);
  });
});
