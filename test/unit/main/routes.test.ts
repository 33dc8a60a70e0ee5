import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOf, navigateEventOf, routeFromHash, type DesktopRoute } from '../../../main/lib/routes';
import { pageUrl, POPOVER_PAGE, WINDOW_PAGE } from '../../../main/lib/pages';

describe('routes', () => {
  it('are written into the first page load as a hash', () => {
    expect(hashOf({ surface: 'popover', view: 'reading', provider: 'groq', focus: 'reading' })).toBe('#/reading?provider=groq&focus=reading');
    expect(hashOf({ surface: 'window', view: 'alerts', alertId: 12 })).toBe('#/alerts?alertId=12');
    expect(hashOf({ surface: 'window', view: 'dashboard' })).toBe('#/dashboard');
    expect(pageUrl(POPOVER_PAGE, '#/glance')).toBe('app://burnrate/index.html#/glance');
    expect(pageUrl(WINDOW_PAGE)).toBe('app://burnrate/index.html');
  });

  it('read back to the event the renderer gets', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z-]{0,15}$/),
        fc.option(fc.stringMatching(/^[a-z0-9-]{1,20}$/), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        (view, provider, alertId) => {
          const route: DesktopRoute = { surface: 'window', view, ...(provider ? { provider } : {}), ...(alertId !== undefined ? { alertId } : {}) };
          expect(routeFromHash(hashOf(route))).toEqual(navigateEventOf(route));
        },
      ),
    );
  });

  it('ignore hashes that are not routes', () => {
    expect(routeFromHash('')).toBeNull();
    expect(routeFromHash('#top')).toBeNull();
    expect(routeFromHash('#/alerts?alertId=abc')).toEqual({ view: 'alerts' });
  });
});

describe('routes as the renderer reads them', async () => {
  // The renderer's router (renderer/src/routes.ts) is pure; the shell's hashes must land on the right surface.
  const renderer = await import('../../../renderer/src/routes');

  it('sends the popover routes to the popover, with the reading field focused', () => {
    expect(renderer.parseRoute(hashOf({ surface: 'popover', view: 'glance' }))).toEqual({ surface: 'popover' });
    expect(renderer.parseRoute(hashOf({ surface: 'popover', view: 'reading', provider: 'groq', focus: 'reading' }))).toEqual({
      surface: 'popover',
      provider: 'groq',
      focus: 'reading',
    });
  });

  it('sends notification and menu routes to the window views they name', () => {
    expect(renderer.parseRoute(hashOf({ surface: 'window', view: 'dashboard' }))).toEqual({ surface: 'window', view: 'dashboard' });
    expect(renderer.parseRoute(hashOf({ surface: 'window', view: 'alerts', alertId: 12 }))).toEqual({ surface: 'window', view: 'alerts', alertId: 12 });
    expect(renderer.parseRoute(hashOf({ surface: 'window', view: 'accounts', provider: 'openai' }))).toEqual({
      surface: 'window',
      view: 'accounts',
      provider: 'openai',
    });
  });
});
