/**
 * The one page's hash routes. main/ loads `index.html#/popover` into the tray popover and
 * `index.html#/…` (a window view) into the dashboard window; the browser under `burnrate serve`
 * uses the same hashes. Pure, no DOM: this is also the desktop shell's route vocabulary — main/
 * imports it for tray items, notification clicks and links between our pages, and sends a Route
 * as the `navigate` push, so there is one list of names.
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
  close: '#/close',
  team: '#/team',
  settings: '#/settings',
  export: '#/export',
  agents: '#/agents',
  prices: '#/prices',
} as const;

/**
 * A form or item a window view opens at once, so a link lands where the thing is fixed: a month's
 * final figure, a top-up, a price, a record by hand, a subscription, a provider's cap.
 */
export const WINDOW_ACTIONS = ['final', 'topup', 'price', 'record', 'subscription', 'cap'] as const;
export type WindowAction = (typeof WINDOW_ACTIONS)[number];

export type WindowView = keyof typeof WINDOW_ROUTES;

export type Route =
  | { surface: 'popover'; provider?: string; focus?: 'reading' }
  | { surface: 'window'; view: WindowView; provider?: string; alertId?: number; action?: WindowAction; month?: string; model?: string };

function isWindowView(name: string): name is WindowView {
  return Object.prototype.hasOwnProperty.call(WINDOW_ROUTES, name);
}

/** A view name from elsewhere (a notice's target) as a window view; unknown names are the dashboard. */
export function windowViewOf(name: string | undefined): WindowView {
  return name !== undefined && isWindowView(name) ? name : 'dashboard';
}

/** `#/readings?provider=groq` → the route; anything unknown is the dashboard. */
export function parseRoute(hash: string): Route {
  const match = /^#?\/?([^?]*)(?:\?(.*))?$/.exec(hash) ?? [];
  const name = decodeURIComponent(match[1] ?? '').replace(/\/+$/, '');
  const params = new URLSearchParams(match[2] ?? '');
  const provider = params.get('provider') ?? undefined;
  if (name === 'popover') {
    const focus = params.get('focus') === 'reading' ? 'reading' : undefined;
    return { surface: 'popover', ...(provider ? { provider } : {}), ...(focus ? { focus } : {}) };
  }
  const view = windowViewOf(name);
  const alertId = params.get('alertId');
  const action = params.get('action');
  const month = params.get('month');
  const model = params.get('model');
  return {
    surface: 'window',
    view,
    ...(provider ? { provider } : {}),
    ...(alertId !== null && /^\d+$/.test(alertId) ? { alertId: Number(alertId) } : {}),
    ...(action !== null && (WINDOW_ACTIONS as readonly string[]).includes(action) ? { action: action as WindowAction } : {}),
    ...(month !== null && /^\d{4}-\d{2}$/.test(month) ? { month } : {}),
    ...(model ? { model } : {}),
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
  if (route.action) params.set('action', route.action);
  if (route.month) params.set('month', route.month);
  if (route.model) params.set('model', route.model);
  const q = params.toString();
  return `${WINDOW_ROUTES[route.view]}${q ? `?${q}` : ''}`;
}
