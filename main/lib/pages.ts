/**
 * Where the UI lives. Pages are served from our own privileged scheme (app://burnrate/…), never
 * file://, so the CSP's 'self', the sender check and navigation rules all have one origin to name.
 * The renderer (Vite) builds both pages into dist/renderer/.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'burnrate';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The renderer builds ONE page (renderer/index.html) whose hash picks the surface: "#/popover"
 * shows the popover, any other view the dashboard window (renderer/src/routes.ts, the one route
 * vocabulary). Two constants all the same, so a split into two pages later is a one-line change here.
 */
export const WINDOW_PAGE = 'index.html';
export const POPOVER_PAGE = 'index.html';

export type PageName = typeof WINDOW_PAGE | typeof POPOVER_PAGE;

/**
 * Is `raw` a URL of our own scheme and host? (`new URL('app://x').origin` is "null" for
 * non-special schemes, so origins are compared by protocol and host instead.)
 */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '' && url.username === '' && url.password === '';
}

/** app://burnrate/<page><hash> */
export function pageUrl(page: PageName, hash = ''): string {
  return `${APP_ORIGIN}/${page}${hash}`;
}
