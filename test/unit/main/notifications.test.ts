import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/notify/notifier';
import { DesktopNotifier, notificationOptionsFor, type NotificationLike, type NotificationOptionsLike } from '../../../main/lib/desktop-notifier';
import { routeForNotice } from '../../../main/lib/notify-route';
import type { Route } from '../../../renderer/src/routes';

const reminder: Notice = { kind: 'reminder', title: 'Groq reading due', body: 'Enter this month\'s figure.', target: { view: 'reading', provider: 'groq' } };
const alert: Notice = { kind: 'alert', title: 'Daily budget exceeded', body: '$2.10 of $2.00', target: { view: 'alerts', alertId: 12 } };

describe('notification click routing', () => {
  it('a reading reminder opens the popover with the reading field focused for its provider', () => {
    expect(routeForNotice(reminder)).toEqual({ surface: 'popover', provider: 'groq', focus: 'reading' });
    expect(routeForNotice({ ...reminder, target: undefined })).toEqual({ surface: 'popover', focus: 'reading' });
  });
  it('an alert opens the window on the alerts view, at that alert', () => {
    expect(routeForNotice(alert)).toEqual({ surface: 'window', view: 'alerts', alertId: 12 });
    expect(routeForNotice({ ...alert, target: { view: 'alerts', provider: 'openai', alertId: 0 } })).toEqual({
      surface: 'window',
      view: 'alerts',
      provider: 'openai',
      alertId: 0,
    });
    expect(routeForNotice({ kind: 'alert', title: 't', body: 'b' })).toEqual({ surface: 'window', view: 'alerts' });
  });
  it('a metering proxy whose port is in use opens Settings, where its state is shown (issue 17)', () => {
    expect(routeForNotice({ kind: 'proxy', title: 'Metering proxy: port in use', body: 'Port 4318 …', target: { view: 'settings' } })).toEqual({ surface: 'window', view: 'settings' });
  });
  it('a sync problem opens the provider\'s account page', () => {
    expect(routeForNotice({ kind: 'sync', title: 'Sync failed', body: 'key refused', target: { view: 'accounts', provider: 'openai' } })).toEqual({
      surface: 'window',
      view: 'accounts',
      provider: 'openai',
    });
    expect(routeForNotice({ kind: 'sync', title: 'Sync failed', body: 'x' })).toEqual({ surface: 'window', view: 'accounts' });
  });
});

class FakeNotification implements NotificationLike {
  shown = false;
  private readonly listeners = new Map<string, (...args: never[]) => void>();
  constructor(readonly options: NotificationOptionsLike) {}
  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, listener);
    return this;
  }
  show() {
    this.shown = true;
  }
  fire(event: string, ...args: unknown[]) {
    (this.listeners.get(event) as ((...a: unknown[]) => void) | undefined)?.(...args);
  }
}

function setup(platform: NodeJS.Platform = 'darwin', supported = true) {
  const created: FakeNotification[] = [];
  const opened: Route[] = [];
  const replies: [Notice, string][] = [];
  let paused = false;
  const notifier = new DesktopNotifier({
    create: (options) => {
      const n = new FakeNotification(options);
      created.push(n);
      return n;
    },
    isSupported: () => supported,
    isPaused: () => paused,
    open: (route) => opened.push(route),
    platform,
    onReply: (notice, text) => replies.push([notice, text]),
  });
  return { notifier, created, opened, replies, pause: (p: boolean) => (paused = p) };
}

describe('DesktopNotifier', () => {
  it('shows a notification and routes its click', () => {
    const { notifier, created, opened } = setup();
    notifier.notify(alert);
    expect(created).toHaveLength(1);
    expect(created[0]!.shown).toBe(true);
    expect(created[0]!.options).toMatchObject({ title: 'Daily budget exceeded', body: '$2.10 of $2.00', urgency: 'critical' });
    created[0]!.fire('click');
    expect(opened).toEqual([{ surface: 'window', view: 'alerts', alertId: 12 }]);
  });

  it('shows nothing while notifications are paused, and resumes after', () => {
    const { notifier, created, pause } = setup();
    pause(true);
    notifier.notify(alert);
    notifier.notify(reminder);
    expect(created).toHaveLength(0);
    pause(false);
    notifier.notify(reminder);
    expect(created).toHaveLength(1);
  });

  it('shows nothing where notifications are unsupported', () => {
    const { notifier, created } = setup('linux', false);
    notifier.notify(alert);
    expect(created).toHaveLength(0);
  });

  it('on macOS a reading reminder takes the reading as an inline reply', () => {
    const { notifier, created, replies } = setup('darwin');
    notifier.notify(reminder);
    expect(created[0]!.options).toMatchObject({ hasReply: true, replyPlaceholder: expect.stringContaining('USD') });
    created[0]!.fire('reply', {}, '12.34');
    expect(replies).toEqual([[reminder, '12.34']]);
  });

  it('offers no reply field off macOS or without a provider', () => {
    expect(notificationOptionsFor(reminder, 'win32').hasReply).toBeUndefined();
    expect(notificationOptionsFor({ ...reminder, target: undefined }, 'darwin').hasReply).toBeUndefined();
    expect(notificationOptionsFor(alert, 'darwin').hasReply).toBeUndefined();
  });

  it('keeps each notification referenced until it is clicked or closed', () => {
    const { notifier, created } = setup();
    notifier.notify(alert);
    notifier.notify(reminder);
    expect(notifier.pending).toBe(2);
    created[0]!.fire('click');
    created[1]!.fire('close');
    expect(notifier.pending).toBe(0);
  });
});
