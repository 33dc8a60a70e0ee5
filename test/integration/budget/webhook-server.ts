import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1 that stands in for Slack, Discord, ntfy or any webhook. Its
 * answer can be changed while it runs, and it can be stopped (connection refused) and started
 * again on the same port.
 */
export class WebhookServer {
  received: Received[] = [];
  /** Status to answer with; 'hold' waits for release(). */
  answer: { status: number; body?: string; headers?: Record<string, string> } = { status: 200, body: 'ok' };
  private server: http.Server | null = null;
  private waiters: ((r: Received) => void)[] = [];
  private held: (() => void)[] = [];
  hold = false;
  port = 0;

  async start(port = this.port): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(r);
        const answer = () => {
          res.writeHead(this.answer.status, this.answer.headers ?? {});
          res.end(this.answer.body ?? '');
        };
        if (this.hold) this.held.push(answer);
        else answer();
        for (const w of this.waiters.splice(0)) w(r);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Resolves at the next request (an explicit signal; no sleeping). */
  nextRequest(): Promise<Received> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }
}
