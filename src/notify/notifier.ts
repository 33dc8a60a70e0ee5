import type { Notifier } from '../model/ports';

export type { Notice, Notifier } from '../model/ports';

/** Writes notices as log lines (headless mode and the CLI). */
export function logNotifier(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Notifier {
  return { notify: (n) => write(`[burnrate] ${n.title}: ${n.body}`) };
}

export const silentNotifier: Notifier = { notify: () => undefined };
