/**
 * How the core tells the user something: Electron's Notification in main/, a log line (and the
 * webhook outbox) in `burnrate serve` and the CLI. Injected at start-up.
 */
export interface Notice {
  kind: 'alert' | 'reminder' | 'sync';
  title: string;
  body: string;
  /** What a click should open, e.g. { view: 'reading', provider: 'groq' }. */
  target?: { view: string; provider?: string; alertId?: number };
}

export interface Notifier {
  notify(notice: Notice): void | Promise<void>;
}

/** Writes notices as log lines (headless mode and the CLI). */
export function logNotifier(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Notifier {
  return { notify: (n) => write(`[burnrate] ${n.title}: ${n.body}`) };
}

export const silentNotifier: Notifier = { notify: () => undefined };
