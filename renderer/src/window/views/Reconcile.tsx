import type { DriftSummary, ReconcileResult } from '../../../../src/api/contract/reconcile';
import { useState } from 'react';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { Money } from '../../components/Money';
import { providerName } from '../../components/providers';
import { HeaderCells, right, Table, type Column } from '../../components/Table';
import { formatBp } from '../../format/numbers';
import { localDateTime, shortDay } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';

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

/** Estimates against the bill: drift per provider (7 and 30 days), the worst days, a run on demand. */
export function Reconcile() {
  const accuracy = useCall('accuracy', { worst: 8 });
  const run = useAction('reconcile');
  const [result, setResult] = useState<ReconcileResult>();
  const a = accuracy.data;

  const reconcile = async () => {
    const r = await run.run({});
    if (r) {
      setResult(r);
      accuracy.reload();
    }
  };

  return (
    <div className="stack">
      <Card
        title="Drift per provider"
        actions={
          <button type="button" className="btn btn-secondary" onClick={reconcile} disabled={run.busy}>
            {run.busy ? 'Reconciling…' : 'Reconcile now'}
          </button>
        }
      >
        <ErrorNote error={accuracy.error ?? run.error} onRetry={accuracy.reload} />
        {result ? (
          <SuccessNote>
            Compared {result.days.length} provider-days from {result.run.from} to {result.run.to}
            {result.changed ? '.' : ': nothing changed since the last run.'}
          </SuccessNote>
        ) : null}
        {!a && accuracy.loading ? <Loading /> : null}
        {a ? (
          <p className="muted small">
            {a.lastRun ? `Last run ${localDateTime(a.lastRun.ranAt)}, checked ${localDateTime(a.lastRun.checkedAt)}.` : 'Not reconciled yet.'} Drift above{' '}
            {formatBp(a.thresholdBp)} is flagged.
          </p>
        ) : null}
        {a && a.providers.length === 0 ? (
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
        <Card title="Worst days">
          <Table columns={['Day', 'Provider', ...DRIFT_COLUMNS]}>
            {a.worstDays.map((d) => (
              <tr key={`${d.provider}-${d.date}`}>
                <td className="num">{shortDay(d.date)}</td>
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
