/**
 * Where the desktop app can take the user: a view of the popover or of the window, with what to
 * focus. Notification clicks, tray menu items and links between our own pages resolve to one.
 * The renderer receives it as the `navigate` event (and as the URL hash when a page first loads).
 */
export type DesktopRoute =
  | { surface: 'popover'; view: 'glance' | 'reading'; provider?: string; focus?: 'reading' }
  | { surface: 'window'; view: string; provider?: string; alertId?: number };

/** What the renderer is told: the route without its surface (the page already is the surface). */
export interface NavigateEvent {
  view: string;
  provider?: string;
  alertId?: number;
  focus?: 'reading';
}

export function navigateEventOf(route: DesktopRoute): NavigateEvent {
  const { surface: _surface, ...rest } = route;
  return rest;
}

/**
 * The hash a page is first loaded with: "#/reading?provider=groq&focus=reading". The renderer
 * reads it once at start-up; later routes come as `navigate` events.
 */
export function hashOf(route: DesktopRoute): string {
  const event = navigateEventOf(route);
  const params = new URLSearchParams();
  if (event.provider) params.set('provider', event.provider);
  if (event.alertId !== undefined) params.set('alertId', String(event.alertId));
  if (event.focus) params.set('focus', event.focus);
  const query = params.toString();
  return `#/${encodeURIComponent(event.view)}${query ? `?${query}` : ''}`;
}

/** The inverse of hashOf, for the renderer and for tests. */
export function routeFromHash(hash: string): NavigateEvent | null {
  const match = /^#\/([^?]*)(?:\?(.*))?$/.exec(hash);
  if (!match || !match[1]) return null;
  const params = new URLSearchParams(match[2] ?? '');
  const event: NavigateEvent = { view: decodeURIComponent(match[1]) };
  const provider = params.get('provider');
  if (provider) event.provider = provider;
  const alertId = params.get('alertId');
  if (alertId !== null && /^\d+$/.test(alertId)) event.alertId = Number(alertId);
  if (params.get('focus') === 'reading') event.focus = 'reading';
  return event;
}
