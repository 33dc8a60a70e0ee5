import path from 'node:path';
import { APP_HOST, APP_SCHEME, WINDOW_PAGE } from './pages';

/**
 * Maps a request of the app:// protocol to a file under the renderer's folder, or refuses it.
 * Pure (no fs): the thin protocol handler reads the file. Everything outside `root` is refused,
 * whatever the encoding (%2e%2e, %2f, backslashes, NUL).
 */
export type AppRequest =
  | { ok: true; file: string; mimeType: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(file: string): string | undefined {
  return MIME_TYPES[path.extname(file).toLowerCase()];
}

export function resolveAppRequest(rawUrl: string, root: string): AppRequest {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST) return { ok: false, status: 404, reason: 'not our host' };

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { ok: false, status: 400, reason: 'forbidden character' };
  // Refuse any ".." segment outright rather than normalising it away: no legitimate asset has one.
  if (pathname.split('/').some((segment) => segment === '..')) return { ok: false, status: 403, reason: 'path traversal' };

  const relative = pathname === '/' || pathname === '' ? WINDOW_PAGE : pathname.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, ...relative.split('/'));
  if (file !== base && !file.startsWith(base + path.sep)) return { ok: false, status: 403, reason: 'outside the renderer folder' };
  if (file === base) return { ok: false, status: 404, reason: 'a folder' };

  const mimeType = mimeTypeOf(file);
  if (!mimeType) return { ok: false, status: 404, reason: 'unknown file type' };
  return { ok: true, file, mimeType };
}
