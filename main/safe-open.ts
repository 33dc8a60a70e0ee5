import { shell } from 'electron';
import { isSafeExternalUrl } from './lib/safe-links';

/**
 * THE one place a link leaves the app (Electron checklist item 15; lint forbids `shell` elsewhere).
 * Returns whether the link was handed to the browser.
 */
export function openExternalSafely(url: string, log: (line: string) => void = console.warn): boolean {
  if (!isSafeExternalUrl(url)) {
    log(`burnrate: refused to open a link that is not on the list of provider consoles: ${url.slice(0, 200)}`);
    return false;
  }
  // Electronegativity flags every openExternal with a variable; this one is the guarded call site.
  shell.openExternal(url).catch((error: unknown) => log(`burnrate: the browser did not open ${url}: ${String(error)}`)); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  return true;
}
