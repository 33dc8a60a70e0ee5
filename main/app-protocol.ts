import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { protocol, type Session } from 'electron';
import { SECURITY_HEADERS } from './lib/csp';
import { APP_SCHEME } from './lib/pages';
import { resolveAppRequest, resolveBackupRequest } from './lib/protocol-path';
import { realFileInside } from '../src/server/static';

/**
 * The UI is served from app://burnrate/… (Electron checklist item 18) rather than file://: pages
 * get a real origin for the CSP and the sender check, and nothing outside dist/renderer is
 * reachable (main/lib/protocol-path.ts refuses traversal; realFileInside refuses a link that
 * points outside).
 */

/** Must run before the app is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** `home`: the data folder, whose backups/ the window offers as downloads (app://burnrate/backups/<name>). */
export function serveAppProtocol(session: Session, rendererRoot: string, home: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const backup = resolveBackupRequest(request.url, home);
    if (backup) return backupDownload(backup, request.method === 'HEAD');
    const resolved = resolveAppRequest(request.url, rendererRoot);
    if (!resolved.ok) return new Response(null, { status: resolved.status, headers: SECURITY_HEADERS });
    // Links resolved: the real file must still be inside the renderer's folder, as `serve` requires.
    const file = await realFileInside(rendererRoot, resolved.file);
    if (!file) return new Response(null, { status: 404, headers: SECURITY_HEADERS });
    try {
      const body = await fs.readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'content-type': resolved.mimeType },
      });
    } catch {
      return new Response(null, { status: 404, headers: SECURITY_HEADERS });
    }
  });
}

/** A backup as a download: Electron asks the user where to save it (its default for a download). */
async function backupDownload(backup: NonNullable<ReturnType<typeof resolveBackupRequest>>, head: boolean): Promise<Response> {
  if (!backup.ok) return new Response(null, { status: backup.status, headers: SECURITY_HEADERS });
  try {
    await fs.access(backup.file);
    // Streamed: a backup is as large as the ledger.
    const body = head ? null : (Readable.toWeb(createReadStream(backup.file)) as ReadableStream<Uint8Array>);
    return new Response(body, {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': 'application/vnd.sqlite3', 'content-disposition': `attachment; filename="${backup.name}"` },
    });
  } catch {
    return new Response(null, { status: 404, headers: SECURITY_HEADERS });
  }
}
