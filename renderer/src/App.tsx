import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { NEEDS_TOKEN_MESSAGE, type ApiClient } from './api';
import { syncFailureWords } from './api/remedies';
import { Icon } from './components/Icons';
import { ClientProvider, useEvent } from './hooks/client';
import { ThemeProvider } from './hooks/theme';
import { ToastProvider, useToast } from './hooks/toasts';
import { useHashRoute } from './hooks/useHashRoute';
import { Popover } from './popover/Popover';
import { hashOf, type WindowView } from './routes';
import { Shell } from './window/Shell';
import { Accounts } from './window/views/Accounts';
import { Alerts } from './window/views/Alerts';
import { Budgets } from './window/views/Budgets';
import { Dashboard } from './window/views/Dashboard';
import { Export } from './window/views/Export';
import { History } from './window/views/History';
import { Prices } from './window/views/Prices';
import { Readings } from './window/views/Readings';
import { Reconcile } from './window/views/Reconcile';
import { MonthClose } from './window/views/MonthClose';
import { Team } from './window/views/Team';
import { Settings } from './window/views/Settings';
import { Agents } from './window/views/Agents';
import { providerName } from './components/providers';

const VIEWS: Record<WindowView, () => ReactNode> = {
  dashboard: Dashboard,
  history: History,
  accounts: Accounts,
  budgets: Budgets,
  readings: Readings,
  alerts: Alerts,
  reconcile: Reconcile,
  close: MonthClose,
  team: Team,
  settings: Settings,
  export: Export,
  agents: Agents,
  prices: Prices,
};

/**
 * Wraps the client so that a 401 anywhere locks the whole page behind one clear sentence
 * instead of an error in every card.
 */
function useGuardedClient(client: ApiClient): { client: ApiClient; locked: boolean } {
  const [locked, setLocked] = useState(false);
  const guarded = useMemo<ApiClient>(
    () => ({
      transport: client.transport,
      on: client.on.bind(client),
      onLive: client.onLive.bind(client),
      backupFileUrl: client.backupFileUrl.bind(client),
      async call(method, input) {
        try {
          return await client.call(method, input);
        } catch (error) {
          if ((error as { code?: string }).code === 'unauthorized') setLocked(true);
          throw error;
        }
      },
    }),
    [client],
  );
  return { client: guarded, locked };
}

function NeedsToken() {
  return (
    <div className="locked" role="alert">
      <Icon.flame className="locked-mark" />
      <h1>This dashboard needs its token</h1>
      <p>{NEEDS_TOKEN_MESSAGE}</p>
      <p className="muted small">
        <code>burnrate serve</code> prints one line such as <code>http://127.0.0.1:4317/?token=…</code> when it starts; each start makes a fresh token.
      </p>
    </div>
  );
}

/** Pushes that deserve a word even when no card shows them. */
function Notices() {
  const toast = useToast();
  useEvent('alertFired', (alert) => toast(alert.message, alert.level === 'info' ? 'info' : 'warning'));
  useEvent('syncFinished', (e) => {
    if (e.outcome === 'error') toast(`${providerName(e.provider)} sync failed: ${syncFailureWords(e.message, e.keychainTrouble)}`, 'error');
  });
  useEvent('reminderDue', (r) => toast(r.message, 'info'));
  // The desktop shell asks for a view after the page has loaded (tray menu, notification click).
  useEvent('navigate', (to) => {
    window.location.hash = hashOf(to);
  });
  return null;
}

function Surface() {
  const route = useHashRoute();
  useEffect(() => {
    document.documentElement.dataset.surface = route.surface;
  }, [route.surface]);
  if (route.surface === 'popover') return <Popover route={route} />;
  const View = VIEWS[route.view];
  return (
    <Shell view={route.view}>
      <View />
    </Shell>
  );
}

export function App({ client }: { client: ApiClient }) {
  const { client: guarded, locked } = useGuardedClient(client);
  return (
    <ThemeProvider>
      <ClientProvider client={guarded}>
        <ToastProvider>
          {locked ? (
            <NeedsToken />
          ) : (
            <>
              <Surface />
              <Notices />
            </>
          )}
        </ToastProvider>
      </ClientProvider>
    </ThemeProvider>
  );
}
