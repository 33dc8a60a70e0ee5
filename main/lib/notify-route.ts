import type { Notice } from '../../src/notify/notifier';
import { windowViewOf, type Route } from '../../renderer/src/routes';

/**
 * Where a click on a notification takes the user. A reading reminder opens the popover with the
 * reading field focused for that provider; an alert opens the window's alerts view (on that
 * alert); a sync problem opens the provider's account page; anything else opens the window view
 * its target names, or the dashboard. Routes are the renderer's (renderer/src/routes.ts).
 */
export function routeForNotice(notice: Notice): Route {
  const target = notice.target;
  const provider = target?.provider ? { provider: target.provider } : {};
  switch (notice.kind) {
    case 'reminder':
      return { surface: 'popover', focus: 'reading', ...provider };
    case 'alert':
      return { surface: 'window', view: 'alerts', ...provider, ...(target?.alertId !== undefined ? { alertId: target.alertId } : {}) };
    case 'sync':
      return { surface: 'window', view: windowViewOf(target?.view ?? 'accounts'), ...provider };
    default:
      return { surface: 'window', view: windowViewOf(target?.view), ...provider };
  }
}
