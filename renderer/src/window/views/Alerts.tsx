import { useEffect, useState } from 'react';
import { useHashRoute } from '../../hooks/useHashRoute';
import { Card, EmptyState, ErrorNote, Loading } from '../../components/Feedback';
import { Icon } from '../../components/Icons';
import { providerName } from '../../components/providers';
import { formatMoney } from '../../format/money';
import { localDateTime, whenText } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useProviderNames } from '../../hooks/useProviderNames';

/** Budget alerts, newest first; acknowledge them one by one. */
export function Alerts() {
  const [all, setAll] = useState(false);
  const alerts = useCall('alerts', { all }, { refreshOn: ['statusChanged', 'alertFired'] });
  const ack = useAction('alertAck');
  // A subscription's alert names it as the user typed it, as the alert's own sentence does.
  const names = useProviderNames(useCall('providers', {}, { refreshOn: [] }).data);
  // A forecast alert keeps the figures of the moment it fired; the forecast moves on, so it is shown beside.
  const budgets = useCall('budgetShow', {}, { refreshOn: ['statusChanged'] }).data;
  const month = budgets?.month;
  const zone = budgets?.timezone;
  const list = alerts.data?.alerts ?? [];
  // A notification click opens #/alerts?alertId=N: bring that alert into view.
  const route = useHashRoute();
  const focusId = route.surface === 'window' ? route.alertId : undefined;
  const focusShown = list.some((a) => a.id === focusId);
  useEffect(() => {
    if (focusShown) document.querySelector(`[data-alert-id="${focusId}"]`)?.scrollIntoView({ block: 'center' });
  }, [focusId, focusShown]);

  const acknowledge = async (id: number) => {
    if (await ack.run({ id })) alerts.reload();
  };

  return (
    <Card
      title={alerts.data ? `${alerts.data.open} open` : 'Alerts'}
      actions={
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          Show acknowledged
        </label>
      }
    >
      <ErrorNote error={alerts.error ?? ack.error} onRetry={alerts.reload} />
      {!alerts.data && alerts.loading ? <Loading /> : null}
      {alerts.data && list.length === 0 ? (
        <EmptyState title={all ? 'No alerts yet' : 'No open alerts'}>
          Alerts fire once per threshold and period: when today or the month nears its budget, eats into the reserve or passes it, and when a provider nears its
          cap. <a href="#/budgets">Set a budget</a> to get them.
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <ul className="alert-list">
          {list.map((a) => (
            <li
              key={a.id}
              className={`alert-item level-${a.level}${a.acknowledged ? ' acked' : ''}${a.supersededBy ? ' superseded' : ''}${a.id === focusId ? ' focused' : ''}`}
              data-alert-id={a.id}
              data-state={a.acknowledged ? 'acknowledged' : a.supersededBy ? 'superseded' : 'open'}
            >
              <span className="alert-icon" aria-hidden="true">
                {a.level === 'info' ? <Icon.info /> : <Icon.warning />}
              </span>
              <div className="alert-body">
                <p className="alert-message">{a.message}</p>
                {a.rule === 'forecast_over' && month && a.period === month.month ? (
                  <p className="muted small" data-testid="forecast-now">
                    Now: forecast {formatMoney(month.forecast.forecastUsd)}
                    {month.forecast.runsOutOn ? `, the monthly budget runs out on ${month.forecast.runsOutOn}` : ', within the monthly budget'}.
                  </p>
                ) : null}
                <p className="muted small">
                  {localDateTime(a.createdAt, zone)} · {whenText(a.period)}
                  {a.provider ? ` · ${providerName(a.provider, names)}` : ''}
                  {a.project ? ` · project ${a.project}` : ''}
                  {a.supersededBy ? ' · replaced by a higher alert' : ''}
                </p>
              </div>
              {/* Only an open alert asks for an acknowledgement: one a higher alert replaced is settled by that one. */}
              {a.acknowledged ? (
                <span className="pill pill-neutral">
                  <Icon.check /> Acknowledged
                </span>
              ) : a.supersededBy ? (
                <span className="pill pill-neutral">Replaced</span>
              ) : (
                <button type="button" className="btn btn-small btn-secondary" onClick={() => acknowledge(a.id)} disabled={ack.busy}>
                  Acknowledge
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
