// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { ACTIONS, HeaderCells, right, secondary, Table } from '../../../renderer/src/components/Table';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { Reconcile } from '../../../renderer/src/window/views/Reconcile';
import { bridgeFor, testCore } from './core-bridge';

afterEach(cleanup);

describe('Table', () => {
  it('heads each column, right-aligns figure columns and names the actions column for screen readers only', () => {
    render(
      <Table columns={['Provider', right('Spent'), ACTIONS]}>
        <tr>
          <td>OpenAI</td>
          <td className="right">$1.00</td>
          <td />
        </tr>
      </Table>,
    );
    const heads = screen.getAllByRole('columnheader');
    expect(heads.map((h) => [h.textContent, h.className, h.getAttribute('scope')])).toEqual([
      ['Provider', '', 'col'],
      ['Spent', 'right', 'col'],
      ['Actions', '', 'col'],
    ]);
    expect(heads[2]!.querySelector('.sr-only')).not.toBeNull();
    const table = screen.getByRole('table');
    expect(table.className).toBe('table');
    expect(table.hasAttribute('aria-busy')).toBe(false);
    expect(table.parentElement!.className).toBe('table-wrap');
  });

  it("labels each cell with its column's header for the stacked rows of a narrow window, rows added later too", () => {
    const row = (name: string) => (
      <tr key={name}>
        <td>{name}</td>
        <td className="right">$1.00</td>
        <td>3</td>
        <td />
      </tr>
    );
    const { rerender } = render(<Table columns={['Provider', right('Spent'), secondary('Cached'), ACTIONS]}>{[row('OpenAI')]}</Table>);
    const cells = () => screen.getAllByRole('cell').map((c) => [c.textContent, c.getAttribute('data-label'), c.hasAttribute('data-secondary')]);
    expect(cells()).toEqual([
      ['OpenAI', 'Provider', false],
      ['$1.00', 'Spent', false],
      ['3', 'Cached', true],
      ['', null, false], // the buttons' column has a header for screen readers only
    ]);
    rerender(<Table columns={['Provider', right('Spent'), secondary('Cached'), ACTIONS]}>{[row('OpenAI'), row('Groq')]}</Table>);
    expect(cells().slice(4, 6)).toEqual([
      ['Groq', 'Provider', false],
      ['$1.00', 'Spent', false],
    ]);
  });

  it('joins grouped headers top-down, past a header spanning two rows', () => {
    render(
      <Table
        head={
          <>
            <tr>
              <th rowSpan={2}>Provider</th>
              <th colSpan={2}>Last 7 days</th>
            </tr>
            <tr>
              <HeaderCells columns={['Billed', 'Drift']} />
            </tr>
          </>
        }
      >
        <tr>
          <td>OpenAI</td>
          <td>$2.00</td>
          <td>5%</td>
        </tr>
      </Table>,
    );
    expect(screen.getAllByRole('cell').map((c) => c.getAttribute('data-label'))).toEqual(['Provider', 'Last 7 days · Billed', 'Last 7 days · Drift']);
  });

  it('marks a stale page busy and dimmed, and scrolls when asked', () => {
    const { rerender } = render(
      <Table columns={['When']} stale scroll>
        <tr>
          <td>now</td>
        </tr>
      </Table>,
    );
    const table = screen.getByRole('table');
    expect(table.className).toBe('table stale');
    expect(table.getAttribute('aria-busy')).toBe('true');
    expect(table.parentElement!.className).toBe('table-wrap scroll-y');
    rerender(
      <Table columns={['When']} stale={false}>
        <tr>
          <td>now</td>
        </tr>
      </Table>,
    );
    expect(screen.getByRole('table').className).toBe('table');
    expect(screen.getByRole('table').getAttribute('aria-busy')).toBe('false');
  });
});

describe('Reconcile view', () => {
  let core: Core;
  const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
  beforeAll(async () => {
    core = testCore('2026-11-28T18:00:00Z');
    // OpenAI estimated $2.00 a day and billed $2.00 (no drift); Anthropic estimated $1.00 and billed $2.00.
    const billed = [];
    for (let d = 20; d <= 27; d++) {
      await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '2.00', at: `${day(d)}T10:00:00Z`, id: `o-${d}` });
      await dispatch(core, 'record', { provider: 'anthropic', model: 'claude-sonnet-4-5', cost: '1.00', at: `${day(d)}T10:00:00Z`, id: `a-${d}` });
      for (const [provider, nano] of [['openai', 2e9], ['anthropic', 2e9]] as const) {
        billed.push({ provider, externalId: `${provider}-${d}`, bucketStart: new Date(`${day(d)}T00:00:00Z`), bucketEnd: new Date(`${day(d + 1)}T00:00:00Z`), amountNano: nano });
      }
    }
    core.spendChanged('sync', core.billed.write(billed).touched);
    await dispatch(core, 'reconcile', {});
  });
  afterAll(() => core.close());

  it('shows billed, estimated and drift per provider and period, flags the drift past the threshold, and lists the worst days', async () => {
    render(
      <ClientProvider client={createIpcClient(bridgeFor(core))}>
        <Reconcile />
      </ClientProvider>,
    );
    const perProvider = await within((await screen.findByText('Drift per provider')).closest('section')!).findByRole('table');
    expect(within(perProvider).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Provider',
      'Last 7 days',
      'Last 30 days',
      'Billed',
      'Estimated',
      'Drift',
      'Billed',
      'Estimated',
      'Drift',
    ]);
    const anthropic = within(perProvider).getByText('Anthropic').closest('tr')!;
    expect(anthropic.className).toBe('row-warn');
    const cells = [...anthropic.querySelectorAll('td')];
    expect(cells.map((c) => c.textContent)).toEqual(['Anthropic', '$14.00', '$7.00', '-$7.00 (-50%)', '$16.00', '$8.00', '-$8.00 (-50%)']);
    expect(cells[3]!.className).toBe('right num text-warn');
    const openai = within(perProvider).getByText('OpenAI').closest('tr')!;
    expect(openai.querySelectorAll('td')[3]!.className).toBe('right num');

    const days = within(screen.getByText('Worst days').closest('section')!).getByRole('table');
    expect(within(days).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Day', 'Provider', 'Billed', 'Estimated', 'Drift']);
    const first = [...days.querySelectorAll('tbody tr')[0]!.querySelectorAll('td')];
    expect(first.map((c) => c.textContent)).toEqual(['2026-11-20', 'Anthropic', '$2.00', '$1.00', '-$1.00 (-50%)']);
    // The worst days are listed, never flagged: every one of them is a candidate.
    expect(first[4]!.className).toBe('right num');
  });
});
