import type { ReactNode } from 'react';
import { Icon } from '../components/Icons';
import { LiveDot } from '../components/LiveDot';
import { SyncButton } from '../components/SyncButton';
import { ThemeSwitch } from '../components/ThemeSwitch';
import { useCall } from '../hooks/useCall';
import { WINDOW_ROUTES, type WindowView } from '../routes';

const NAV: { view: WindowView; label: string; icon: (p: { className?: string }) => ReactNode }[] = [
  { view: 'dashboard', label: 'Dashboard', icon: Icon.dashboard },
  { view: 'history', label: 'History', icon: Icon.history },
  { view: 'accounts', label: 'Accounts & keys', icon: Icon.key },
  { view: 'budgets', label: 'Budgets & caps', icon: Icon.target },
  { view: 'readings', label: 'Readings & subscriptions', icon: Icon.gauge },
  { view: 'alerts', label: 'Alerts', icon: Icon.bell },
  { view: 'prices', label: 'Prices', icon: Icon.tag },
  { view: 'reconcile', label: 'Reconciliation', icon: Icon.scale },
  { view: 'close', label: 'Month close', icon: Icon.check },
  { view: 'team', label: 'Team', icon: Icon.team },
  { view: 'settings', label: 'Settings', icon: Icon.settings },
  { view: 'export', label: 'Export', icon: Icon.download },
  { view: 'agents', label: 'Coding agents', icon: Icon.flame },
];

export const VIEW_TITLE: Record<WindowView, string> = {
  dashboard: 'Dashboard',
  history: 'Usage history',
  accounts: 'Accounts & keys',
  budgets: 'Budgets & caps',
  readings: 'Readings & subscriptions',
  alerts: 'Alerts',
  reconcile: 'Reconciliation',
  close: 'Month close',
  team: 'Team totals',
  settings: 'Settings',
  export: 'Export',
  agents: 'Coding agents',
  prices: 'Prices',
};

/** The window: a sidebar of views, a header with the view's title and "Sync now", the view. */
export function Shell({ view, children }: { view: WindowView; children: ReactNode }) {
  const alerts = useCall('alerts', {}, { refreshOn: ['statusChanged', 'alertFired'] });
  const open = alerts.data?.open ?? 0;
  return (
    <div className="app" data-surface="window">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Views">
        <div className="brand">
          <Icon.flame className="brand-mark" />
          <span className="brand-name">Burnrate</span>
        </div>
        <ul className="nav">
          {NAV.map((item) => (
            <li key={item.view}>
              <a href={WINDOW_ROUTES[item.view]} className={`nav-link${item.view === view ? ' active' : ''}`} aria-current={item.view === view ? 'page' : undefined}>
                <item.icon className="nav-icon" />
                <span>{item.label}</span>
                {item.view === 'alerts' && open > 0 ? (
                  <span className="nav-count" aria-label={`${open} open`}>
                    {open}
                  </span>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <ThemeSwitch />
        </div>
      </nav>
      <div className="main-col">
        <header className="topbar">
          <h1 className="view-title">{VIEW_TITLE[view]}</h1>
          <div className="topbar-actions">
            <LiveDot />
            <SyncButton />
          </div>
        </header>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
