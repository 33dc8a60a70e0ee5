import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = any>(): T;
}

/**
 * One raw HTTP request. node:http rather than fetch, because the tests must send what a browser
 * or an attacker would: any Host header, unnormalised paths such as /../package.json.
 */
export function request(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** An open server-sent event stream; `waitFor` resolves once the received text matches. */
export interface EventStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  text(): string;
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  close(): void;
}

export function openEvents(port: number, headers: Record<string, string>): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/events', headers, agent: false }, (res) => {
      let received = '';
      const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
      const check = () => {
        for (const w of [...waiters]) {
          const m = received.match(w.pattern);
          if (m) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        received += chunk;
        check();
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => received,
        waitFor: (pattern) =>
          new Promise((ok) => {
            waiters.push({ pattern, resolve: ok });
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
