import type { ServerResponse } from 'node:http';
import type { EventName } from '../api/contract/events';
import type { CoreEvents } from '../model/events';

export const HEARTBEAT_MS = 15_000;

/**
 * Open event streams at most: a dashboard holds one per tab, so this is far above real use, and
 * each stream costs a socket and a timer; past it a client gets a refusal instead of one more.
 */
export const MAX_EVENT_CLIENTS = 64;

/** One server-sent event. JSON.stringify never emits a newline, so `data` is always one line. */
export function formatEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * The live-update stream of GET /api/events: every contract event of the core, forwarded to every
 * connected client, with a comment line as heartbeat so proxies and browsers keep the connection.
 * One subscription to the core serves all clients.
 */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;

  constructor(
    events: CoreEvents,
    private readonly heartbeatMs = HEARTBEAT_MS,
    private readonly maxClients = MAX_EVENT_CLIENTS,
  ) {
    this.unsubscribe = events.onAny((name: EventName, payload) => this.broadcast(formatEvent(name, payload)));
  }

  get size(): number {
    return this.clients.size;
  }

  /** Room for one more stream? When not, the caller refuses the request (503) before taking it over. */
  get full(): boolean {
    return this.clients.size >= this.maxClients;
  }

  /** Take over `res` as an event stream until the client goes away or the hub closes. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    // The first bytes tell clients the stream is live (and flush the headers right away).
    res.write(': connected\nretry: 3000\n\n');
    this.clients.add(res);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      this.clients.delete(res);
    });
  }

  private broadcast(text: string): void {
    for (const res of this.clients) {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    }
  }

  /** End every stream and stop listening to the core. */
  close(): void {
    this.unsubscribe();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
