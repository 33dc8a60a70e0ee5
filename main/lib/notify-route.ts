import type { Notice } from '../../src/notify/notifier';
import type { DesktopRoute } from './routes';

/**
 * Where a click on a notification takes the user. A reading reminder opens the popover with the
 * reading field focused for that provider; an alert opens the window's alerts view (on that
 * alert); a sync problem opens the provider's account page; anything else opens the view its
 * target names, or the dashboard.
 */
export function routeForNotice(notice: Notice): DesktopRoute {
  const target = notice.target;
  const provider = target?.provider ? { provider: target.provider } : {};
  switch (notice.kind) {
    case 'reminder':
      return { surface: 'popover', view: 'reading', focus: 'reading', ...provider };
    case 'alert':
      return { surface: 'window', view: 'alerts', ...provider, ...(target?.alertId !== undefined ? { alertId: target.alertId } : {}) };
    case 'sync':
      return { surface: 'window', view: target?.view ?? 'accounts', ...provider };
    default:
      return { surface: 'window', view: target?.view ?? 'dashboard', ...provider };
  }
}
