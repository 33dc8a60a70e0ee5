import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ProviderView, TrackingModeName } from '../../../../src/api/contract/odometer';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Money } from '../../components/Money';
import { ProviderSelect } from '../../components/ProviderSelect';
import { ReadingForm, readingProviders } from '../../components/ReadingForm';
import { ACTIONS, right, Table } from '../../components/Table';
import { validateAmount } from '../../components/reading';
import { formatMoney } from '../../format/money';
import { localDateTime, monthName, shortDay } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useHashRoute } from '../../hooks/useHashRoute';
import { useProviderNames } from '../../hooks/useProviderNames';
import { providerName } from '../../components/providers';

const MODES: { value: TrackingModeName; label: string }[] = [
  { value: 'api', label: 'Billing API (key)' },
  { value: 'odometer', label: 'Odometer (month-to-date)' },
  { value: 'balance', label: 'Prepaid balance' },
  { value: 'subscription', label: 'Subscription' },
  { value: 'manual', label: 'Manual records' },
];

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
      <Reminders />
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
      <Subscriptions />
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

function ReadingTable({ provider }: { provider: string }) {
  const data = useCall('readings', { provider });
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
            <dd>{r.balance.runsOutOn ? shortDay(r.balance.runsOutOn) : '—'}</dd>
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
              <td className="nowrap num">{localDateTime(x.takenAt)}</td>
              <td>
                {x.kind}
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
                {confirm === x.id ? (
                  <>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => remove(x.id)} disabled={del.busy}>
                      Delete
                    </button>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirm(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirm(x.id)} aria-label={`Delete the reading of ${formatMoney(x.amountUsd)}`}>
                    Delete…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}

function Reminders() {
  const reminders = useCall('reminders', {}, { refreshOn: ['statusChanged', 'reminderDue'] });
  const snooze = useAction('reminderSnooze');
  const dismiss = useAction('reminderDismiss');
  const due = (reminders.data?.reminders ?? []).filter((r) => r.state === 'due');
  if (due.length === 0) return null;
  return (
    <Card title="Reminders" className="card-accent">
      <ul className="reminders">
        {due.map((r) => (
          <li key={r.id}>
            <span>{r.message}</span>
            <span className="row-actions">
              <button type="button" className="btn btn-small btn-secondary" onClick={async () => (await snooze.run({ id: r.id, hours: 24 })) && reminders.reload()}>
                Snooze a day
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={async () => (await dismiss.run({ id: r.id })) && reminders.reload()}>
                Dismiss
              </button>
            </span>
          </li>
        ))}
      </ul>
      <ErrorNote error={snooze.error ?? dismiss.error} />
    </Card>
  );
}

function Subscriptions() {
  const subs = useCall('subscriptions', {});
  const add = useAction('subscriptionAdd');
  const remove = useAction('subscriptionRemove');
  const [name, setName] = useState('');
  const [monthly, setMonthly] = useState('');
  const [day, setDay] = useState('1');
  const [errors, setErrors] = useState<{ name?: string; monthly?: string; day?: string }>({});
  const [done, setDone] = useState<string>();
  const list = useMemo(() => subs.data?.subscriptions ?? [], [subs.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const next: typeof errors = {};
    if (!name.trim()) next.name = 'Name the subscription, such as ChatGPT Plus.';
    const amount = validateAmount(monthly);
    if ('error' in amount) next.monthly = amount.error.replace('the figure the console shows', 'the monthly fee');
    if (!/^\d+$/.test(day.trim()) || Number(day) < 1 || Number(day) > 31) next.day = 'A day of the month, 1 to 31.';
    setErrors(next);
    if (Object.keys(next).length > 0 || 'error' in amount) return;
    const result = await add.run({ name: name.trim(), monthly: amount.amount, day: Number(day) });
    if (!result) return;
    setDone(`Added ${result.name}: ${formatMoney(result.monthlyUsd)} a month, charged on day ${result.dayOfMonth}.`);
    setName('');
    setMonthly('');
    subs.reload();
  };

  return (
    <Card title="Subscriptions" actions={subs.data ? <span className="muted small">Total {formatMoney(subs.data.monthlyTotalUsd)} a month</span> : null}>
      <ErrorNote error={subs.error ?? remove.error} />
      {subs.data && list.length === 0 ? <EmptyState title="No subscriptions">Flat fees such as ChatGPT Plus or Claude Pro count in every month they run.</EmptyState> : null}
      {list.length > 0 ? (
        <Table columns={['Name', right('Monthly'), 'Next charge', 'Since', ACTIONS]}>
          {list.map((s) => (
            <tr key={s.id} className={s.active ? undefined : 'row-muted'}>
              <td>{s.name}</td>
              <td className="right">
                <Money usd={s.monthlyUsd} />
              </td>
              <td>{s.nextChargeOn ? shortDay(s.nextChargeOn) : s.endedOn ? `ended ${s.endedOn}` : '—'}</td>
              <td className="num">{s.startedOn}</td>
              <td className="right">
                {s.active ? (
                  <button type="button" className="btn btn-small btn-ghost" onClick={async () => (await remove.run({ id: s.id, purge: false })) && subs.reload()}>
                    End today
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <form className="form-row" onSubmit={submit} noValidate aria-label="Add a subscription">
        <Field label="Name" error={errors.name} className="grow">
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="ChatGPT Plus" />
        </Field>
        <Field label="Monthly fee (USD)" error={errors.monthly}>
          <input type="text" inputMode="decimal" value={monthly} onChange={(e) => setMonthly(e.target.value)} placeholder="20.00" />
        </Field>
        <Field label="Charged on day" error={errors.day}>
          <input type="number" min={1} max={31} value={day} onChange={(e) => setDay(e.target.value)} />
        </Field>
        <button type="submit" className="btn btn-secondary" disabled={add.busy}>
          Add
        </button>
      </form>
      <ErrorNote error={add.error} />
      {done ? <SuccessNote>{done}</SuccessNote> : null}
    </Card>
  );
}
