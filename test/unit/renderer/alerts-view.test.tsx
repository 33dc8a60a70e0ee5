// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { formatMoney } from '../../../renderer/src/format/money';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { Alerts } from '../../../renderer/src/window/views/Alerts';
import { bridgeFor } from './core-bridge';

// The Alerts view over a REAL in-memory core.

let core: Core;
afterEach(() => {
  cleanup();
  core.close();
});

describe('the Alerts view', () => {
  it('shows the forecast as it is now beside a forecast alert, which keeps the figures it fired with', async () => {
    let now = Date.parse('2026-03-05T08:00:00Z');
    core = openCore({ memory: true, clock: { now: () => new Date(now) }, timeZone: 'UTC', env: {} });
    const spend = (cost: string, id: string, at?: string) => dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o', cost, id, ...(at ? { at } : {}) });
    await dispatch(core, 'budgetSet', { monthly: '100' });
    for (let d = 26; d <= 32; d++) {
      const day = d <= 28 ? `2026-02-${d}` : `2026-03-0${d - 28}`;
      await spend('2', `d${d}`, `${day}T12:00:00Z`);
    }
    await spend('30', 'burst');
    now = Date.parse('2026-03-06T08:00:00Z');
    await spend('10', 'next');
    const fired = (await dispatch(core, 'alerts', {})).alerts.find((a) => a.rule === 'forecast_over')!;
    expect(fired).toBeDefined();
    render(
      <ClientProvider client={createIpcClient(bridgeFor(core))}>
        <Alerts />
      </ClientProvider>,
    );
    await screen.findByText(fired.message);
    const forecastNow = async () => (await dispatch(core, 'budgetShow', {})).month.forecast;
    const first = await forecastNow();
    expect(first.runsOutOn).toMatch(/^2026-03-\d\d$/); // the day as stored, in the window too
    await waitFor(() => expect(screen.getByTestId('forecast-now').textContent).toBe(`Now: forecast ${formatMoney(first.forecastUsd)}, the monthly budget runs out on ${first.runsOutOn}.`));
    // More spend moves the forecast: the line follows, the alert's own sentence stays as it fired.
    await spend('25', 'more');
    const second = await forecastNow();
    expect(second.forecastUsd).not.toBe(first.forecastUsd);
    await waitFor(() => expect(screen.getByTestId('forecast-now').textContent).toContain(formatMoney(second.forecastUsd)));
    expect(screen.getByText(fired.message)).toBeDefined();
  });
});
