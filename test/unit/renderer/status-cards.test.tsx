// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../../src/api/contract';
import { MonthCard, TodayCard } from '../../../renderer/src/components/StatusCards';

afterEach(cleanup);

function day(over: Partial<Status['day']>): Status['day'] {
  return { date: '2026-11-28', spentUsd: '0.00', budgetUsd: '2.00', reserveUsd: '0.40', spendableUsd: '1.60', health: 'good', ...over };
}

function month(over: Partial<Status['month']>): Status['month'] {
  return { month: '2026-11', spentUsd: '21.29', budgetUsd: '50.00', reserveUsd: '10.00', forecastUsd: '23.54', health: 'good', runsOutOn: null, ...over };
}

describe('TodayCard', () => {
  it.each([
    ['good', '0.50', 'On track', '$1.10', 'Left to spend'],
    ['warning', '1.30', 'Getting close', '$0.30', 'Left to spend'],
    ['critical', '1.80', 'In the reserve', '$0.20', 'Into reserve'],
    // Past the whole budget: how far over it, not "into the reserve".
    ['exceeded', '2.40', 'Over budget', '$0.40', 'Over the budget by'],
  ] as const)('%s: shows the health in its colour, what is left and the reserve apart', (health, spent, label, left, leftLabel) => {
    render(<TodayCard day={day({ spentUsd: spent, health })} />);
    const card = screen.getByTestId('today-card');
    expect(card.className).toContain(`health-${health}`);
    const badge = within(card).getByText(label);
    expect(badge.closest('.badge')?.getAttribute('data-health')).toBe(health);
    expect(badge.closest('.badge')?.className).toContain(`health-${health}`);
    expect(within(card).getByText(leftLabel).nextElementSibling?.textContent).toBe(left);
    expect(within(card).getByText('Reserve held back').nextElementSibling?.textContent).toBe('$0.40');
    const meter = within(card).getByRole('meter');
    expect(meter.className).toContain(`health-${health}`);
  });

  it('fills the meter by the share of the whole budget and marks where the reserve starts', () => {
    render(<TodayCard day={day({ spentUsd: '1.00', health: 'good' })} />);
    const meter = screen.getByRole('meter', { name: "Today's spend against the daily budget" });
    expect(meter.getAttribute('aria-valuenow')).toBe('50');
    expect((meter.querySelector('.meter-fill') as HTMLElement).style.width).toBe('50%');
    expect((meter.querySelector('.meter-reserve') as HTMLElement).style.width).toBe('20%');
    expect((meter.querySelector('.meter-tick') as HTMLElement).style.left).toBe('80%');
  });

  it('caps the fill at the track and says how far over it went', () => {
    render(<TodayCard day={day({ spentUsd: '3.00', health: 'exceeded' })} />);
    const meter = screen.getByRole('meter');
    expect((meter.querySelector('.meter-fill') as HTMLElement).style.width).toBe('100%');
    expect(meter.textContent).toContain('+50%');
  });

  it('without a budget tells a new user what to do first', () => {
    render(<TodayCard day={day({ spentUsd: '0.08', budgetUsd: null, reserveUsd: null, spendableUsd: null, health: null })} onSetBudget={() => undefined} />);
    expect(screen.getByText('No budget')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Set one' })).toBeTruthy();
    expect(screen.queryByRole('meter')).toBeNull();
    expect(screen.getByText('$0.08')).toBeTruthy();
  });

  it('compact (popover): one line with what is left and the reserve', () => {
    render(<TodayCard day={day({ spentUsd: '1.80', health: 'critical' })} compact />);
    const card = screen.getByTestId('today-card');
    expect(card.querySelector('.stat-line')?.textContent).toBe('$0.20 into the reserve · $0.40 reserve held back');
    expect(within(card).getByText('In the reserve')).toBeTruthy();
  });

  it('compact (popover), over budget: says how far over the budget it is', () => {
    render(<TodayCard day={day({ spentUsd: '12414.15', budgetUsd: '2500.00', reserveUsd: '500.00', spendableUsd: '2000.00', health: 'exceeded' })} compact />);
    const card = screen.getByTestId('today-card');
    expect(card.querySelector('.stat-line')?.textContent).toBe('$9,914.15 over the budget');
    expect(card.querySelector('.stat-amount')?.textContent).toBe('$12,414.15');
  });
});

describe('MonthCard', () => {
  it('shows the month against its budget with the forecast, and when the budget runs out', () => {
    render(<MonthCard month={month({ spentUsd: '45.10', forecastUsd: '61.00', health: 'critical', runsOutOn: '2026-11-29' })} />);
    const card = screen.getByTestId('month-card');
    expect(within(card).getByText('November')).toBeTruthy();
    // The forecast has its own card on the dashboard: this one says what is left of the budget.
    expect(within(card).queryByText('Forecast')).toBeNull();
    expect(within(card).getByText('Left this month').nextElementSibling?.textContent).toBe('$4.90');
    expect(within(card).getByText('Reserve held back').nextElementSibling?.textContent).toBe('$10.00');
    expect(card.className).toContain('health-critical');
    // The forecast is drawn on the meter beyond what is spent.
    expect(card.querySelector('.meter-forecast')).not.toBeNull();
  });

  it('shows tiny amounts with more places instead of $0.00', () => {
    render(<MonthCard month={month({ spentUsd: '0.000075', budgetUsd: null, reserveUsd: null, health: null, forecastUsd: '0.0021' })} compact />);
    expect(screen.getByText('$0.000075')).toBeTruthy();
    expect(screen.getByText('$0.0021')).toBeTruthy();
  });
});
