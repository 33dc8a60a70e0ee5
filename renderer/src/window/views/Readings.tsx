import { useEffect, useState } from 'react';
import type { ProviderView, TrackingModeName } from '../../../../src/api/contract/odometer';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { Money } from '../../components/Money';
import { ProviderSelect } from '../../components/ProviderSelect';
import { ReadingForm, readingProviders } from '../../components/ReadingForm';
import { RemindersCard } from '../../components/RemindersCard';
import { ACTIONS, right, Table } from '../../components/Table';
import { formatMoney } from '../../format/money';
import { localDateTime, monthName } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useHashRoute } from '../../hooks/useHashRoute';
import { useLedgerZone } from '../../hooks/useLedgerZone';
import { ReadingActions } from './ReadingActions';
import { useProviderNames } from '../../hooks/useProviderNames';
import { providerName } from '../../components/providers';

const MODES: { value: TrackingModeName; label: string }[] = [
  { value: 'api', label: 'Billing API (key)' },
  { value: 'odometer', label: 'Odometer (month-to-date)' },
  { value: 'balance', label: 'Prepaid balance' },
  { value: 'subscription', label: 'Subscription' },
  { value: 'manual', label: 'Manual records' },
];

/** A reading's kind in words (the stored kinds are code words: "odometer" is a month-to-date figure). */
const READING_KIND: Record<'odometer' | 'balance' | 'topup', string> = { odometer: 'Month to date', balance: 'Balance', topup: 'Top-up' };

/** Providers and how each is tracked, their readings, reminders, and flat subscriptions. */
export function Readings() {
  const route = useHashRoute();
  const providers = useCall('providers', {});
  const list = providers.data?.providers ?? [];
  const readable = readingProviders(list);
  const [selected, setSelected] = useState<string>();
  const fromRoute = route.surface === 'window' ? route.provider : undefined;
  const current = selected ?? (fromRoute && readable.some((p) => p.provider === fromRoute) ? fromRoute : readable[0]?.provider);
  // Pin the first choice: a reading re-ranks the list, and the table must stay on the provider the form shows.
  useEffect(() => {
    if (!selected && current) setSelected(current);
  }, [selected, current]);
  useEffect(() => {
    if (fromRoute) setSelected(fromRoute);
  }, [fromRoute]);

  return (
    <div className="stack">
      <ErrorNote error={providers.error} onRetry={providers.reload} />
      <RemindersCard />
      <div className="grid grid-2">
        <Card title="Enter a reading">
          {readable.length > 0 ? (
            <ReadingForm providers={list} initialProvider={fromRoute} advanced onSaved={providers.reload} onProviderChange={setSelected} />
          ) : providers.data ? (
            <EmptyState title="No provider is tracked by its console yet">
              For a provider without a billing API (Groq, for one), switch its mode below to <strong>Odometer</strong> (it shows month-to-date spend) or{' '}
              <strong>Prepaid balance</strong>; then type in the figure its console shows.
            </EmptyState>
          ) : (
            <Loading />
          )}
        </Card>
        <Card title="How each provider is tracked">
          {providers.data ? <ModeTable providers={list} onChanged={providers.reload} /> : <Loading />}
        </Card>
      </div>
      {readable.length > 0 && current ? (
        <Card
          title="Readings"
          actions={
            <label className="inline-field">
              Provider
              <ProviderSelect providers={readable} value={current} onChange={setSelected} />
            </label>
          }
        >
          <ReadingTable provider={current} />
        </Card>
      ) : null}
      <ReadingActions providers={providers.data?.providers} route={route.surface === 'window' ? route : undefined} onSaved={providers.reload} />
    </div>
  );
}

