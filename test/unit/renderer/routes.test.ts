import { describe, expect, it } from 'vitest';
import { hashOf, parseRoute, POPOVER_ROUTE, WINDOW_ROUTES, windowViewOf, type Route } from '../../../renderer/src/routes';

describe('hash routes of the one page', () => {
  it('names the popover and every window view', () => {
    expect(POPOVER_ROUTE).toBe('#/popover');
    expect(parseRoute('#/popover')).toEqual({ surface: 'popover' });
    for (const [view, hash] of Object.entries(WINDOW_ROUTES)) expect(parseRoute(hash)).toEqual({ surface: 'window', view });
  });

  it('takes the empty hash and unknown names to the dashboard', () => {
    expect(parseRoute('')).toEqual({ surface: 'window', view: 'dashboard' });
    expect(parseRoute('#/nope')).toEqual({ surface: 'window', view: 'dashboard' });
    expect(parseRoute('#/dashboard')).toEqual({ surface: 'window', view: 'dashboard' });
  });

  it('has one name for the popover: the old "glance" and "reading" aliases are unknown names now', () => {
    expect(parseRoute('#/popover?provider=groq&focus=reading')).toEqual({ surface: 'popover', provider: 'groq', focus: 'reading' });
    expect(parseRoute('#/glance')).toEqual({ surface: 'window', view: 'dashboard' });
    expect(parseRoute('#/reading?provider=groq')).toEqual({ surface: 'window', view: 'dashboard', provider: 'groq' });
  });

  it('reads view names from elsewhere as window views, unknown ones as the dashboard', () => {
    for (const view of Object.keys(WINDOW_ROUTES)) expect(windowViewOf(view)).toBe(view);
    expect(windowViewOf('reading')).toBe('dashboard');
    expect(windowViewOf('toString')).toBe('dashboard');
    expect(windowViewOf(undefined)).toBe('dashboard');
  });

  it('round-trips routes with their parameters', () => {
    const routes: Route[] = [
      { surface: 'popover', provider: 'groq', focus: 'reading' },
      { surface: 'window', view: 'readings', provider: 'groq' },
      { surface: 'window', view: 'alerts', alertId: 7 },
      { surface: 'window', view: 'dashboard' },
    ];
    for (const r of routes) expect(parseRoute(hashOf(r))).toEqual(r);
  });

  it('carries the form a link opens (action, month, model) and drops what it does not know', () => {
    const route = { surface: 'window' as const, view: 'prices' as const, provider: 'deepseek', action: 'price' as const, model: 'deepseek-mystery' };
    expect(hashOf(route)).toBe('#/prices?provider=deepseek&action=price&model=deepseek-mystery');
    expect(parseRoute(hashOf(route))).toEqual(route);
    expect(parseRoute('#/readings?action=final&month=2026-10&provider=groq')).toEqual({ surface: 'window', view: 'readings', provider: 'groq', action: 'final', month: '2026-10' });
    expect(parseRoute('#/readings?action=drop-tables&month=october')).toEqual({ surface: 'window', view: 'readings' });
  });
});
