import { createHash, randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PriceLookup } from '../ledger/usage';
import type { Core } from '../model/context';
import type { UsageEventInput } from '../model/ledger';
import { isAllowedHost } from '../server/security';
import { Admission, type Reservation } from './admission';
import { TeamFigureCache, TEAM_REFRESH_MS, type TeamSpendSource } from './team-source';
import { sendProviderError } from './errors';
import { costOf, inputEstimate, outputReservation, readRequest, ReservationCaps, type RequestFacts } from './estimate';
import { callKindOf, Meter, type CallKind, type Tokens } from './meters';
import { Recorder } from './recorder';
import { SseReader } from './sse';
import { resolveUpstreams, splitRoute, upstreamPath, type ResolvedUpstream } from './upstreams';

/** The port `burnrate proxy` uses unless told otherwise (docs/proxy.md). */
export const DEFAULT_PROXY_PORT = 4318;
const HOST = '127.0.0.1';
/** Bodies larger than this are refused with 413 (OpenAI takes requests up to about 50 MB with images). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How long the upstream may take to start answering (long prompts on slow models take minutes). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;
/** A JSON answer larger than this is passed on but not read for usage (recorded as an estimate). */
const MAX_METERED_ANSWER = 16 * 1024 * 1024;

export interface ProxyOptions {
  port?: number;
  log?: (line: string) => void;
  maxBodyBytes?: number;
  upstreamTimeoutMs?: number;
  /** Where BURNRATE_<PROVIDER>_BASE_URL is read; default the core's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The team's figure when this machine is in a team (injected: src/proxy does not know the store). */
  team?: TeamSpendSource;
  /** How often the team's figure is read again (default 30 s: the staleness bound in docs/team.md). */
  teamRefreshMs?: number;
}

export interface RunningProxy {
  /** http://127.0.0.1:PORT: the one line `burnrate proxy` prints. */
  url: string;
  port: number;
  /** Rows waiting for a busy ledger. */
  backlog(): number;
  /** Requests admitted whose rows are not written yet. */
  inFlight(): number;
  /** Read the team's figure now instead of at the next tick (the bench and tests wait on it). */
  refreshTeam(): Promise<void>;
  close(): Promise<void>;
}

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/** The client's key, for attribution by hash only: the key itself is forwarded and forgotten. */
function keyHash(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  const key = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : null;
  return key ? createHash('sha256').update(key).digest('hex') : null;
}

function projectOf(headers: IncomingHttpHeaders, fromPath: string | null): string | undefined {
  const h = headers['x-burnrate-project'];
  const name = typeof h === 'string' ? h.trim() : fromPath;
  return name && /^[\w.@:/ -]{1,100}$/.test(name) ? name : undefined;
}

function upstreamHeaders(req: IncomingMessage, u: ResolvedUpstream, bodyLength: number | null, metered: boolean): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name.startsWith('x-burnrate-')) continue;
    out[name] = value;
  }
  out.host = u.base.host;
  if (bodyLength !== null) {
    out['content-length'] = String(bodyLength);
    delete out['transfer-encoding'];
  }
  // Usage is read from the answer: it must come uncompressed. Loopback and TLS make the cost nil.
  if (metered) out['accept-encoding'] = 'identity';
  return out;
}

function clientHeaders(up: IncomingMessage, bodyChanged: boolean): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(up.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (bodyChanged && name === 'content-length') continue;
    out[name] = value;
  }
  return out;
}

interface Exchange {
  provider: string;
  kind: CallKind;
  facts: RequestFacts;
  bodyBytes: number;
  startedAt: Date;
  reservation: Reservation | null;
  meter: Meter;
  keySha256: string | null;
  project: string | undefined;
  done: boolean;
}

/**
 * The metering proxy: a node:http server on 127.0.0.1 that forwards each provider's API unchanged,
 * reads the usage of every answer as it passes (chunk by chunk for streams), prices it and writes a
 * `proxy` row, and refuses a request before it is forwarded when it would pass an enforced budget.
 */
