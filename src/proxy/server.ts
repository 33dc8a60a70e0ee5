import { createHash, randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher, Pool } from 'undici';
import type { PriceLookup } from '../ledger/usage';
import type { Core } from '../model/context';
import type { UsageEventInput } from '../model/ledger';
import { PROJECT_NAME } from '../model/input-patterns';
import { isAllowedHost } from '../server/security';
import { Admission, admitNowOrPatiently, type Reservation, type Verdict } from './admission';
import { TeamFigureCache, TEAM_REFRESH_MS, type TeamSpendSource } from './team-source';
import { sendProviderError } from './errors';
import { AnsweredModels, costOf, inputEstimate, outputReservation, readRequest, ReservationCaps, withUsageAsked, type RequestFacts } from './estimate';
import { callKindOf, Meter, type CallKind, type Tokens } from './meters';
import { CODEX_CLIENT } from '../ledger/codex-twins';
import { Journal, journalWaits } from './journal';
import { Recorder } from './recorder';
import { meteredRelay, plainRelay, type AnswerSink, type ClientAnswer } from './relay';
import { resolveUpstreams, splitRoute, upstreamPath, type ResolvedUpstream, type WireFormat } from './upstreams';

/** The port `burnrate proxy` uses unless told otherwise (docs/proxy.md). */
export const DEFAULT_PROXY_PORT = 4318;
const HOST = '127.0.0.1';
/** Bodies larger than this are refused with 413 (OpenAI takes requests up to about 50 MB with images). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How long the upstream may take to start answering (long prompts on slow models take minutes). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;
/** How often a running proxy looks for leftover journals: one readdir of a folder of a few files. */
export const LEFTOVER_CHECK_MS = 3_000;

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
  /** How often a running proxy looks for other proxies' leftover journals (default LEFTOVER_CHECK_MS). */
  leftoverCheckMs?: number;
}

export interface RunningProxy {
  /** http://127.0.0.1:PORT: the one line `burnrate proxy` prints. */
  url: string;
  port: number;
  /** Rows waiting for a busy ledger. */
  backlog(): number;
  /** Requests admitted whose rows are not written yet. */
  inFlight(): number;
  /**
   * Resolves once every row recorded so far is in the ledger: rows are committed in batches a
   * little after their answers ended (recorder.ts), so a reader that needs them waits on this.
   */
  settled(): Promise<void>;
  /** Read the team's figure now instead of at the next tick (the bench and tests wait on it). */
  refreshTeam(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1). `expect` too: the
 * proxy answers a client's 100-continue itself, and the upstream gets the body at once.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'expect']);
type DispatchController = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>[0];

/** The client's key, for attribution by hash only: the key itself is forwarded and forgotten. */
function keyHash(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  const key = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : null;
  if (!key) return null;
  // Hashed afresh each time (about 2 µs): a cache would keep clients' keys in memory, keyed by the key.
  return createHash('sha256').update(key).digest('hex');
}

/** Codex names itself in `originator` (codex_cli_rs, codex_exec…) and in its User-Agent (`<originator>/<version>`). */
function clientOf(headers: IncomingHttpHeaders): typeof CODEX_CLIENT | null {
  const said = [headers.originator, headers['user-agent']].filter((h): h is string => typeof h === 'string');
  return said.some((h) => /^codex[_-]/i.test(h.trim())) ? CODEX_CLIENT : null;
}

function projectOf(headers: IncomingHttpHeaders, fromPath: string | null): string | undefined {
  const h = headers['x-burnrate-project'];
  const name = typeof h === 'string' ? h.trim() : fromPath;
  return name && PROJECT_NAME.test(name) ? name : undefined;
}

/** The request's headers for the upstream (whose Host the upstream client sets from its origin). */
function upstreamHeaders(req: IncomingMessage, bodyLength: number | null, metered: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name.startsWith('x-burnrate-')) continue;
    out[name] = value;
  }
  if (bodyLength !== null) out['content-length'] = String(bodyLength);
  // Usage is read from the answer: it must come uncompressed. Loopback and TLS make the cost nil.
  if (metered) out['accept-encoding'] = 'identity';
  return out;
}

function clientHeaders(upHeaders: IncomingHttpHeaders, bodyChanged: boolean): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upHeaders)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (bodyChanged && name === 'content-length') continue;
    out[name] = value;
  }
  return out;
}

