import { useMemo, useState } from 'react';
import type { Status } from '../../../../src/api/contract';
import { AttentionList } from '../../components/AttentionList';
import { Choice } from '../../components/Choice';
import { Card, EmptyState, ErrorNote, Loading } from '../../components/Feedback';
import { Money } from '../../components/Money';
import { ProviderList } from '../../components/ProviderList';
import { MonthCard, TodayCard } from '../../components/StatusCards';
import { ChartCanvas } from '../../charts/ChartCanvas';
import { dailyChart, monthChart, shareChart, summaryShares, type Share } from '../../charts/configs';
import { themeColors } from '../../charts/setup';
import { monthName } from '../../format/time';
import { formatMoney, percentOf, subUsd, sumUsd, toNano } from '../../format/money';
import { formatPct } from '../../format/numbers';
import { useThemeState } from '../../hooks/theme';
import { useCall } from '../../hooks/useCall';
import { useProviderNames } from '../../hooks/useProviderNames';

const RANGES = [
  { value: 7, label: '7 days' },
  { value: 30, label: '30 days' },
  { value: 90, label: '90 days' },
];

function go(hash: string) {
  window.location.hash = hash;
}

export function Dashboard() {
  const status = useCall('status', {}, { refreshOn: ['statusChanged', 'alertFired', 'reminderDue', 'syncFinished'] });
  const providers = useCall('providers', {}, { refreshOn: ['statusChanged'] });
  const keys = useCall('keysList', {}, { refreshOn: ['statusChanged'] });
  const names = useProviderNames(providers.data);
  const s = status.data;

  if (!s) return status.error ? <ErrorNote error={status.error} onRetry={status.reload} /> : <Loading />;

  // The welcome stays until spend can arrive from somewhere (a key, a reading, a record): a budget alone tracks nothing.
  const hasSource = (keys.data?.keys.length ?? 0) > 0 || s.providers.some((p) => p.lastReadingAt || p.lastUsageDay || p.lastSyncAt);
  const showWelcome = keys.data !== undefined && !hasSource;
  return (
    <div className="dashboard">
      <ErrorNote error={status.error} onRetry={status.reload} />
      {showWelcome ? <Welcome budgetSet={Boolean(s.day.budgetUsd || s.month.budgetUsd)} /> : null}
      <div className="grid grid-stats">
        <TodayCard day={s.day} onSetBudget={() => go('#/budgets')} />
        <MonthCard month={s.month} onSetBudget={() => go('#/budgets')} />
        <ForecastCard status={s} />
      </div>
      <AttentionList items={s.attention} surface="window" reminders={s.reminders} />
      <DailyChartCard status={s} names={names} />
      <div className="grid grid-2">
        <MonthChartCard status={s} />
        <SharesCard status={s} names={names} />
      </div>
      <Card title="Providers this month">
        {s.providers.length > 0 ? (
          <ProviderList providers={s.providers} asOf={s.asOf} timeZone={s.timezone} names={names} surface="window" />
        ) : (
          <EmptyState title="No providers yet">Add a key under Accounts & keys, record usage with the CLI, or track a provider by its console under Readings.</EmptyState>
        )}
      </Card>
    </div>
  );
}

function Welcome({ budgetSet }: { budgetSet: boolean }) {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Burnrate</h2>
      <p>{budgetSet ? 'Your budget is set. Now tell Burnrate where your spend comes from:' : 'Three steps and you will see what your AI providers cost you, day by day:'}</p>
      <ol className="steps">
        <li className={budgetSet ? 'step-done' : undefined}>
          <a href="#/budgets" className="step">
            <strong>{budgetSet ? 'Daily budget set ✓' : 'Set a daily budget'}</strong>
            <span>Health colours and alerts need one. A reserve is held back for emergencies.</span>
          </a>
        </li>
        <li>
          <a href="#/accounts" className="step">
            <strong>Add a provider key</strong>
            <span>OpenAI, Anthropic, OpenRouter, DeepSeek, xAI: billed spend syncs on its own.</span>
          </a>
        </li>
        <li>
          <a href="#/readings" className="step">
            <strong>Enter a reading</strong>
            <span>For consoles without an API (Groq…): type the month-to-date figure.</span>
          </a>
        </li>
      </ol>
    </section>
  );
}

function ForecastCard({ status }: { status: Status }) {
  const m = status.month;
  const pct = percentOf(m.forecastUsd, m.budgetUsd);
  return (
    <section className="stat stat-forecast" aria-labelledby="forecast-title">
      <header className="stat-head">
        <h2 id="forecast-title" className="stat-title">
          {monthName(m.month)} forecast
        </h2>
      </header>
      <p className="stat-figure">
        <Money usd={m.forecastUsd} className="stat-amount" />
        {pct !== null ? <span className="stat-of">{formatPct(pct)} of budget</span> : null}
      </p>
      <p className="stat-note">
        {m.budgetUsd && toNano(m.spentUsd) > toNano(m.budgetUsd) ? (
          <span className="text-bad">The monthly budget is already passed: {formatMoney(subUsd(m.spentUsd, m.budgetUsd))} over it.</span>
        ) : m.runsOutOn ? (
          <span className="text-warn">At this pace the monthly budget runs out on {m.runsOutOn}.</span>
        ) : m.budgetUsd ? (
          'At this pace the monthly budget lasts the month.'
        ) : (
          'Projected from the days so far and the subscriptions still to come.'
        )}
      </p>
      {status.unpricedEvents > 0 ? (
        <p className="stat-note text-warn">
          {status.unpricedEvents} usage {status.unpricedEvents === 1 ? 'event has' : 'events have'} no price and {status.unpricedEvents === 1 ? 'is' : 'are'} not counted.
        </p>
      ) : null}
    </section>
  );
}

