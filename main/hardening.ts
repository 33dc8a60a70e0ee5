import { app, type Session } from 'electron';
import { decideNavigation, decideWindowOpen, permissionAllowed } from './lib/navigation';
import type { Route } from '../renderer/src/routes';

/**
 * Electron checklist items 5, 13 and 14 for every webContents the app ever creates (not only the
 * ones we know of): navigation only within our pages, no new windows, no <webview>, permission
 * requests refused. Decisions come from the pure main/lib/navigation.ts.
 */
export interface HardeningDeps {
  /** Hand a link to the browser (main/safe-open.ts decides whether it may go). */
  openLink(url: string): void;
  showRoute(route: Route): void;
  log(line: string): void;
}

export function hardenAllWebContents(deps: HardeningDeps): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      const decision = decideNavigation(url);
      if (decision.action === 'allow') return;
      event.preventDefault();
      if (decision.action === 'open-external') deps.openLink(decision.url);
      else deps.log(`refused navigation to ${url.slice(0, 200)}`);
    });
    contents.on('will-redirect', (event, url) => {
      if (decideNavigation(url).action !== 'allow') event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideWindowOpen(url);
      if (decision.action === 'show-route') deps.showRoute(decision.route);
      else if (decision.action === 'open-external') deps.openLink(decision.url);
      else deps.log(`refused to open a window for ${url.slice(0, 200)}`);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
