import type { Notice, Notifier } from '../../src/notify/notifier';
import { routeForNotice } from './notify-route';
import type { Route } from '../../renderer/src/routes';

/**
 * The core's Notifier, delivered as native notifications. Electron's Notification class is
 * injected (`create`), so tests drive this with a stand-in that records and fires events.
 * Respects "pause notifications"; a click opens the route of the notice; on macOS a reading
 * reminder carries an inline reply field whose text is taken as the reading.
 */

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent?: boolean;
  hasReply?: boolean;
  replyPlaceholder?: string;
  urgency?: 'normal' | 'critical' | 'low';
}

export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  on(event: 'reply', listener: (event: unknown, reply: string) => void): unknown;
  show(): void;
}

export interface DesktopNotifierDeps {
  create(options: NotificationOptionsLike): NotificationLike;
  isSupported(): boolean;
  isPaused(): boolean;
  open(route: Route): void;
  platform: NodeJS.Platform;
  /** The user typed a reply (macOS inline reply on a reminder). */
  onReply?(notice: Notice, text: string): void;
  log?(line: string): void;
}

export function notificationOptionsFor(notice: Notice, platform: NodeJS.Platform): NotificationOptionsLike {
  const options: NotificationOptionsLike = { title: notice.title, body: notice.body };
  if (notice.kind === 'alert') options.urgency = 'critical';
  if (notice.kind === 'reminder' && platform === 'darwin' && notice.target?.provider) {
    options.hasReply = true;
    options.replyPlaceholder = 'Reading in USD, e.g. 12.34';
  }
  return options;
}

export class DesktopNotifier implements Notifier {
  /**
   * Shown notifications are kept referenced until closed or clicked: a notification object that
   * is garbage-collected loses its click handler while still on screen.
   */
  private readonly live = new Set<NotificationLike>();

  constructor(private readonly deps: DesktopNotifierDeps) {}

  notify(notice: Notice): void {
    if (this.deps.isPaused()) return;
    if (!this.deps.isSupported()) {
      this.deps.log?.(`notifications are not supported here; dropped "${notice.title}"`);
      return;
    }
    const notification = this.deps.create(notificationOptionsFor(notice, this.deps.platform));
    const release = () => this.live.delete(notification);
    notification.on('click', () => {
      release();
      this.deps.open(routeForNotice(notice));
    });
    notification.on('reply', (_event, reply) => {
      release();
      this.deps.onReply?.(notice, reply);
    });
    notification.on('close', release);
    notification.on('failed', release);
    this.live.add(notification);
    notification.show();
  }

  /** How many notifications are still on screen (tests). */
  get pending(): number {
    return this.live.size;
  }
}
