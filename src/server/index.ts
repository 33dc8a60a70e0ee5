import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EVENT_NAMES, isMethodName } from '../api/contract';
import { publicApiError } from '../api/dispatch';
import { ApiError, invalid, unavailable } from '../api/errors';
import type { Core } from '../app/open';
import { onceLog } from '../ledger/trouble';
import { apiRoutes, serveMethod } from './api';
import { BACKUP_FILE_ROUTE, sendBackupFile } from './backup-file';
import { authenticate, checkConfiguredToken, newToken, sameToken, sessionCookie } from './auth';
import { EventHub } from './events';
import { HttpError, sendError, sendJson } from './respond';
import { crossOriginRefusal, isAllowedHost, setSecurityHeaders } from './security';
import { safeSegments, serveStatic } from './static';

export { apiRoutes } from './api';
export { CONTENT_SECURITY_POLICY } from './security';

/** The port `burnrate serve` uses unless told otherwise (docs/http-api.md). */
export const DEFAULT_PORT = 4317;
/** Loopback only: the dashboard and its token never leave this machine. Not configurable on purpose. */
export const HOST = '127.0.0.1';

export interface ServerOptions {
  /** 0 picks a free port. Default DEFAULT_PORT. */
  port?: number;
  /** A fixed token (BURNRATE_TOKEN, --token); default a fresh random one per start. */
  token?: string;
  /** The built dashboard; default dist/renderer next to the running bundle (dist/cli.cjs). */
  staticDir?: string;
  /** Heartbeat period of /api/events (tests shorten it to watch one arrive). */
  heartbeatMs?: number;
  /** Open /api/events streams at most (default MAX_EVENT_CLIENTS). */
  maxEventClients?: number;
  /** Where unexpected (500) errors are reported; the client gets only a sentence. */
  log?: (line: string) => void;
  /** Told of every failed request (serve hands a damaged ledger to its quick_check job). */
  onTrouble?: (error: unknown) => void;
}

export interface RunningServer {
  /** The dashboard URL with its token: the one line `burnrate serve` prints. */
  url: string;
  /** http://127.0.0.1:PORT, without the token. */
  origin: string;
  port: number;
  /** The address actually bound (always 127.0.0.1). */
  address: string;
  token: string;
  /** Connected /api/events clients. */
  eventClients(): number;
  close(): Promise<void>;
}

/** Where the dashboard's build lives at run time: dist/renderer beside dist/cli.cjs. */
export function defaultStaticDir(): string {
  return path.join(__dirname, 'renderer');
}

