import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOf, parseRoute, POPOVER_ROUTE, WINDOW_ROUTES, type Route, type WindowView } from '../../../renderer/src/routes';
import { decideWindowOpen } from '../../../main/lib/navigation';
import { routeForNotice } from '../../../main/lib/notify-route';
import { pageUrl, POPOVER_PAGE, WINDOW_PAGE } from '../../../main/lib/pages';
import { TRAY_ROUTES } from '../../../main/lib/tray-render';
import type { Notice } from '../../../src/notify/notifier';

/** The name a route goes by in the hash: "popover" or a window view. */
const nameOf = (route: Route): string => (route.surface === 'popover' ? 'popover' : route.view);
const RENDERER_NAMES = ['popover', ...Object.keys(WINDOW_ROUTES)].sort();

describe("the desktop shell's routes are the renderer's (renderer/src/routes.ts)", () => {
  it('are written into the first page load as the hash the renderer parses', () => {
    expect(pageUrl(POPOVER_PAGE, hashOf({ surface: 'popover', provider: 'groq', focus: 'reading' }))).toBe(
      'app://burnrate/index.html#/popover?provider=groq&focus=reading',
    );
    expect(pageUrl(WINDOW_PAGE, hashOf({ surface: 'window', view: 'alerts', alertId: 12 }))).toBe('app://burnrate/index.html#/alerts?alertId=12');
    expect(pageUrl(WINDOW_PAGE)).toBe('app://burnrate/index.html');
  });

  it("main's route names and the renderer's are the same list", () => {
    // Every name a link between our pages can carry lands on the route the page itself would show...
    const opened = [POPOVER_ROUTE, ...Object.values(WINDOW_ROUTES)].map((hash) => {
      const decision = decideWindowOpen(pageUrl(WINDOW_PAGE, hash));
      if (decision.action !== 'show-route') throw new Error(`${hash} was not shown: ${decision.action}`);
      expect(decision.route).toEqual(parseRoute(hash));
      return nameOf(decision.route);
    });
    expect([...opened].sort()).toEqual(RENDERER_NAMES);
    // ...and every route the shell makes by itself (tray items, notification clicks for the targets
    // the core names) uses only those names and reads back unchanged from its hash.
    const notices: Notice[] = [
      { kind: 'reminder', title: 't', body: 'b', target: { view: 'reading', provider: 'groq' } },
      { kind: 'alert', title: 't', body: 'b', target: { view: 'alerts', alertId: 3, provider: 'openai' } },
      { kind: 'sync', title: 't', body: 'b' },
      { kind: 'sync', title: 't', body: 'b', target: { view: 'accounts', provider: 'xai' } },
    ];
    const made: Route[] = [...Object.values(TRAY_ROUTES), ...notices.map(routeForNotice)];
    for (const route of made) {
      expect(RENDERER_NAMES).toContain(nameOf(route));
      expect(parseRoute(hashOf(route))).toEqual(route);
    }
  });

  it('every window view with its parameters survives the trip through the hash', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(WINDOW_ROUTES) as WindowView[])),
        fc.option(fc.stringMatching(/^[a-z0-9-]{1,20}$/), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        (view, provider, alertId) => {
          const route: Route = { surface: 'window', view, ...(provider ? { provider } : {}), ...(alertId !== undefined ? { alertId } : {}) };
          expect(parseRoute(hashOf(route))).toEqual(route);
        },
      ),
    );
  });
});
