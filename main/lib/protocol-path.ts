import path from 'node:path';
import { APP_HOST, APP_SCHEME, WINDOW_PAGE } from './pages';
import { knownContentType } from '../../src/server/content-types';
import { backupDir } from '../../src/ledger/backupFiles';
import { BACKUP_FILE_NAME } from '../../src/model/input-patterns';

/**
 * Maps a request of the app:// protocol to a file under the renderer's folder, or refuses it.
 * Pure (no fs): the thin protocol handler reads the file. Everything outside `root` is refused,
 * whatever the encoding (%2e%2e, %2f, backslashes, NUL).
 */
export type AppRequest =
  | { ok: true; file: string; mimeType: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

/** Known dashboard file kinds only: app:// refuses anything else (the table is the server's). */
export function mimeTypeOf(file: string): string | undefined {
  return knownContentType(file);
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

/** Where a backup's download lives on app:// (the window's "Save a copy…"; HTTP has /api/backupFile). */
export const BACKUPS_PATH = '/backups/';

/**
 * app://burnrate/backups/<name> → that backup in the data folder's backups/, or a refusal; null for
 * any other request (a page's file). A name as the list shows it, never a path. Pure: the protocol
 * handler checks the file exists and streams it as a download.
 */
export function resolveBackupRequest(rawUrl: string, home: string): { ok: true; file: string; name: string } | { ok: false; status: 400 | 404 } | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || !url.pathname.startsWith(BACKUPS_PATH)) return null;
  let name: string;
  try {
    name = decodeURIComponent(url.pathname.slice(BACKUPS_PATH.length));
  } catch {
    return { ok: false, status: 400 };
  }
  if (!BACKUP_FILE_NAME.test(name)) return { ok: false, status: 404 };
  return { ok: true, file: path.join(backupDir(home), name), name };
}
