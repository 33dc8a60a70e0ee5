import type { DriftSummary, ReconcileResult } from '../../../../src/api/contract/reconcile';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Money } from '../../components/Money';
import { providerName } from '../../components/providers';
import { ProviderSelect } from '../../components/ProviderSelect';
import { HeaderCells, right, Table, type Column } from '../../components/Table';
import { formatBp } from '../../format/numbers';
import { dayRangeProblem, localDateTime } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';

/** What a drift row shows; a provider's summary and a single day both have it. */
interface DriftFigures {
  billedUsd: string | null;
  estimatedUsd: string | null;
  driftUsd: string | null;
  driftBp: number | null;
}

/** Billed, estimated and their drift (sign and share of the bill); `flagged` marks a drift past the threshold. */
function DriftCells({ d, flagged }: { d: DriftFigures; flagged?: boolean }) {
  return (
    <>
      <td className="right">
        <Money usd={d.billedUsd} />
      </td>
      <td className="right">
        <Money usd={d.estimatedUsd} />
      </td>
      <td className={`right num${flagged ? ' text-warn' : ''}`}>
        {d.driftBp === null ? '—' : (
          <>
            <Money usd={d.driftUsd} signed /> <span className="muted">({formatBp(d.driftBp, true)})</span>
          </>
        )}
      </td>
    </>
  );
}

/** A provider's drift over a period: its totals only where a billed day was compared. */
function SummaryCells({ d }: { d: DriftSummary }) {
  const shown = d.coveredDays > 0 ? d : { ...d, billedUsd: null, estimatedUsd: null };
  return <DriftCells d={shown} flagged={d.driftBp !== null && Math.abs(d.driftBp) >= 500} />;
}

const DRIFT_COLUMNS: Column[] = [right('Billed'), right('Estimated'), right('Drift')];

/** How many worst days to list (accuracy's `worst`, as `accuracy --worst N`); the first is the CLI's default. */
const WORST_COUNTS = [5, 10, 20, 50];