export async function startServer(core: Core, options: ServerOptions = {}): Promise<RunningServer> {
  const requestedPort = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw invalid(`The port must be a whole number from 0 to 65535 (0 picks a free port), not ${requestedPort}.`);
  }
  if (options.token !== undefined) {
    const problem = checkConfiguredToken(options.token);
    if (problem) throw invalid(problem);
  }
  if (isMethodName('events')) throw new Error('The contract may not name a method "events": /api/events is the event stream.');
  if (isMethodName(BACKUP_FILE_ROUTE)) throw new Error(`The contract may not name a method "${BACKUP_FILE_ROUTE}": /api/${BACKUP_FILE_ROUTE} is a backup's download.`);

  const token = options.token ?? newToken();
  const staticDir = path.resolve(options.staticDir ?? defaultStaticDir());
  const hub = new EventHub(core.events, options.heartbeatMs, options.maxEventClients);
  let port = requestedPort;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    // Before anything else: a request for another name is not for us (DNS rebinding).
    if (!isAllowedHost(req.headers.host, port)) {
      throw new HttpError(421, 'invalid_input', `This server answers only to 127.0.0.1:${port} and localhost:${port}; open the URL that burnrate serve printed.`);
    }
    const target = req.url ?? '/';
    if (!target.startsWith('/')) throw new HttpError(400, 'invalid_input', 'The request target must be a path such as /api/status.');
    const q = target.indexOf('?');
    const pathname = q < 0 ? target : target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));

    if (pathname === '/api' || pathname.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      const via = authenticate(req, token, port);
      if (via === null) {
        throw new HttpError(
          401,
          'unauthorized',
          'This request needs the token that burnrate serve printed: send "Authorization: Bearer TOKEN", or open the dashboard URL with its ?token=.',
          { 'WWW-Authenticate': 'Bearer realm="burnrate"' },
        );
      }
      if (via === 'cookie') {
        const refusal = crossOriginRefusal(req, port);
        if (refusal) throw new HttpError(403, 'invalid_input', refusal);
      }
      const name = pathname.slice('/api/'.length);
      if (name === '') {
        // Self-description, derived from the contract, so it is never out of date.
        if (req.method !== 'GET') throw new HttpError(405, 'invalid_input', 'The list of methods is read with GET.', { Allow: 'GET' });
        sendJson(res, 200, { methods: apiRoutes(), events: [...EVENT_NAMES] });
        return;
      }
      if (name === 'events' && req.method === 'POST') {
        // Usage events from the user's own apps (docs/proxy.md); GET is the live-update stream.
        await serveMethod(core, req, res, 'usageEvents', query, via);
        return;
      }
      if (name === 'events') {
        if (req.method !== 'GET') throw new HttpError(405, 'invalid_input', 'The event stream is read with GET; usage events are sent with POST.', { Allow: 'GET, POST' });
        if (hub.full) {
          throw new HttpError(503, 'unavailable', 'Too many live-update streams are open on this server; close some dashboard tabs, then reload this one.', { 'Retry-After': '10' });
        }
        hub.attach(res);
        return;
      }
      if (name === BACKUP_FILE_ROUTE) {
        await sendBackupFile(core, req, res, query);
        return;
      }
      await serveMethod(core, req, res, name, query, via);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'invalid_input', 'Dashboard pages are read with GET; the API is under /api.', { Allow: 'GET, HEAD' });
    }
    const given = query.get('token');
    if (given !== null) {
      exchangeToken(res, given, pathname, query);
      return;
    }
    await serveStatic(req, res, staticDir, pathname);
  };

  /** `/?token=…` → the session cookie, and a redirect that takes the token out of the address bar and history. */
  const exchangeToken = (res: ServerResponse, given: string, pathname: string, query: URLSearchParams): void => {
    res.setHeader('Cache-Control', 'no-store');
    if (!sameToken(given, token)) {
      throw new HttpError(401, 'unauthorized', "This link's token is not the one this server printed; open the exact URL that burnrate serve printed.");
    }
    query.delete('token');
    const rest = query.toString();
    // Rebuilt from checked segments, so the redirect can only point at a path of this server.
    const location = '/' + safeSegments(pathname).map(encodeURIComponent).join('/') + (rest ? `?${rest}` : '');
    res.writeHead(303, { Location: location, 'Set-Cookie': sessionCookie(port, token), 'Content-Length': 0 });
    res.end();
  };

  const troubleLog = onceLog((line) => options.log?.(line));
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onTrouble?.(error);
      // Machine trouble (disk full, read-only, damaged): one line per distinct failure, no stack.
      if (error instanceof ApiError && error.facts.ledger) troubleLog(`burnrate serve: ${error.message}`);
      else if (!(error instanceof HttpError) && !(error instanceof ApiError && error.code !== 'internal')) {
        options.log?.(`burnrate serve: ${req.method} ${req.url?.split('?')[0]} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      }
      sendError(res, error, publicApiError);
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: requestedPort, host: HOST, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    hub.close();
    throw listenError(error, requestedPort);
  }
  const bound = server.address() as AddressInfo;
  port = bound.port;
  const origin = `http://${HOST}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    address: bound.address,
    token,
    eventClients: () => hub.size,
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open for seconds; nothing is in flight we must finish.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listenError(error: unknown, port: number): ApiError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return unavailable(`Port ${port} on ${HOST} is already in use (another burnrate serve?); pass --port with a free port, or --port 0 to pick one.`);
  }
  if (code === 'EACCES') return unavailable(`This user may not listen on port ${port}; pass --port with a number above 1023.`);
  return unavailable(`Burnrate could not listen on ${HOST}:${port}: ${error instanceof Error ? error.message : String(error)}.`);
}