export async function startProxy(core: Core, prices: PriceLookup, options: ProxyOptions = {}): Promise<RunningProxy> {
  const upstreams = resolveUpstreams(options.env ?? core.env);
  const log = options.log ?? (() => {});
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const team = options.team ? new TeamFigureCache(options.team, log, options.teamRefreshMs ?? TEAM_REFRESH_MS, () => core.clock.now().getTime()) : null;
  const admission = new Admission(core.db, () => core.clock.now(), core.timeZone, () => team?.figure() ?? null);
  const recorder = new Recorder(core, { log });
  const caps = new ReservationCaps(core.db);
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }) };
  let port = options.port ?? DEFAULT_PROXY_PORT;

  /** The row of an exchange that ended, however it ended; written before the client's response ends. */
  const finish = (x: Exchange, cut: 'client' | 'upstream' | null): void => {
    if (x.done) return;
    x.done = true;
    const m = x.meter;
    const exact = m.usage !== null && m.ended && cut === null;
    const guessedOutput = Math.ceil(m.outputChars / 4);
    const tokens: Tokens = m.usage
      ? { ...m.usage, output: exact ? m.usage.output : Math.max(m.usage.output, guessedOutput) }
      : { input: inputEstimate(x.bodyBytes), output: guessedOutput, cached: 0, cacheWrite: 0, cacheWrite1h: 0 };
    const model = m.model ?? x.facts.model ?? 'unknown';
    const event: UsageEventInput = {
      source: 'proxy',
      provider: x.provider,
      externalId: m.id ? m.id : `proxy:${randomUUID()}`,
      model,
      ...(x.project ? { project: x.project } : {}),
      inputTokens: tokens.input,
      outputTokens: tokens.output,
      cachedInputTokens: tokens.cached,
      cacheWriteTokens: tokens.cacheWrite,
      cacheWrite1hTokens: tokens.cacheWrite1h,
      occurredAt: x.startedAt,
      metadata: {
        kind: x.kind,
        stream: x.facts.stream,
        ...(x.keySha256 ? { keySha256: x.keySha256 } : {}),
        ...(exact ? {} : { estimated: true, ...(cut ? { cut } : {}) }),
      },
    };
    const r = x.reservation;
    if (r) admission.settle(r, costOf(prices, x.provider, model, x.startedAt, tokens) ?? 0);
    try {
      recorder.record(event, () => r && admission.release(r));
    } catch (error) {
      // A row the ledger refuses as invalid (it should not happen) is named, never crashes the proxy.
      if (r) admission.release(r);
      log(`burnrate proxy: a ${x.provider} row could not be recorded (${error instanceof Error ? error.message : String(error)}).`);
    }
  };

  const forward = (req: IncomingMessage, res: ServerResponse, u: ResolvedUpstream, rest: string, body: Buffer | null, x: Exchange | null, strip: boolean): void => {
    const lib = u.base.protocol === 'https:' ? https : http;
    const upReq = lib.request({
      protocol: u.base.protocol,
      hostname: u.base.hostname,
      port: u.base.port || undefined,
      method: req.method,
      path: upstreamPath(u, rest),
      headers: upstreamHeaders(req, u, body ? body.length : null, x !== null),
      agent: agents[u.base.protocol as 'http:' | 'https:'],
    });
    let answered = false;
    const unreachable = (status: 502 | 504, why: string) => {
      if (x && !x.done) {
        x.done = true;
        if (x.reservation) admission.release(x.reservation);
      }
      sendProviderError(res, u.format, status, status === 504 ? 'gateway_timeout' : 'bad_gateway', `Burnrate could not get an answer from ${u.provider} at ${u.base.origin} (${why}); nothing was charged. Check the network or BURNRATE_${u.provider.toUpperCase()}_BASE_URL, then try again.`);
    };
    const timer = setTimeout(() => {
      if (answered) return;
      upReq.destroy(new Error('timeout'));
    }, timeoutMs);
    timer.unref();
    upReq.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (answered) return; // a failure mid-answer is handled on the answer
      unreachable(error.message === 'timeout' ? 504 : 502, error.message === 'timeout' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : error.code ?? error.message);
    });
    // The client went away: stop the upstream too (it stops generating, and billing).
    res.on('close', () => {
      if (!res.writableFinished) {
        if (x) finish(x, 'client');
        upReq.destroy();
      }
    });
    upReq.on('response', (up) => {
      answered = true;
      clearTimeout(timer);
      const status = up.statusCode ?? 502;
      const metering = x !== null && status >= 200 && status < 300;
      if (x && !metering && !x.done) {
        // Upstream errors pass through unchanged and cost nothing.
        x.done = true;
        if (x.reservation) admission.release(x.reservation);
      }
      const sse = metering && /^text\/event-stream/i.test(up.headers['content-type'] ?? '');
      res.writeHead(status, up.statusMessage, clientHeaders(up, sse && strip));
      if (!metering) {
        up.pipe(res);
        up.on('error', () => res.destroy());
        return;
      }
      const meter = x.meter;
      const reader = sse ? new SseReader() : null;
      const collected: Buffer[] = [];
      let size = 0;
      const send = (chunk: Buffer | string) => {
        if (!res.write(chunk)) {
          up.pause();
          res.once('drain', () => up.resume());
        }
      };
      up.on('data', (chunk: Buffer) => {
        if (reader) {
          const events = reader.push(chunk);
          if (!strip) {
            send(chunk); // untouched bytes, at once
            for (const e of events) meter.event(e);
          } else {
            // What the client asked for, in one write per upstream chunk as a pass-through makes.
            let kept = '';
            for (const e of events) if (meter.event(e)) kept += e.raw;
            if (kept) send(kept);
          }
        } else {
          send(chunk);
          size += chunk.length;
          if (size <= MAX_METERED_ANSWER) collected.push(chunk);
        }
      });
      up.on('end', () => {
        if (reader) {
          for (const e of reader.end()) if (meter.event(e) && strip) send(e.raw);
        } else if (size <= MAX_METERED_ANSWER) {
          meter.json(Buffer.concat(collected).toString('utf8'));
        }
        finish(x, null);
        recorder.afterAttempt(() => res.end());
      });
      // The upstream broke off (its end never came): record what passed, and break the client's answer too.
      up.on('close', () => {
        if (x.done) return;
        finish(x, 'upstream');
        res.destroy();
      });
      up.on('error', () => {});
    });
    if (body) upReq.end(body);
    else req.pipe(upReq);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!isAllowedHost(req.headers.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`This proxy answers only to 127.0.0.1:${port} and localhost:${port}.\n`);
      return;
    }
    let target = req.url ?? '/';
    let pathProject: string | null = null;
    const p = /^\/p\/([^/]{1,100})(\/.*)$/.exec(target);
    if (p) {
      pathProject = decodeURIComponent(p[1]!);
      target = p[2]!;
    }
    const route = splitRoute(target);
    const u = route ? upstreams.get(route.provider) : undefined;
    if (!route || !u) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `No provider route here: use ${HOST}:${port}/<provider>/..., with provider one of ${[...upstreams.keys()].join(', ')} (docs/proxy.md).`, type: 'not_found', code: 'no_route' } }));
      return;
    }
    const kind = callKindOf(u.format, req.method, route.rest);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) {
      sendProviderError(res, u.format, 413, 'too_large', `The request body (${declared} bytes) is over the proxy's limit of ${maxBody} bytes; nothing was sent to ${u.provider}.`);
      req.resume();
      return;
    }
    if (kind === null) {
      forward(req, res, u, route.rest, null, null, false); // model lists, files…: streamed through unread
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        if (!over) sendProviderError(res, u.format, 413, 'too_large', `The request body is over the proxy's limit of ${maxBody} bytes; nothing was sent to ${u.provider}.`);
        over = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (over) return;
      let body = Buffer.concat(chunks);
      const facts = readRequest(body);
      const strip = kind === 'chat' && facts.stream && !facts.asksUsage && facts.json !== null;
      if (strip) {
        // Ask for the usage chunk the client did not ask for; it is taken out of the stream again.
        const options = facts.json!.stream_options;
        facts.json!.stream_options = { ...(options && typeof options === 'object' ? options : {}), include_usage: true };
        body = Buffer.from(JSON.stringify(facts.json));
      }
      const startedAt = core.clock.now();
      const model = facts.model ?? 'unknown';
      const estimateTokens: Tokens = {
        input: inputEstimate(size),
        output: outputReservation(kind, facts.maxTokens, caps.capFor(model, startedAt.getTime())),
        cached: 0,
        cacheWrite: 0,
        cacheWrite1h: 0,
      };
      const estimateNano = costOf(prices, route.provider, model, startedAt, estimateTokens) ?? 0;
      const verdict = admission.admit({ provider: route.provider, project: projectOf(req.headers, pathProject), estimateNano, critical: String(req.headers['x-burnrate-priority'] ?? '').toLowerCase() === 'critical' });
      if ('refusal' in verdict) {
        log(`burnrate proxy: refused a ${route.provider} ${kind} request (${verdict.refusal.budget}).`);
        sendProviderError(res, u.format, 402, 'budget_exceeded', verdict.refusal.message);
        return;
      }
      const x: Exchange = {
        provider: route.provider,
        kind,
        facts,
        bodyBytes: size,
        startedAt,
        reservation: verdict.reservation,
        meter: new Meter(kind, strip),
        keySha256: keyHash(req.headers),
        project: projectOf(req.headers, pathProject),
        done: false,
      };
      forward(req, res, u, route.rest, body, x, strip);
    });
    req.on('error', () => res.destroy());
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      // Never crash on one request: answer 500 without the body or the key in the log.
      log(`burnrate proxy: ${req.method} ${(req.url ?? '').split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'The Burnrate proxy failed on this request; see its log.', type: 'internal', code: 'proxy_error' } }));
    }
  });
  server.keepAliveTimeout = 65_000;

  await team?.start();
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      team?.stop();
      reject(error);
    };
    server.once('error', failed);
    server.listen({ port, host: HOST, exclusive: true }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}`,
    port,
    backlog: () => recorder.backlog,
    inFlight: () => admission.inFlight,
    refreshTeam: () => team?.refresh() ?? Promise.resolve(),
    close() {
      team?.stop();
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          const lost = recorder.close();
          admission.close();
          if (lost) log(`burnrate proxy: ${lost} row(s) could not be written before stopping.`);
          agents['http:'].destroy();
          agents['https:'].destroy();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