/** Estimates against the bill: drift per provider (7 and 30 days), the worst days, a run over any range on demand. */
export function Reconcile() {
  // One provider only, or all (accuracy's `provider`, as `accuracy --provider P`).
  const [provider, setProvider] = useState('');
  const [worst, setWorst] = useState(WORST_COUNTS[0]!);
  const accuracy = useCall('accuracy', { worst, ...(provider ? { provider } : {}) });
  const known = useCall('providers', {}, { refreshOn: [] });
  const run = useAction('reconcile');
  const [result, setResult] = useState<ReconcileResult>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const form = useFieldErrors<'from'>(run, { from: 'from' });
  const a = accuracy.data;

  // The range a run takes without one: the last 30 complete days, as the summary counts them. Set
  // once, unless the user typed first; fields emptied later are left empty (the same default).
  const defaulted = useRef(false);
  useEffect(() => {
    if (a && !defaulted.current) {
      defaulted.current = true;
      setFrom(a.last30.from);
      setTo(a.last30.to);
    }
  }, [a]);
  const typed = (set: (v: string) => void) => (v: string) => ((defaulted.current = true), set(v));

  const reconcile = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check({ from: dayRangeProblem(from, to) })) return;
    const r = await run.run({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
    if (r) {
      setResult(r);
      accuracy.reload();
    }
  };

  // Providers with a bill to compare: those Burnrate syncs billed figures for, and any the answer lists.
  const billed = [...new Set([...(known.data?.providers ?? []).filter((p) => p.syncable).map((p) => p.provider), ...(a?.providers ?? []).map((p) => p.provider), ...(provider ? [provider] : [])])];
  const providerFilter = (
    <label className="inline-field">
      Provider
      <ProviderSelect providers={billed.map((p) => ({ provider: p, name: providerName(p) }))} anyLabel="All providers" value={provider} onChange={setProvider} />
    </label>
  );

  return (
    <div className="stack">
      <Card title="Drift per provider" actions={providerFilter}>
        <ErrorNote error={accuracy.error} onRetry={accuracy.reload} />
        <form ref={form.formRef} className="form-row" onSubmit={reconcile} noValidate aria-label="Reconcile a range">
          <Field label="From" error={form.errorOf('from')} hint="Empty: 30 days up to the last day.">
            <input type="date" value={from} onChange={form.onEdit('from', typed(setFrom))} />
          </Field>
          <Field label="To" hint="Empty: yesterday, the last complete day.">
            <input type="date" value={to} onChange={(e) => (typed(setTo)(e.target.value), form.edited('from'))} />
          </Field>
          <button type="submit" className="btn btn-secondary" disabled={run.busy}>
            {run.busy ? 'Reconciling…' : 'Reconcile now'}
          </button>
        </form>
        <ErrorNote error={form.refusal} />
        {result ? <RunResult result={result} /> : null}
        {!a && accuracy.loading ? <Loading /> : null}
        {a ? (
          <p className="muted small">
            {a.lastRun ? `Last run ${localDateTime(a.lastRun.ranAt, a.timezone)}, checked ${localDateTime(a.lastRun.checkedAt, a.timezone)}.` : 'Not reconciled yet.'} Drift above{' '}
            {formatBp(a.thresholdBp)} is flagged.
          </p>
        ) : null}
        {a && a.providers.length === 0 && provider ? (
          <EmptyState title={`No billed days of ${providerName(provider)} to compare`}>
            None from {a.last30.from} to {a.last30.to}. Choose All providers to see the others.
          </EmptyState>
        ) : null}
        {a && a.providers.length === 0 && !provider ? (
          <EmptyState title="Nothing to compare yet">
            Reconciliation needs billed figures: add a key for a provider with a billing API under <a href="#/accounts">Accounts & keys</a>. Its bill is then
            compared with what Burnrate estimated from tokens.
          </EmptyState>
        ) : null}
        {a && a.providers.length > 0 ? (
          <Table
            head={
              <>
                <tr>
                  <th scope="col" rowSpan={2}>
                    Provider
                  </th>
                  <th scope="colgroup" colSpan={3} className="center">
                    Last 7 days
                  </th>
                  <th scope="colgroup" colSpan={3} className="center">
                    Last 30 days
                  </th>
                </tr>
                <tr>
                  <HeaderCells columns={[...DRIFT_COLUMNS, ...DRIFT_COLUMNS]} />
                </tr>
              </>
            }
          >
            {a.providers.map((p) => (
              <tr key={p.provider} className={p.exceedsThreshold ? 'row-warn' : undefined}>
                <td>{providerName(p.provider)}</td>
                <SummaryCells d={p.last7} />
                <SummaryCells d={p.last30} />
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
      {a && a.worstDays.length > 0 ? (
        <Card
          title="Worst days"
          actions={
            <label className="inline-field">
              Show
              <select value={worst} onChange={(e) => setWorst(Number(e.target.value))}>
                {WORST_COUNTS.map((n) => (
                  <option key={n} value={n}>
                    {n} worst
                  </option>
                ))}
              </select>
            </label>
          }
        >
          <Table columns={['Day', 'Provider', ...DRIFT_COLUMNS]}>
            {a.worstDays.map((d) => (
              <tr key={`${d.provider}-${d.date}`}>
                <td className="num">{d.date}</td>
                <td>{providerName(d.provider)}</td>
                <DriftCells d={d} />
              </tr>
            ))}
          </Table>
        </Card>
      ) : null}
    </div>
  );
}

/** What a run compared: its range and each provider's drift over it (the table the summary has for 7 and 30 days). */
function RunResult({ result }: { result: ReconcileResult }) {
  return (
    <div data-testid="reconcile-result">
      <SuccessNote>
        Compared {result.days.length} provider-days from {result.run.from} to {result.run.to}
        {result.changed ? '.' : ': nothing changed since the last run.'}
      </SuccessNote>
      {result.providers.length > 0 ? (
        <Table columns={['Provider', right('Days estimated'), ...DRIFT_COLUMNS]}>
          {result.providers.map((p) => (
            <tr key={p.provider}>
              <td>{providerName(p.provider)}</td>
              <td className="right num">
                {p.coveredDays} of {p.days}
              </td>
              <SummaryCells d={p} />
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
