import { isSafeExternalUrl } from './safe-links';
import { parseRoute, type Route } from '../../renderer/src/routes';
import { isAppUrl, POPOVER_PAGE, WINDOW_PAGE } from './pages';

/**
 * What to do when a page tries to go somewhere (Electron checklist items 13 and 14). Pure; the
 * thin hardening code applies the decision.
 *
 * Navigation (will-navigate): only within our own pages; a safe external link goes to the browser
 * instead; everything else is refused.
 * New windows (setWindowOpenHandler): always denied; a link to one of our pages opens that view
 * in our own window (this is how the popover's "Open dashboard" works without IPC), a safe
 * external link goes to the browser, anything else is dropped.
 */
export type NavigationDecision = { action: 'allow' } | { action: 'open-external'; url: string } | { action: 'deny' };

export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  if (isSafeExternalUrl(url)) return { action: 'open-external', url };
  return { action: 'deny' };
}

export type WindowOpenDecision = { action: 'show-route'; route: Route } | { action: 'open-external'; url: string } | { action: 'deny' };

export function decideWindowOpen(url: string): WindowOpenDecision {
  if (isAppUrl(url)) {
    const parsed = new URL(url);
    const page = parsed.pathname.replace(/^\/+/, '') || WINDOW_PAGE;
    if (page !== WINDOW_PAGE && page !== POPOVER_PAGE) return { action: 'deny' };
    // The renderer's own parser: the page would show exactly this route for this hash.
    return { action: 'show-route', route: parseRoute(parsed.hash) };
  }
  if (isSafeExternalUrl(url)) return { action: 'open-external', url };
  return { action: 'deny' };
}

/**
 * Permission requests and checks (checklist item 5): everything is refused except writing to the
 * clipboard from our own pages (the "copy" buttons). Notifications come from main, not the page.
 */
export function permissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
