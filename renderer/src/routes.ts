/**
 * The one page's hash routes. main/ loads `index.html#/popover` into the tray popover and
 * `index.html#/…` (a window view) into the dashboard window; the browser under `burnrate serve`
 * uses the same hashes. Pure, no DOM: main/ may import these constants.
 */

export const POPOVER_ROUTE = '#/popover';

/** The window's views, in sidebar order, with the hash of each. */
export const WINDOW_ROUTES = {
  dashboard: '#/',
  history: '#/history',
  accounts: '#/accounts',
  budgets: '#/budgets',
  readings: '#/readings',
  alerts: '#/alerts',
  reconcile: '#/reconcile',
  settings: '#/settings',
  export: '#/export',
} as const;

export type WindowView = keyof typeof WINDOW_ROUTES;

export type Route =
  | { surface: 'popover'; provider?: string; focus?: 'reading' }
  | { surface: 'window'; view: WindowView; provider?: string; alertId?: number };

/**
 * Names the desktop shell may send (main/lib/routes.ts's `view`) that are not our own hash names:
 * the popover's "glance" and "reading", and "dashboard" for the window's first view.
 */
const POPOVER_ALIASES = new Set(['popover', 'glance', 'reading']);

function isWindowView(name: string): name is WindowView {
  return Object.prototype.hasOwnProperty.call(WINDOW_ROUTES, name);
}

/** `#/readings?provider=groq` → the route; anything unknown is the dashboard. */
export function parseRoute(hash: string): Route {
  const match = /^#?\/?([^?]*)(?:\?(.*))?$/.exec(hash) ?? [];
  const name = decodeURIComponent(match[1] ?? '').replace(/\/+$/, '');
  const params = new URLSearchParams(match[2] ?? '');
  const provider = params.get('provider') ?? undefined;
  if (POPOVER_ALIASES.has(name)) {
    const focus = params.get('focus') === 'reading' || name === 'reading' ? 'reading' : undefined;
    return { surface: 'popover', ...(provider ? { provider } : {}), ...(focus ? { focus } : {}) };
  }
  const view: WindowView = isWindowView(name) ? name : 'dashboard';
  const alertId = params.get('alertId');
  return {
    surface: 'window',
    view,
    ...(provider ? { provider } : {}),
    ...(alertId !== null && /^\d+$/.test(alertId) ? { alertId: Number(alertId) } : {}),
  };
}

/** The hash of a route, the inverse of parseRoute for our own names. */
export function hashOf(route: Route): string {
  const params = new URLSearchParams();
  if (route.provider) params.set('provider', route.provider);
  if (route.surface === 'popover') {
    if (route.focus) params.set('focus', route.focus);
    const q = params.toString();
    return `${POPOVER_ROUTE}${q ? `?${q}` : ''}`;
  }
  if (route.alertId !== undefined) params.set('alertId', String(route.alertId));
  const q = params.toString();
  return `${WINDOW_ROUTES[route.view]}${q ? `?${q}` : ''}`;
}
