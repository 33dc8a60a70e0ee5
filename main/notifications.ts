import { Notification } from 'electron';
import type { NotificationLike, NotificationOptionsLike } from './lib/desktop-notifier';

/** Electron's Notification behind main/lib/desktop-notifier.ts's structural interface. */
export function createElectronNotification(options: NotificationOptionsLike): NotificationLike {
  return new Notification(options) as unknown as NotificationLike;
}

export const notificationsSupported = (): boolean => Notification.isSupported();
