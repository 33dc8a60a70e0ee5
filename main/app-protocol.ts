import fs from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { SECURITY_HEADERS } from './lib/csp';
import { APP_SCHEME } from './lib/pages';
import { resolveAppRequest } from './lib/protocol-path';
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

export function serveAppProtocol(session: Session, rendererRoot: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
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