/** Node's codes for a certificate it does not trust (or that does not name the host). */
const UNTRUSTED_CERTIFICATE = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT(_LOCALLY)?)|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** How long a connection to the upstream may take: 10 s, or less when the whole answer may take less. */
const connectTimeoutMs = (timeoutMs: number) => Math.min(timeoutMs, 10_000);

/** Why no answer came from the upstream, in words, and the status that says it (504: too slow, 502: anything else). */
function upstreamTrouble(error: Error & { code?: string }, timeoutMs: number): { status: 502 | 504; why: string } {
  const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
  switch (error.code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { status: 504, why: `no answer within ${seconds(timeoutMs)}` };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { status: 504, why: `no connection within ${seconds(connectTimeoutMs(timeoutMs))}` };
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
      return { status: 502, why: 'the connection closed before an answer' };
    default:
      if (error.code && UNTRUSTED_CERTIFICATE.test(error.code)) {
        return { status: 502, why: `its TLS certificate is not trusted: ${error.code}; behind a gateway with its own certificate authority, set NODE_EXTRA_CA_CERTS to that authority's file` };
      }
      // A system error's code names it exactly (ECONNREFUSED, ENOTFOUND…); else undici's sentence.
      return { status: 502, why: error.code && !error.code.startsWith('UND_ERR') ? error.code : error.message };
  }
}

/** A header's value, the first when it was repeated. */
function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The upstream's reason phrase when node:http can send it on (a Latin-1 line), else none: the
 * status code stands alone. A reason such as "OK ✓" would make writeHead throw, and the client wait.
 */
function passableReason(reason: string | undefined): string | undefined {
  return reason !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(reason) ? reason : undefined;
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
  /** The Codex CLI sent it (codex-twins.ts pairs it with an old Codex log's row). */
  client: typeof CODEX_CLIENT | null;
  /** keySha256 and client are found (identify), from these. */
  identified: boolean;
  headers: IncomingHttpHeaders;
  project: string | undefined;
  done: boolean;
}