function DailyChartCard({ status, names }: { status: Status; names: ReadonlyMap<string, string> }) {
  const [days, setDays] = useState(30);
  const series = useCall('series', { days, to: status.day.date });
  const { theme } = useThemeState();
  const slugs = useMemo(() => status.providers.map((p) => p.provider), [status.providers]);
  const spendable = status.day.spendableUsd;
  const config = useMemo(
    () => (series.data ? dailyChart(series.data, themeColors(), names, { providers: slugs, spendableUsd: spendable }) : null),
    [series.data, names, theme, slugs, spendable],
  );
  const hasSpend = series.data?.providers.some((p) => p.dailyUsd.some((d) => !/^0(\.0*)?$/.test(d))) ?? false;
  return (
    <Card
      title="Daily spend by provider"
      className="chart-card"
      actions={<Choice label="Range" options={RANGES} value={days} onChange={setDays} />}
    >
      <ErrorNote error={series.error} onRetry={series.reload} />
      {config && hasSpend ? (
        <ChartCanvas config={config} label={`Daily spend by provider over the last ${days} days, with the daily budget and where its reserve starts`} height={260} />
      ) : series.data ? (
        <EmptyState title="No spend in this range">Usage you record, sync or enter as readings appears here, one bar per day.</EmptyState>
      ) : (
        <Loading />
      )}
    </Card>
  );
}

function MonthChartCard({ status }: { status: Status }) {
  const series = useCall('series', { from: `${status.month.month}-01`, to: status.day.date });
  const { theme } = useThemeState();
  const config = useMemo(() => (series.data ? monthChart(series.data, status.month, status.day.date, themeColors()) : null), [series.data, status.month, status.day.date, theme]);
  return (
    <Card title={`${monthName(status.month.month)} so far`} className="chart-card">
      <ErrorNote error={series.error} onRetry={series.reload} />
      {config && (toNano(status.month.forecastUsd) > 0n || toNano(status.month.spentUsd) > 0n || status.month.budgetUsd) ? (
        <ChartCanvas config={config} label="This month's cumulative spend against the monthly budget, with the forecast" height={240} />
      ) : config ? (
        <EmptyState title="Nothing spent this month yet">The running total of the month appears here, against the monthly budget, with the forecast to the month's end.</EmptyState>
      ) : (
        <Loading />
      )}
    </Card>
  );
}

function ShareLegend({ shares }: { shares: Share[] }) {
  const total = sumUsd(shares.map((s) => s.usd));
  return (
    <ul className="legend">
      {shares.map((s) => (
        <li key={s.key} data-color={s.color}>
          <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
          <span className="legend-label" title={s.label}>
            {s.label}
          </span>
          <Money usd={s.usd} className="legend-value" />
          <span className="legend-pct num">{formatPct(percentOf(s.usd, total))}</span>
        </li>
      ))}
    </ul>
  );
}

const SHARE_BY = [
  { value: 'provider', label: 'Provider' },
  { value: 'model', label: 'Model' },
  { value: 'project', label: 'Project' },
  { value: 'agent', label: 'Agent' },
] as const;

function SharesCard({ status, names }: { status: Status; names: ReadonlyMap<string, string> }) {
  const [by, setBy] = useState<(typeof SHARE_BY)[number]['value']>('provider');
  const summary = useCall('spendSummary', { from: `${status.month.month}-01`, to: status.day.date, groupBy: by });
  const { theme } = useThemeState();
  const slugs = useMemo(() => status.providers.map((p) => p.provider), [status.providers]);
  const shares = useMemo(() => (summary.data && summary.fresh ? summaryShares(summary.data, names, slugs) : []), [summary.data, summary.fresh, names, slugs]);
  const config = useMemo(() => shareChart(shares, themeColors()), [shares, theme]);
  return (
    <Card
      title="Share of the month"
      className="chart-card"
      actions={<Choice label="Share by" options={SHARE_BY} value={by} onChange={setBy} />}
    >
      <ErrorNote error={summary.error} onRetry={summary.reload} />
      {shares.length > 0 ? (
        <div className="share">
          <ChartCanvas config={config} label={`Share of this month's spend by ${by}`} height={190} />
          <ShareLegend shares={shares} />
        </div>
      ) : summary.data && summary.fresh ? (
        <EmptyState title="Nothing spent this month yet" />
      ) : (
        <Loading />
      )}
    </Card>
  );
}
