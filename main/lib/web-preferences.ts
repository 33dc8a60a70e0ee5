import path from 'node:path';
import type { WebPreferences } from 'electron';

/**
 * THE factory of every window's webPreferences (Electron security checklist items 2–4, 6, 8–10,
 * 20). Windows never spell these out themselves, so no window can forget one.
 */
export interface WebPreferencesInput {
  /** Absolute path of the bundled preload (dist/main/preload.cjs). */
  preload: string;
  /** Developer tools: on in development builds only. */
  devTools: boolean;
  /** The popover keeps timers running while hidden, so it is fresh when it opens. */
  kind: 'window' | 'popover';
}

export function secureWebPreferences(input: WebPreferencesInput): WebPreferences {
  if (!path.isAbsolute(input.preload)) throw new Error(`The preload path must be absolute, got "${input.preload}".`);
  return Object.freeze({
    preload: input.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    // Middle-click would open links in new windows; setWindowOpenHandler denies them anyway.
    disableBlinkFeatures: 'Auxclick',
    safeDialogs: true,
    spellcheck: false,
    devTools: input.devTools,
    backgroundThrottling: input.kind === 'window',
    autoplayPolicy: 'user-gesture-required',
  } satisfies WebPreferences);
}