/** The facts of the request only its row needs: once, whichever comes first (the check phase after it was sent, or its row). */
function identify(x: Exchange): void {
  if (x.identified) return;
  x.identified = true;
  x.keySha256 = keyHash(x.headers);
  x.client = clientOf(x.headers);
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
  const admission = new Admission(core.db, () => core.clock.now(), core.timeZone, () => team?.figure() ?? null, {
    sharedOptions: { rowsWaitFor: (pid) => journalWaits(core.home, pid) },
  });
  // Each row is journaled before its answer ends, so a kill -9 loses no answer the client had (journal.ts).
  const journal = Journal.open(core.home);
  if (!journal) log(`burnrate proxy: ${core.home} cannot hold the row journal; each answer ends after its row's commit instead, and rows waiting for a busy ledger are kept in memory only.`);
  // Requests being answered now: the recorder's commits and announcements wait until there are none (recorder.ts, idle).
  let answering = 0;
  const recorder = new Recorder(core, { log, journal, answering: () => answering });
  // Rows of a proxy that was killed before committing them: in the ledger before this one listens.
  const replayed = recorder.replayLeftovers();
  if (replayed) log(`burnrate proxy: ${replayed} row(s) left by a stopped proxy were recorded.`);
  // ...and those of a proxy that stops while this one runs (killed next to it, or switched off here).
  recorder.watchLeftovers(options.leftoverCheckMs ?? LEFTOVER_CHECK_MS, (rows) => log(`burnrate proxy: ${rows} row(s) left by a stopped proxy were recorded.`));
  const caps = new ReservationCaps(core.db);
  const answered = AnsweredModels.recall(core.db);
  // One pool of keep-alive connections per upstream origin (undici: Nagle off, no handshake per
  // request). Its client spends 15–21 % less CPU per streamed request than node:http's (docs/proxy.md).
  // No body timeout: a model may think for minutes between two events of a stream.
  // Loaded here, not at the module's top: every CLI command's bundle holds this module, and only the proxy needs undici.
  const { Pool } = await import('undici');
  const pools = new Map<string, Pool>();
  const poolFor = (u: ResolvedUpstream): Pool => {
    let pool = pools.get(u.base.origin);
    if (!pool) {
      pool = new Pool(u.base.origin, { connections: 256, headersTimeout: timeoutMs, bodyTimeout: 0, connectTimeout: connectTimeoutMs(timeoutMs) });
      pools.set(u.base.origin, pool);
    }
    return pool;
  };
  let port = options.port ?? DEFAULT_PROXY_PORT;

  /** The row of an exchange that ended, however it ended; durable before the client's response ends. */
  const finish = (x: Exchange, cut: 'client' | 'upstream' | null): void => {
    if (x.done) return;
    x.done = true;
    identify(x);
    const m = x.meter;
    const exact = m.usage !== null && m.ended && cut === null;
    // Only an answer without its whole usage is estimated from its text: reading outputChars measures it (meters.ts).
    const guessedOutput = () => Math.ceil(m.outputChars / 4);
    const tokens: Tokens = m.usage
      ? { ...m.usage, output: exact ? m.usage.output : Math.max(m.usage.output, guessedOutput()) }
      : { input: inputEstimate(x.bodyBytes), output: guessedOutput(), cached: 0, cacheWrite: 0, cacheWrite1h: 0 };
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
        ...(x.client ? { client: x.client } : {}),
        ...(exact ? {} : { estimated: true, ...(cut ? { cut } : {}) }),
      },
    };
    const r = x.reservation;
    let cost: number | null;
    try {
      cost = costOf(prices, x.provider, model, x.startedAt, tokens);
    } catch (error) {
      // Counts no price can hold (an upstream's garbage usage, 10^15 tokens): the answer still goes
      // to the client whole; a row of such figures would stop every batch it joined, so none is written.
      if (r) admission.release(r);
      log(`burnrate proxy: a ${x.provider} answer gave usage that cannot be priced (${error instanceof Error ? error.message : String(error)}); it was passed on and not recorded.`);
      return;
    }
    // Only an answer that could be priced teaches the proxy (garbage counts would set the next requests' reservations).
    if (m.model && x.facts.model) answered.learn(x.provider, x.facts.model, m.model, x.startedAt);
    caps.saw(model, tokens.output, x.startedAt.getTime());
    if (r) admission.settle(r, cost ?? 0);
    try {
      recorder.record(event, () => r && admission.release(r));
    } catch (error) {
      // A row the ledger refuses as invalid (it should not happen) is named, never crashes the proxy.
      if (r) admission.release(r);
      log(`burnrate proxy: a ${x.provider} row could not be recorded (${error instanceof Error ? error.message : String(error)}).`);
    }
  };

  const forward = (req: IncomingMessage, res: ServerResponse, u: ResolvedUpstream, rest: string, body: Buffer | null, x: Exchange | null, strip: boolean): void => {
    let controller: DispatchController | null = null;
    let clientGone = false;
    let sink: AnswerSink | null = null; // set once the upstream answers
    let upstreamEnded = false;
    const unreachable = (status: 502 | 504, why: string) => {
      if (x && !x.done) {
        x.done = true;
        if (x.reservation) admission.release(x.reservation);
      }
      try {
        sendProviderError(res, u.format, status, status === 504 ? 'gateway_timeout' : 'bad_gateway', `Burnrate could not get an answer from ${u.provider} at ${u.base.origin} (${why}); nothing was charged. Check the network or BURNRATE_${u.provider.toUpperCase()}_BASE_URL, then try again.`);
      } catch {
        res.destroy(); // the answer had begun and cannot be replaced: the client sees it broken, never waits for it
      }
    };
    // The client went away: stop the upstream too (it stops generating, and billing).
    res.on('close', () => {
      if (!res.writableFinished) {
        clientGone = true;
        if (x && controller === null && !x.done) {
          // Gone before the request was put on a connection (the upstream slow to accept one):
          // the upstream never saw it, so it costs nothing and leaves no row.
          x.done = true;
          if (x.reservation) admission.release(x.reservation);
        } else if (x) finish(x, 'client');
        controller?.abort(new Error('the client went away'));
      }
    });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (clientGone) c.abort(new Error('the client went away'));
      },
      onResponseStart(c, status, upHeaders, statusMessage) {
        // An informational answer (103 Early Hints) before the real one: not passed on, as node:http
        // did not either; the answer that follows starts here again.
        if (status < 200) return;
        const metering = x !== null && status < 300;
        if (x && !metering && !x.done) {
          // Upstream errors pass through unchanged and cost nothing.
          x.done = true;
          if (x.reservation) admission.release(x.reservation);
        }
        const contentType = firstOf(upHeaders['content-type']); // a repeated header comes as a list
        const sse = metering && contentType !== undefined && /^text\/event-stream/i.test(contentType);
        const headers = clientHeaders(upHeaders, sse && strip);
        // The head goes out with the first bytes (a stream's at once, below): until then an upstream
        // that breaks off can still be answered with an error the client reads, not a bare break.
        let headWritten = false;
        const writeHead = () => {
          if (headWritten) return;
          headWritten = true;
          res.writeHead(status, passableReason(statusMessage), headers);
        };
        // While the client's socket is full the upstream is held back: its answer waits in its own
        // socket. Not once it has ended: its connection may by then carry another request's answer.
        let wrote = false;
        // A stream's head leaves at once when no event follows it in this turn (a model thinking
        // before its first token): node:http would hold it until the first write, and the client
        // would see nothing, not even the status, until then.
        if (sse) {
          writeHead();
          setImmediate(() => {
            if (!wrote && !res.destroyed && !res.writableEnded) res.flushHeaders();
          });
        }
        const client: ClientAnswer = {
          write(bytes) {
            wrote = true;
            if (res.destroyed) return;
            writeHead();
            if (!res.write(bytes) && !upstreamEnded && !c.paused) {
              c.pause();
              res.once('drain', () => {
                if (!upstreamEnded) c.resume();
              });
            }
          },
          end(last) {
            if (res.destroyed) return;
            writeHead();
            res.end(last);
          },
          breakOff(last) {
            if (res.destroyed) return;
            if (!headWritten) {
              // Nothing reached the client: it gets a sentence, not a connection closed under it.
              return sendProviderError(res, u.format, 502, 'bad_gateway', `${u.provider} at ${u.base.origin} broke off its answer (status ${status}) before sending any of it. Try again.`);
            }
            if (!last) return void res.destroy();
            // Broken off once those bytes left (a destroy at once could drop them still in the
            // socket's buffer), or after a moment whatever the client does.
            res.write(last, () => res.destroy());
            setTimeout(() => res.destroy(), 100).unref();
          },
        };
        const length = headers['content-length'] === undefined ? null : Number(headers['content-length']);
        sink = metering
          ? meteredRelay({ client, meter: x.meter, sse, strip, length: Number.isSafeInteger(length) ? length : null, recorder, record: (cut) => finish(x, cut), fail: (error) => c.abort(error instanceof Error ? error : new Error(String(error))) })
          : plainRelay(client);
      },
      onResponseData(_c, chunk) {
        sink?.bytes(chunk);
      },
      onResponseEnd() {
        upstreamEnded = true;
        sink?.end();
      },
      onResponseError(_c, error: Error & { code?: string }) {
        upstreamEnded = true;
        if (sink) return sink.broken();
        if (clientGone) return;
        const trouble = upstreamTrouble(error, timeoutMs);
        unreachable(trouble.status, trouble.why);
      },
    };
    // A request the proxy did not read streams on as it comes (undici sends none for a GET's empty one).
    poolFor(u).dispatch({ method: req.method ?? 'GET', path: upstreamPath(u, rest), headers: upstreamHeaders(req, body ? body.length : null, x !== null), body: body ?? req }, handler);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    answering++;
    res.once('close', () => {
      if (--answering === 0) recorder.idle();
    });
    if (!isAllowedHost(req.headers.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`This proxy answers only to 127.0.0.1:${port} and localhost:${port}.\n`);
      return;
    }
    let target = req.url ?? '/';
    let pathProject: string | null = null;
    let badProject = false;
    const p = /^\/p\/([^/]{1,100})(\/.*)$/.exec(target);
    if (p) {
      try {
        pathProject = decodeURIComponent(p[1]!);
      } catch {
        badProject = true; // "%ZZ": said below, in the provider's shape
      }
      target = p[2]!;
    }
    const route = splitRoute(target);
    const u = route ? upstreams.get(route.provider) : undefined;
    if (!route || !u) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `No provider route here: use ${HOST}:${port}/<provider>/..., with provider one of ${[...upstreams.keys()].join(', ')} (docs/proxy.md).`, type: 'not_found', code: 'no_route' } }));
      return;
    }
    if (badProject) {
      sendProviderError(res, u.format, 400, 'bad_request', `The project in the path /p/${p![1]}/ is not valid percent-encoding; write it as encodeURIComponent does, or send it in the X-Burnrate-Project header. Nothing was sent to ${u.provider}.`);
      req.resume();
      return;
    }
    const kind = callKindOf(u.format, req.method, route.rest);
    if (kind === null) {
      // Model lists, files…: streamed through unread, so held to no size (OpenAI takes files of
      // 512 MB); the limit is for the bodies the proxy reads whole.
      forward(req, res, u, route.rest, null, null, false);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) {
      sendProviderError(res, u.format, 413, 'too_large', `The request body (${declared} bytes) is over the proxy's limit of ${maxBody} bytes; nothing was sent to ${u.provider}.`);
      req.resume();
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
      try {
        admitAndForward();
      } catch (error) {
        failed(req, res, error, u.format);
      }
    });
    const admitAndForward = () => {
      if (over) return;
      let body: Buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const facts = readRequest(body);
      const strip = kind === 'chat' && facts.stream && !facts.asksUsage && facts.json !== null;
      // Ask for the usage chunk the client did not ask for; it is taken out of the stream again.
      if (strip) body = withUsageAsked(body, facts.json!);
      const startedAt = core.clock.now();
      const asked = facts.model ?? 'unknown';
      const model = answered.of(route.provider, asked); // the name its rows are filed under
      const estimateTokens: Tokens = {
        input: inputEstimate(size),
        output: outputReservation(kind, facts.maxTokens, caps.capFor(model, startedAt.getTime())),
        cached: 0,
        cacheWrite: 0,
        cacheWrite1h: 0,
      };
      // An unpriced model reserves nothing (its rows are unpriced too, in no figure).
      const estimateNano = costOf(prices, route.provider, model, startedAt, estimateTokens) ?? (model === asked ? null : costOf(prices, route.provider, asked, startedAt, estimateTokens)) ?? 0;
      const ask = { provider: route.provider, project: projectOf(req.headers, pathProject), estimateNano, critical: String(req.headers['x-burnrate-priority'] ?? '').toLowerCase() === 'critical' };
      // Decided now, in this turn, unless another process holds the ledger's write lock: then a
      // promise that tries again without blocking the event loop.
      const verdict = admitNowOrPatiently(admission, ask);
      if (verdict instanceof Promise) {
        verdict.then((later) => proceed(later, facts, body, strip, startedAt)).catch((error: unknown) => failed(req, res, error, u.format));
      } else proceed(verdict, facts, body, strip, startedAt);
    };
    const proceed = (verdict: Verdict, facts: RequestFacts, body: Buffer, strip: boolean, startedAt: Date) => {
      if (res.destroyed) {
        // The client left while the admission waited for the ledger: nothing was forwarded.
        if ('reservation' in verdict) admission.release(verdict.reservation);
        return;
      }
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
        keySha256: null,
        client: null,
        identified: false,
        headers: req.headers,
        project: projectOf(req.headers, pathProject),
        done: false,
      };
      forward(req, res, u, route.rest, body, x, strip);
      // Facts only the row needs, found while the upstream works on the request: after it is
      // written to the upstream's socket, which undici does in the event loop's check phase
      // (setImmediate) when it reuses a connection; finish finds them itself if it comes first.
      setImmediate(() => identify(x));
    };
    req.on('error', () => res.destroy());
  };

  // Never crash on one request: answer 500 without the body or the key in the log, in the
  // provider's own error shape once the route is known (an Anthropic client reads Anthropic's).
  const failed = (req: IncomingMessage, res: ServerResponse, error: unknown, format?: WireFormat) => {
    log(`burnrate proxy: ${req.method} ${(req.url ?? '').split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (res.destroyed) return;
    if (format) return sendProviderError(res, format, 500, 'proxy_error', 'The Burnrate proxy failed on this request; see its log.');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'The Burnrate proxy failed on this request; see its log.', type: 'internal', code: 'proxy_error' } }));
  };
  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      failed(req, res, error);
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
    settled: () => recorder.settled(),
    refreshTeam: () => team?.refresh() ?? Promise.resolve(),
    close() {
      team?.stop();
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          const lost = recorder.close();
          admission.close();
          if (lost) log(`burnrate proxy: ${lost} row(s) could not be written before stopping${journal ? '; they are kept in the row journal and recorded when the proxy starts again' : ''}.`);
          for (const pool of pools.values()) void pool.destroy();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
