import { AttentionList } from '../components/AttentionList';
import { MonthEndPrompt, promptedByMonthEnd } from '../components/actions/MonthEndPrompt';
import { EmptyState, ErrorNote, Loading } from '../components/Feedback';
import { Icon } from '../components/Icons';
import { ProviderPace } from '../components/ProviderPace';
import { ReadingForm, readingProviders } from '../components/ReadingForm';
import { MonthCard, TodayCard } from '../components/StatusCards';
import { LiveDot } from '../components/LiveDot';
import { SyncButton } from '../components/SyncButton';
import { ViewLink } from '../components/ViewLink';
import { useCall } from '../hooks/useCall';
import { useProviderNames } from '../hooks/useProviderNames';
import type { Route } from '../routes';
import { TeamLine } from '../components/TeamLine';
import { OverrideButton } from '../components/actions/OverrideButton';

/**
 * The tray popover (about 360 × 520): a glance at today and the month, what needs attention,
 * each provider, and a quick reading. Everything else is one click away in the window.
 */
export function Popover({ route }: { route: Extract<Route, { surface: 'popover' }> }) {
  const status = useCall('status', {}, { refreshOn: ['statusChanged', 'alertFired', 'reminderDue', 'syncFinished'] });
  const providers = useCall('providers', {}, { refreshOn: ['statusChanged'] });
  const budgets = useCall('budgetShow', {}, { refreshOn: ['statusChanged'] });
  const names = useProviderNames(providers.data);
  // Only providers the user set up (or already read): a new user is not asked for DeepSeek's balance.
  const readable = readingProviders(providers.data?.providers ?? []).filter((p) => p.configured || p.lastReading);
  const s = status.data;
  const toBudgets = { surface: 'window' as const, view: 'budgets' as const };

  return (
    <div className="popover" data-surface="popover">
      <header className="pop-head">
        <div className="brand">
          <Icon.flame className="brand-mark" />
          <span className="brand-name">Burnrate</span>
          <LiveDot />
        </div>
        <div className="pop-actions">
          <SyncButton compact />
          <ViewLink to={{ surface: 'window', view: 'dashboard' }} surface="popover" className="btn btn-small btn-ghost" title="Open the Burnrate window">
            <Icon.external />
            <span>Open</span>
          </ViewLink>
        </div>
      </header>
      <main className="pop-body">
        <ErrorNote error={status.error} onRetry={status.reload} />
        {!s && status.loading ? <Loading /> : null}
        {s ? (
          <>
            <div className="pop-cards">
              <TodayCard day={s.day} compact />
              <MonthCard month={s.month} compact />
            </div>
            {!s.day.budgetUsd && !s.month.budgetUsd ? (
              <p className="pop-hint">
                <ViewLink to={toBudgets} surface="popover" className="link">
                  Set a daily budget
                </ViewLink>{' '}
                to see health colours and get warned before the reserve.
              </p>
            ) : null}
            <OverrideButton view={budgets.data} />
            <MonthEndPrompt reminders={s.reminders} providers={providers.data?.providers ?? []} today={s.day.date} onSaved={providers.reload} />
            <TeamLine />
            <section aria-labelledby="pop-providers-title">
              <h2 id="pop-providers-title" className="section-title">
                Providers this month
              </h2>
              {s.providers.length > 0 ? (
                <ProviderPace providers={s.providers} caps={budgets.data?.caps ?? []} asOf={s.asOf} timeZone={s.timezone} names={names} />
              ) : (
                <EmptyState title="Nothing tracked yet">
                  <ViewLink to={{ surface: 'window', view: 'accounts' }} surface="popover" className="link">
                    Add a provider key
                  </ViewLink>{' '}
                  to sync billed spend, or{' '}
                  <ViewLink to={{ surface: 'window', view: 'readings' }} surface="popover" className="link">
                    track a provider by its console
                  </ViewLink>
                  .
                </EmptyState>
              )}
            </section>
            {/* A missing final figure or a month about to end is the prompt above, with its button: not listed twice. */}
            <AttentionList items={s.attention.filter((a) => !promptedByMonthEnd(a))} max={1} surface="popover" reminders={s.reminders} />
            {readable.length > 0 ? (
              <section aria-labelledby="pop-reading-title" className="pop-reading">
                <h2 id="pop-reading-title" className="section-title">
                  Enter a reading
                </h2>
                <ReadingForm providers={readable} initialProvider={route.provider} autoFocus={route.focus === 'reading'} onSaved={providers.reload} />
              </section>
            ) : null}
            <footer className="pop-foot muted small">
              Budget days run in {s.timezone}
            </footer>
          </>
        ) : null}
      </main>
    </div>
  );
}