function ModeTable({ providers, onChanged }: { providers: ProviderView[]; onChanged: () => void }) {
  const set = useAction('providerSet');
  // A subscription's own slug ("github-copilot") reads as the name the user gave it.
  const names = useProviderNames({ providers });
  const [saved, setSaved] = useState<string>();
  const change = async (p: ProviderView, mode: TrackingModeName) => {
    setSaved(undefined);
    const result = await set.run({ provider: p.provider, mode });
    if (result) {
      setSaved(`${result.name} is now tracked as ${MODES.find((m) => m.value === result.mode)?.label.toLowerCase() ?? result.mode}.`);
      onChanged();
    }
  };
  const shown = providers.filter((p) => p.configured || p.mode !== 'manual');
  return (
    <>
      {/* Every provider in view (no inner scroll): the list is short, and a cut-off row looks like the end. */}
      <Table columns={['Provider', 'Mode', right('Latest figure')]}>
        {shown.map((p) => (
          <tr key={p.provider}>
            <td>{providerName(p.provider, names)}</td>
            <td>
              <select aria-label={`How ${providerName(p.provider, names)} is tracked`} value={p.mode} onChange={(e) => change(p, e.target.value as TrackingModeName)} disabled={set.busy}>
                {MODES.map((m) => (
                  <option key={m.value} value={m.value} disabled={m.value === 'api' && !p.syncable}>
                    {m.label}
                  </option>
                ))}
              </select>
            </td>
            <td className="right">
              {p.mode === 'odometer' && p.monthToDateUsd ? <Money usd={p.monthToDateUsd} /> : p.mode === 'balance' && p.balance ? <Money usd={p.balance.balanceUsd} /> : <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </Table>
      <ErrorNote error={set.error} />
      {saved ? <SuccessNote>{saved}</SuccessNote> : null}
    </>
  );
}

const DELETE_READING = { ask: 'Delete…', yes: 'Delete', keep: 'Keep' };

function ReadingTable({ provider }: { provider: string }) {
  const data = useCall('readings', { provider });
  const zone = useLedgerZone();
  const del = useAction('readingDelete');
  const [confirm, setConfirm] = useState<number | null>(null);
  const r = data.data;
  const remove = async (id: number) => {
    if (await del.run({ id })) data.reload();
    setConfirm(null);
  };
  if (!r) return data.error ? <ErrorNote error={data.error} onRetry={data.reload} /> : <Loading />;
  return (
    <div className="stack-tight">
      {r.balance ? (
        <dl className="facts">
          <div>
            <dt>Balance</dt>
            <dd>
              <Money usd={r.balance.balanceUsd} />
            </dd>
          </div>
          <div>
            <dt>Spent, last 30 days</dt>
            <dd>
              <Money usd={r.balance.spentLast30DaysUsd} />
            </dd>
          </div>
          <div>
            <dt>Per day</dt>
            <dd>
              <Money usd={r.balance.burnPerDayUsd} />
            </dd>
          </div>
          <div>
            <dt>Runs out</dt>
            <dd>{r.balance.runsOutOn ?? '—'}</dd>
          </div>
        </dl>
      ) : null}
      {r.months.length > 0 ? (
        <ul className="months">
          {r.months.slice(0, 6).map((m) => (
            <li key={m.month} className="month-chip">
              <span>{monthName(m.month, true)}</span>
              <Money usd={m.totalUsd} />
              <span className={`pill pill-${m.status === 'final' ? 'ok' : 'neutral'}`}>{m.status}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorNote error={del.error} />
      {r.readings.length === 0 ? (
        <EmptyState title="No readings yet">Type in the figure from the console above; the first reading starts the month.</EmptyState>
      ) : (
        <Table columns={['Taken', 'Kind', right('Figure'), right('Spend it adds'), 'Note', ACTIONS]}>
          {r.readings.map((x) => (
            <tr key={x.id}>
              <td className="nowrap num">{localDateTime(x.takenAt, zone)}</td>
              <td>
                {READING_KIND[x.kind]}
                {x.final ? <span className="pill pill-ok">final</span> : null}
              </td>
              <td className="right">
                <Money usd={x.amountUsd} />
              </td>
              <td className="right">
                <Money usd={x.spendUsd} />
                {x.inferredTopupUsd && x.inferredTopupUsd !== '0.00' ? <span className="muted small"> (top-up {formatMoney(x.inferredTopupUsd)}?)</span> : null}
              </td>
              <td className="ellipsis">{x.note}</td>
              <td className="right nowrap">
                <ConfirmRemove
                  asking={confirm === x.id}
                  busy={del.busy}
                  label={`Delete the reading of ${formatMoney(x.amountUsd)}`}
                  words={DELETE_READING}
                  onAsk={() => setConfirm(x.id)}
                  onKeep={() => setConfirm(null)}
                  onRemove={() => void remove(x.id)}
                />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
