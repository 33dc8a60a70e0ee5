// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { minutesToMidnight, OverrideForm } from '../../../renderer/src/components/actions/OverrideForm';
import { OverrideButton, overrideNeeded } from '../../../renderer/src/components/actions/OverrideButton';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { Budgets } from '../../../renderer/src/window/views/Budgets';
import { bridgeFor, testCore } from './core-bridge';

// The proxy's policies and emergency overrides in the window, over a REAL in-memory core.

const CLI_WORDS = /--[a-z]|\bburnrate [a-z]/;

let core: Core;

beforeEach(async () => {
  core = testCore('2026-11-28T18:00:00Z');
  await dispatch(core, 'budgetSet', { daily: '2.00', monthly: '50.00' });
  await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '0.10' });
  await dispatch(core, 'budgetSet', { provider: 'openai', monthly: '10.00' });
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

describe('Budgets: what the proxy does at each budget', () => {
  it('shows each budget at Warn, explains the three, and saves Enforce for the daily budget alone', async () => {
    const bridge = withCore(<Budgets />);
    const daily = await screen.findByRole('group', { name: 'Daily budget policy' });
    const monthly = screen.getByRole('group', { name: 'Monthly budget policy' });
    const cap = screen.getByRole('group', { name: 'OpenAI cap policy' });
    for (const g of [daily, monthly, cap]) expect((within(g).getByLabelText('Warn') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText(/^Enforce: the proxy refuses a request that would pass this budget/)).toBeTruthy();
    expect(screen.getByText(/^Off: the proxy ignores this budget\.$/)).toBeTruthy();

    fireEvent.click(within(daily).getByLabelText('Enforce'));
    await screen.findByText('Daily budget: Enforce.');
    const stored = await dispatch(core, 'budgetShow', {});
    expect(stored.policies).toEqual({ daily: 'enforce', monthly: 'warn', caps: { openai: 'warn' }, projects: {} });
    expect(stored.day.budgetUsd).toBe('2.00'); // the amount is unchanged
    await waitFor(() => expect((within(screen.getByRole('group', { name: 'Daily budget policy' })).getByLabelText('Enforce') as HTMLInputElement).checked).toBe(true));

    fireEvent.click(within(cap).getByLabelText('Off'));
    await screen.findByText('OpenAI cap: Off.');
    expect((await dispatch(core, 'budgetShow', {})).policies.caps).toEqual({ openai: 'off' });
    expect(bridge.calls.filter((c) => c.method === 'budgetSet').map((c) => c.input)).toEqual([
      { daily: '2.00', policy: 'enforce' },
      { provider: 'openai', monthly: '10.00', policy: 'off' },
    ]);
    expect(document.body.textContent).not.toMatch(CLI_WORDS);
  });

  it('adds an override from the Budgets view and lists it as active', async () => {
    withCore(<Budgets />);
    const form = await screen.findByRole('form', { name: 'Override the budgets' });
    fireEvent.change(within(form).getByLabelText('Lift by (USD)'), { target: { value: 'five' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Override' }));
    await screen.findByText('Enter how far to lift the budgets in US dollars, such as 5.00.');
    expect((await dispatch(core, 'overrides', {})).overrides).toEqual([]);

    fireEvent.change(within(form).getByLabelText('Lift by (USD)'), { target: { value: '7.50' } });
    fireEvent.change(within(form).getByLabelText('For'), { target: { value: '30m' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Override' }));
    // The core's clock is 18:00 UTC and the budget day runs in UTC.
    await screen.findByText('Budgets lifted by $7.50 until 2026-11-28 18:30.');
    const o = await dispatch(core, 'overrides', {});
    expect(o.liftUsd).toBe('7.50');
    expect(o.overrides).toMatchObject([{ amountUsd: '7.50', startsAt: '2026-11-28T18:00:00.000Z', endsAt: '2026-11-28T18:30:00.000Z', active: true }]);
    await waitFor(() => expect(screen.getByText('Active')).toBeTruthy());
    expect(document.body.textContent).not.toMatch(CLI_WORDS);
  });

  it('sends "until midnight" as the minutes left in the budget day', async () => {
    const bridge = withCore(<OverrideForm timeZone="UTC" />);
    fireEvent.change(screen.getByLabelText('For'), { target: { value: 'midnight' } });
    fireEvent.click(screen.getByRole('button', { name: 'Override' }));
    await screen.findByText(/^Budgets lifted by \$5\.00 until /);
    const sent = bridge.calls.at(-1)!.input as { usd: string; for: string };
    expect(sent.usd).toBe('5.00');
    expect(sent.for).toMatch(/^\d+m$/);
    const [o] = (await dispatch(core, 'overrides', {})).overrides;
    expect(Date.parse(o!.endsAt) - Date.parse(o!.startsAt)).toBe(Number.parseInt(sent.for, 10) * 60_000);
  });
});

describe('minutesToMidnight', () => {
  it('counts to the next midnight in the zone given', () => {
    expect(minutesToMidnight(new Date('2026-11-28T18:00:00Z'), 'UTC')).toBe(360);
    expect(minutesToMidnight(new Date('2026-11-28T18:00:00Z'), 'Europe/Berlin')).toBe(300); // 19:00 there
    expect(minutesToMidnight(new Date('2026-11-28T23:59:30Z'), 'UTC')).toBe(1);
    expect(minutesToMidnight(new Date('2026-11-28T00:00:00Z'), 'UTC')).toBe(1440);
  });
});

describe('the popover Override button', () => {
  it('shows only when an enforced budget is critical or exceeded, and its form stores the override', async () => {
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '1.95' });
    const warned = await dispatch(core, 'budgetShow', {});
    expect(warned.day.health).toBe('exceeded');
    expect(overrideNeeded(warned)).toBe(false); // Warn: the proxy refuses nothing
    const enforced = await dispatch(core, 'budgetSet', { daily: '2.00', policy: 'enforce' });
    expect(overrideNeeded(enforced)).toBe(true);
    expect(overrideNeeded({ ...enforced, day: { ...enforced.day, health: 'good' } })).toBe(false);
    // An enforce policy stored for a cap the proxy cannot meter (before such caps were left out) refuses nothing.
    const calm = { ...enforced, day: { ...enforced.day, health: 'good' as const } };
    const cap = { provider: 'gemini', capUsd: '1.00', spentUsd: '1.95', usedPct: 195, health: 'exceeded' as const };
    expect(overrideNeeded({ ...calm, caps: [{ ...cap, proxied: false }], policies: { ...calm.policies, caps: { gemini: 'enforce' } } })).toBe(false);
    expect(overrideNeeded({ ...calm, caps: [{ ...cap, provider: 'groq', proxied: true }], policies: { ...calm.policies, caps: { groq: 'enforce' } } })).toBe(true);

    withCore(<OverrideButton view={enforced} />);
    fireEvent.click(screen.getByRole('button', { name: 'Override…' }));
    fireEvent.change(screen.getByLabelText('Lift by (USD)'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Override' }));
    await screen.findByText('Budgets lifted by $3.00 until 2026-11-28 20:00.');
    expect((await dispatch(core, 'overrides', {})).overrides).toMatchObject([{ amountUsd: '3.00', note: '', by: 'tray', active: true }]);
    expect(document.body.textContent).not.toMatch(CLI_WORDS);
  });
});

describe('the window override: note, End now, and a lift above the budgets', () => {
  it('sends the note typed with the window as origin, and lists both', async () => {
    withCore(<Budgets />);
    const form = await screen.findByRole('form', { name: 'Override the budgets' });
    fireEvent.change(within(form).getByLabelText('Note'), { target: { value: 'Demo for the board' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Override' }));
    await screen.findByText('Budgets lifted by $5.00 until 2026-11-28 20:00.');
    expect((await dispatch(core, 'overrides', {})).overrides).toMatchObject([{ note: 'Demo for the board', by: 'window', active: true }]);
    expect((within(form).getByLabelText('Note') as HTMLInputElement).value).toBe(''); // ready for the next one's reason
    await screen.findByText('· from the window', { exact: false });
    expect(screen.getByText('Demo for the board')).toBeTruthy();
  });

  it('refuses a note over 200 characters at the Note field, keeping what was typed', async () => {
    const bridge = withCore(<OverrideForm timeZone="UTC" />);
    const long = 'x'.repeat(201);
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: long } });
    fireEvent.click(screen.getByRole('button', { name: 'Override' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Shorten the note to 200 characters or fewer.');
    expect(screen.getByLabelText('Note').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByLabelText('Note') as HTMLInputElement).value).toBe(long);
    expect(bridge.calls.filter((c) => c.method === 'override')).toEqual([]);
  });

  it('End now ends the override and the list says so', async () => {
    await dispatch(core, 'override', { usd: '3', for: '2h', note: 'hotfix', by: 'cli' });
    withCore(<Budgets />);
    fireEvent.click(await screen.findByRole('button', { name: /^End now/ }));
    await screen.findByText('Ended early at 2026-11-28 18:00 from the window');
    expect(screen.queryByRole('button', { name: /^End now/ })).toBeNull();
    expect((await dispatch(core, 'overrides', {})).overrides).toMatchObject([{ id: 1, active: false, endedBy: 'window', note: 'hotfix' }]);
  });

  it('asks before lifting by more than the largest budget; Change keeps what was typed; Confirm sends it', async () => {
    const view = await dispatch(core, 'budgetShow', {});
    const bridge = withCore(<OverrideForm timeZone="UTC" budgets={view} />);
    const amount = screen.getByLabelText('Lift by (USD)') as HTMLInputElement;
    fireEvent.change(amount, { target: { value: '50.01' } });
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'launch' } });
    fireEvent.click(screen.getByRole('button', { name: 'Override' }));
    const ask = await screen.findByRole('alert', { name: 'Confirm the override' });
    expect(ask.textContent).toContain('Lift by $50.01? That is more than the whole monthly budget ($50.00).');
    expect(bridge.calls.filter((c) => c.method === 'override')).toEqual([]);

    fireEvent.click(within(ask).getByRole('button', { name: 'Change' }));
    expect(screen.queryByRole('alert', { name: 'Confirm the override' })).toBeNull();
    expect(amount.value).toBe('50.01');
    expect((screen.getByLabelText('Note') as HTMLInputElement).value).toBe('launch');
    expect(document.activeElement).toBe(amount);

    fireEvent.click(screen.getByRole('button', { name: 'Override' }));
    fireEvent.click(within(await screen.findByRole('alert', { name: 'Confirm the override' })).getByRole('button', { name: 'Confirm' }));
    await screen.findByText('Budgets lifted by $50.01 until 2026-11-28 20:00.');
    expect(bridge.calls.filter((c) => c.method === 'override').map((c) => c.input)).toEqual([{ usd: '50.01', for: '2h', by: 'window', note: 'launch' }]);

    // Exactly the largest budget is no surprise: no question.
    fireEvent.change(amount, { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Override' }));
    await screen.findByText('Budgets lifted by $50.00 until 2026-11-28 20:00.');
  });
});
