/**
 * `npm run bench -- proxy`: what the metering proxy adds to a request, against a bare node:http
 * pass-through (no metering) measured in the same run, and whether 10,000 mixed requests leave
 * 10,000 rows whose tokens equal the fake upstream's own count.
 *
 * Four processes: the fake upstream, the bare pass-through, the proxy (each `node <this> <role>`,
 * printing its URL), and this driver. Latency is measured from the driver with a keep-alive agent:
 * time to first byte and to last byte, non-streamed and streamed, at concurrency 1 and 64. "Added"
 * is the p50/p99 of a route minus the same percentile of calling the fake directly.
 * Prints one JSON object per line like the rest of `npm run bench`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { openCore } from '../../src/app/open';
import { Recorder } from '../../src/proxy/recorder';
import { startProxy } from '../../src/proxy/server';
import { startFakeUpstream } from '../fixtures/llm/fake-upstream';

const role = process.argv[2];
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** A child role answers "stats" on stdin with one JSON line ("dump": writes its BENCH_PROXY_DUMP file, then answers). */
function answerStats(stats: () => object, dump: () => void = () => {}): void {
  readline.createInterface({ input: process.stdin }).on('line', (l) => {
    if (l.trim() === 'dump') dump();
    if (l.trim() === 'stats' || l.trim() === 'dump') process.stdout.write(JSON.stringify(stats()) + '\n');
    if (l.trim() === 'exit') process.exit(0); // lets --cpu-prof write its profile
  });
}

async function runRole(): Promise<void> {
  if (role === 'fake') {
    const fake = await startFakeUpstream({ keepBodies: false });
    process.stdout.write(fake.url + '\n');
    answerStats(() => fake.served.byModel);
    return;
  }
  if (role === 'bare') {
    // The limit: a node:http pass-through with a keep-alive agent and stream.pipeline, no metering.
    const upstream = new URL(process.argv[3]!);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const server = http.createServer((req, res) => {
      const up = http.request({ hostname: upstream.hostname, port: upstream.port, path: (req.url ?? '/').replace(/^\/openai/, ''), method: req.method, headers: { ...req.headers, host: upstream.host }, agent }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      res.on('close', () => up.destroy());
      req.pipe(up);
    });
    server.keepAliveTimeout = 65_000;
    server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
    answerStats(() => ({ rss: process.memoryUsage().rss, cpuUs: cpuUs(), sysUs: process.cpuUsage().system }));
    return;
  }
  if (role === 'proxy') {
    // What the kill -9 guarantee costs: each response's end waits for the commit of its row, so the
    // time spent committing, per commit and per row, is the price (timed around the recorder's flush).
    // With BENCH_PROXY_DUMP (the driver's variable, inherited): when each commit and each announcement
    // ran, to line slow calls up with (written when the driver says "dump", before the kill -9 run).
    const dumpTo = process.env.BENCH_PROXY_DUMP;
    const commits = new Timed(dumpTo !== undefined);
    const flush = Recorder.prototype.flush;
    Recorder.prototype.flush = function (this: Recorder) {
      commits.time(() => flush.call(this));
    };
    const core = openCore({ home: process.argv[4]!, env: { BURNRATE_OPENAI_BASE_URL: process.argv[3]! }, timeZone: 'UTC' });
    // The announcement after a batch (budget checks, the tray): it waits for a quiet moment, which
    // the other routes' turns give it here and a busy client would not, so its time is shown too.
    const announcements = new Timed(dumpTo !== undefined);
    const spendChanged = core.spendChanged.bind(core);
    core.spendChanged = (reason, touched) => announcements.time(() => spendChanged(reason, touched));
    const proxy = await startProxy(core, core.prices, { port: 0, log: (l) => process.stderr.write(l + '\n') });
    process.stdout.write(proxy.url + '\n');
    let cpu = process.cpuUsage();
    let at = Date.now();
    answerStats(() => {
      const used = process.cpuUsage(cpu);
      const ms = Date.now() - at;
      cpu = process.cpuUsage();
      at = Date.now();
      const mem = process.memoryUsage();
      if (process.env.BENCH_PROXY_MEM) process.stderr.write(`mem rss ${mem.rss >> 20} heapTotal ${mem.heapTotal >> 20} heapUsed ${mem.heapUsed >> 20} external ${mem.external >> 20} arrayBuffers ${mem.arrayBuffers >> 20}\n`);
      // The longest commit and announcement are since the last stats: the driver asks at each phase's start and end.
      const c = commits.take();
      const a = announcements.take();
      return { rss: mem.rss, heap: mem.heapUsed, backlog: proxy.backlog(), inFlight: proxy.inFlight(), cpuMsPerSecond: ((used.user + used.system) / 1000 / ms) * 1000, cpuUs: cpuUs(), sysUs: process.cpuUsage().system, flushUs: c.us, flushes: c.count, flushMaxUs: c.maxUs, announceUs: a.us, announced: a.count, announceMaxUs: a.maxUs };
    }, () => {
      if (dumpTo) fs.writeFileSync(`${dumpTo}-proxy.json`, JSON.stringify({ commits: commits.log, announcements: announcements.log }));
    });
  }
}

/** Time spent in one kind of work (commits, announcements): in all, how often, the longest since the last take; each one's start and length when `logged`. */
class Timed {
  private ns = 0n;
  private maxNs = 0n;
  private count = 0;
  readonly log: [number, number][] = [];

  constructor(private readonly logged: boolean) {}

  time<T>(work: () => T): T {
    const t = process.hrtime.bigint();
    const at = performance.timeOrigin + performance.now();
    try {
      return work();
    } finally {
      const took = process.hrtime.bigint() - t;
      if (this.logged) this.log.push([at, Number(took) / 1e6]);
      this.ns += took;
      if (took > this.maxNs) this.maxNs = took;
      this.count++;
    }
  }

  /** The totals so far and the longest since the last take (which starts over). */
  take(): { us: number; count: number; maxUs: number } {
    const maxUs = Number(this.maxNs / 1000n);
    this.maxNs = 0n;
    return { us: Number(this.ns / 1000n), count: this.count, maxUs };
  }
}

interface Child {
  proc: ChildProcess;
  url: string;
  stats(): Promise<any>;
  /** Asks the proxy to write its BENCH_PROXY_DUMP file (and answers as stats does). */
  dump(): Promise<any>;
}

function startRole(args: string[], nodeArgs: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, [...nodeArgs, __filename, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proc.stdout! });
  const waiting: ((l: string) => void)[] = [];
  let first: ((l: string) => void) | null = null;
  lines.on('line', (l) => {
    // Anything but the URL and the stats' JSON (--trace-gc's lines, say) goes to the bench's stderr.
    if (!l.startsWith('http') && !l.startsWith('{')) return void process.stderr.write(l + '\n');
    if (first) {
      const f = first;
      first = null;
      f(l);
    } else waiting.shift()?.(l);
  });
  return new Promise((resolve) => {
    first = (url) =>
      resolve({
        proc,
        url,
        stats: () => ask('stats'),
        dump: () => ask('dump'),
      });
    const ask = (line: string) =>
      new Promise((r) => {
        waiting.push((l) => r(JSON.parse(l)));
        proc.stdin!.write(`${line}\n`);
      });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

interface Timing {
  ttfb: number;
  ttlb: number;
  /** When the call began (ms since the epoch, fractional): lines a slow call up with the processes' own logs (BENCH_PROXY_DUMP). */
  at?: number;
}

/**
 * A streamed call whose client asks for the usage chunk itself (`stream_options.include_usage`, as
 * the Codex CLI and many SDK users do): the upstream then does the same work for every route. A
 * plain stream makes the proxy ask for it (and hide it), so the fake writes more for the proxy than
 * for the bare pass-through, and that extra upstream work counts as the proxy's added latency.
 */
type StreamKind = boolean | 'with-usage';

/** One chat completion; abortAfterFirst: the client goes away after the first chunk. */
function call(base: string, prefix: string, stream: StreamKind, model = 'gpt-4o-mini', abortAfterFirst = false): Promise<Timing> {
  const url = new URL(`${base}${prefix}/v1/chat/completions`);
  const asked = stream === 'with-usage' ? { stream_options: { include_usage: true } } : {};
  const body = JSON.stringify({ model, stream: stream !== false, ...asked, messages: [{ role: 'user', content: 'Say something about benchmarks, please.' }] });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const at = performance.timeOrigin + performance.now();
    let ttfb = 0;
    const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'content-length': Buffer.byteLength(body), 'x-fake-output': '20' } }, (res) => {
      res.on('data', () => {
        if (ttfb === 0) {
          ttfb = Number(process.hrtime.bigint() - started) / 1e6;
          if (abortAfterFirst) {
            req.destroy();
            resolve({ ttfb, ttlb: ttfb });
          }
        }
      });
      res.on('end', () => resolve({ ttfb, ttlb: Number(process.hrtime.bigint() - started) / 1e6, at }));
      res.on('error', () => (abortAfterFirst ? undefined : reject(new Error('response error'))));
    });
    req.on('error', (e) => (abortAfterFirst ? undefined : reject(e)));
    req.end(body);
  });
}

/** One chat completion read whole; resolves with the answer's id (JSON body, or the first SSE event). */
function callId(base: string, stream: boolean): Promise<string> {
  const body = JSON.stringify({ model: 'gpt-4o-mini-kill', stream, messages: [{ role: 'user', content: 'Say something about benchmarks, please.' }] });
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/openai/v1/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'content-length': Buffer.byteLength(body), 'x-fake-output': '20' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        try {
          if (stream && !text.endsWith('data: [DONE]\n\n')) throw new Error('cut');
          resolve((JSON.parse(stream ? /^data: (.*)$/m.exec(text)![1]! : text) as { id: string }).id);
        } catch {
          reject(new Error('not an answer'));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(base: string, prefix: string, stream: StreamKind, concurrency: number, count: number): Promise<Timing[]> {
  const out: Timing[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      out.push(await call(base, prefix, stream));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/**
 * The machine's CPU ticks, all and stolen (Linux's /proc/stat; null elsewhere): on a virtual
 * machine the host's other guests take a share of its cores ("steal"), which shows as latency on
 * every route at random moments. Printed per phase so a run's noise can be read beside its figures.
 */
function cpuTicks(): { total: number; steal: number } | null {
  try {
    const fields = /^cpu\s+(.*)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))![1]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is counted in user already)
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((s.length * p) / 100) - 1)]!;
};
const line = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const r3 = (v: number) => Number(v.toFixed(3));

async function driver(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-proxy-bench-'));
  const fake = await startRole(['fake']);
  // BENCH_PROXY_PROFILE=<dir>: the proxy and the bare pass-through run under --cpu-prof and write
  // their profiles there at the end (the bare one's name has the lower pid: it starts first).
  const profile = process.env.BENCH_PROXY_PROFILE;
  // BENCH_PROXY_HEAP=1 with it: --heap-prof (sampled allocations) instead.
  const profiler = process.env.BENCH_PROXY_HEAP ? 'heap' : 'cpu';
  const profileArgs = profile ? [`--${profiler}-prof`, `--${profiler}-prof-dir=${profile}`] : [];
  const bare = await startRole(['bare', fake.url], profileArgs);
  // BENCH_PROXY_NODE_ARGS="--trace-gc …": node options for the proxy's process only (experiments).
  const proxyArgs = process.env.BENCH_PROXY_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proxy = await startRole(['proxy', fake.url, home], [...profileArgs, ...proxyArgs]);
  const routes = { direct: [fake.url, ''], bare: [bare.url, '/openai'], proxy: [proxy.url, '/openai'] } as const;
  // 2,040 one at a time: a p99 is then the 21st slowest, not the 4th (of 400), whose place the fake
  // upstream's own slow answers (a few milliseconds, on any route, measured) decide by chance.
  const c1 = Number(process.env.BENCH_PROXY_C1 ?? 2040);
  const c64 = Number(process.env.BENCH_PROXY_C64 ?? 2580);
  // Warm-up: each route serves every kind of call a few hundred times first, so that what is
  // measured is a running proxy's steady state, not its JIT compiling the streamed path while the
  // first phase already times it (the bare pass-through is warmed alike).
  const kinds: StreamKind[] = [false, true, 'with-usage'];
  const warmUp = Number(process.env.BENCH_PROXY_WARM ?? 300);
  for (let i = 0; i < warmUp * kinds.length; i++) for (const [base, prefix] of Object.values(routes)) await call(base, prefix, kinds[i % kinds.length]!);

  const ORDERS = [
    ['direct', 'bare', 'proxy'],
    ['bare', 'proxy', 'direct'],
    ['proxy', 'direct', 'bare'],
    ['direct', 'proxy', 'bare'],
    ['proxy', 'bare', 'direct'],
    ['bare', 'direct', 'proxy'],
  ] as const;
  // BENCH_PROXY_DUMP=<prefix>: each phase's timings, with when each call began, are written to
  // <prefix>-<phase>.json, to line slow calls up with the processes' own logs.
  const dump = process.env.BENCH_PROXY_DUMP;
  // BENCH_PROXY_ONLY=stream_c1,json_c64…: only those latency phases, then stop (for --cpu-prof of one load).
  const only = process.env.BENCH_PROXY_ONLY?.split(',');
  const limits: boolean[] = [];
  const phaseName = (stream: StreamKind) => (stream === 'with-usage' ? 'stream_usage' : stream ? 'stream' : 'json');
  for (const [concurrency, count] of [[1, c1], [64, c64]] as const) {
    const kinds: StreamKind[] = concurrency === 1 ? [false, true, 'with-usage'] : [false, true];
    for (const stream of kinds) {
      if (only && !only.includes(`${phaseName(stream)}_c${concurrency}`)) continue;
      const phase = `${phaseName(stream)}_c${concurrency}`;
      // 64 at a time needs 63 more connections on every route, and the first few hundred calls
      // through them were measured at 5-15x the steady latency on every route alike (direct too):
      // they are made before the phase, and shown apart (a burst of new clients meets them).
      if (concurrency > 1) {
        const cold: Record<string, number> = {};
        for (const [name, [base, prefix]] of Object.entries(routes)) cold[name] = pct((await measure(base, prefix, stream, concurrency, concurrency * 10)).map((t) => t.ttlb), 99);
        const bareAdded = cold.bare! - cold.direct!;
        line({ bench: 'proxy', metric: `${phase}_cold_first_${concurrency * 10}_ttlb_p99_added_ms`, value: r3(cold.proxy! - cold.direct!), unit: 'ms', baseline: r3(bareAdded), ratio: bareAdded > 0 ? r3((cold.proxy! - cold.direct!) / bareAdded) : null });
      }
      // What the proxy left to do after the warm-up or the phase before (its last commit and
      // announcement) is done before the phase starts, not during the first route's turn.
      for (let i = 0; i < 100 && (await proxy.stats()).backlog > 0; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 600));
      // Interleaved in rounds so a busy moment of the machine hits every route alike: one at a
      // time in 204 rounds of 10 calls per route (a route's turn lasts 3-7 ms, no longer than
      // the machine's own stalls, measured; BENCH_PROXY_C1_ROUNDS=24 gives turns of 85, near the
      // 100 used until the eleventh stop), 64 at a time in 12 rounds of 215. Each round takes the
      // routes in the next of the six orders, so each route follows each other one as often.
      // Within a turn a route's calls follow each other, so the proxy's own work after an answer
      // (a commit every MAX_BATCH rows) mostly falls on its own next call, as it does for one client's.
      const times: Record<string, Timing[]> = { direct: [], bare: [], proxy: [] };
      const ticksBefore = cpuTicks();
      const rounds = concurrency === 1 ? Number(process.env.BENCH_PROXY_C1_ROUNDS ?? 204) : 12;
      // A whole number of times through the six orders, so each is used as often.
      if (rounds % ORDERS.length !== 0) throw new Error(`BENCH_PROXY_C1_ROUNDS must be a multiple of ${ORDERS.length}.`);
      const per = Math.ceil(count / rounds);
      // CPU each pass-through spends per request over the phase (each serves only its own calls):
      // the machine's load hardly moves it, unlike latency.
      const before = { bare: await bare.stats(), proxy: await proxy.stats() };
      for (let r = 0; r < rounds; r++) {
        for (const name of ORDERS[r % ORDERS.length]!) {
          const [base, prefix] = routes[name];
          times[name]!.push(...(await measure(base, prefix, stream, concurrency, per)));
        }
      }
      const after = { bare: await bare.stats(), proxy: await proxy.stats() };
      const cpu = { bare: after.bare.cpuUs - before.bare.cpuUs, proxy: after.proxy.cpuUs - before.proxy.cpuUs };
      const sys = { bare: after.bare.sysUs - before.bare.sysUs, proxy: after.proxy.sysUs - before.proxy.sysUs };
      const flushed = { us: after.proxy.flushUs - before.proxy.flushUs, flushes: after.proxy.flushes - before.proxy.flushes, maxUs: after.proxy.flushMaxUs };
      const announced = { us: after.proxy.announceUs - before.proxy.announceUs, count: after.proxy.announced - before.proxy.announced, maxUs: after.proxy.announceMaxUs };
      if (dump) fs.writeFileSync(`${dump}-${phase}.json`, JSON.stringify(times));
      const n = per * rounds;
      const ticksAfter = cpuTicks();
      if (ticksBefore && ticksAfter) {
        const steal = (100 * (ticksAfter.steal - ticksBefore.steal)) / Math.max(1, ticksAfter.total - ticksBefore.total);
        line({ bench: 'proxy', metric: `${phase}_machine_steal_pct`, value: r3(steal), unit: '%', baseline: null, ratio: null });
      }
      line({ bench: 'proxy', metric: `${phase}_cpu_us_per_request`, value: Math.round(cpu.proxy / n), unit: 'us', baseline: Math.round(cpu.bare / n), ratio: r3(cpu.proxy / cpu.bare) });
      // The kernel's part (socket writes and reads, the journal's write): the same for both but the journal.
      line({ bench: 'proxy', metric: `${phase}_sys_cpu_us_per_request`, value: Math.round(sys.proxy / n), unit: 'us', baseline: Math.round(sys.bare / n), ratio: r3(sys.proxy / sys.bare) });
      line({ bench: 'proxy', metric: `${phase}_commit_us_per_request`, value: Math.round(flushed.us / n), unit: 'us', baseline: null, ratio: null });
      // The longest commit of the phase: every request in flight waits it out (the event loop is one).
      line({ bench: 'proxy', metric: `${phase}_longest_commit_ms`, value: r3(flushed.maxUs / 1000), unit: 'ms', baseline: null, ratio: null });
      line({ bench: 'proxy', metric: `${phase}_rows_per_commit`, value: r3(n / Math.max(1, flushed.flushes)), unit: 'rows', baseline: null, ratio: null });
      // The announcements after the commits (budget checks, the tray): how many, their time per request, the longest.
      line({ bench: 'proxy', metric: `${phase}_announcements`, value: announced.count, unit: 'announcements', baseline: null, ratio: null });
      line({ bench: 'proxy', metric: `${phase}_announce_us_per_request`, value: Math.round(announced.us / n), unit: 'us', baseline: null, ratio: null });
      line({ bench: 'proxy', metric: `${phase}_longest_announce_ms`, value: r3(announced.maxUs / 1000), unit: 'ms', baseline: null, ratio: null });
      for (const metric of ['ttfb', 'ttlb'] as const) {
        for (const p of [50, 99]) {
          const direct = pct(times.direct!.map((t) => t[metric]), p);
          const bareAdded = pct(times.bare!.map((t) => t[metric]), p) - direct;
          const proxyAdded = pct(times.proxy!.map((t) => t[metric]), p) - direct;
          const name = `${phase}_${metric}_p${p}`;
          line({ bench: 'proxy', metric: `${name}_direct_ms`, value: r3(direct), unit: 'ms', baseline: null, ratio: null });
          line({ bench: 'proxy', metric: `${name}_added_ms`, value: r3(proxyAdded), unit: 'ms', baseline: r3(bareAdded), ratio: bareAdded > 0 ? r3(proxyAdded / bareAdded) : null });
          // The limit (issue 17): under the absolute where there is one, or within 1.5x of what the bare pass-through adds.
          const absolute = concurrency === 1 ? (p === 50 ? 0.5 : 1) : p === 99 ? 5 : null;
          const met = (absolute !== null && proxyAdded <= absolute) || proxyAdded <= 1.5 * Math.max(0, bareAdded);
          limits.push(met);
          line({ bench: 'proxy', metric: `${name}_within_limit`, value: met ? 1 : 0, unit: 'bool', baseline: absolute, ratio: null });
        }
      }
    }
  }

  line({ bench: 'proxy', metric: 'latency_limits_met', value: limits.filter(Boolean).length, unit: 'figures', baseline: limits.length, ratio: r3(limits.filter(Boolean).length / Math.max(1, limits.length)) });
  if (dump) await proxy.dump();

  if (only) {
    const exited = Promise.all([proxy, bare].map((c) => new Promise((r) => c.proc.once('exit', r))));
    for (const c of [proxy, bare]) c.proc.stdin!.write('exit\n');
    await exited;
    for (const c of [fake, bare, proxy]) c.proc.kill('SIGKILL');
    agent.destroy();
    fs.rmSync(home, { recursive: true, force: true });
    return;
  }

  // 10,000 mixed requests: 45 % JSON, 45 % streamed, 10 % streams the client aborts after the first chunk.
  const core = openCore({ home, env: {}, timeZone: 'UTC' });
  // The latency phases' last rows are committed a little after their answers (recorder.ts): wait
  // for them, so that the count below holds the mixed requests' rows only.
  for (let i = 0; i < 500; i++) {
    const s = await proxy.stats();
    if (s.backlog === 0 && s.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const before = (core.db.prepare('SELECT count(*) AS n FROM usage_events').get() as { n: number }).n;
  const total = Number(process.env.BENCH_PROXY_MIXED ?? 10_000);
  let rss = 0;
  let heap = 0;
  let next = 0;
  const sampler = setInterval(() => {
    void proxy.stats().then((s: { rss: number; heap: number }) => {
      rss = Math.max(rss, s.rss);
      heap = Math.max(heap, s.heap);
    });
  }, 250);
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < total) {
        const i = next++;
        const kind = i % 10;
        if (kind === 9) await call(proxy.url, '/openai', true, 'gpt-4o-mini-abort', true);
        else await call(proxy.url, '/openai', kind % 2 === 0, 'gpt-4o-mini-mixed');
      }
    }),
  );
  const mixedMs = Date.now() - started;
  // Rows of aborted streams are written when the proxy sees the close: wait for them (bounded).
  for (let i = 0; i < 500; i++) {
    const s = await proxy.stats();
    const n = (core.db.prepare('SELECT count(*) AS n FROM usage_events').get() as { n: number }).n - before;
    if ((n >= total && s.backlog === 0 && s.inFlight === 0) || i === 499) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  clearInterval(sampler);
  const rows = (core.db.prepare('SELECT count(*) AS n FROM usage_events').get() as { n: number }).n - before;
  const ledger = core.db.prepare(`SELECT sum(input_tokens) AS input, sum(output_tokens) AS output, count(*) AS n FROM usage_events WHERE model = 'gpt-4o-mini-mixed'`).get() as { input: number; output: number; n: number };
  const served = (await fake.stats()) as Record<string, { input: number; output: number; requests: number }>;
  const mixed = served['gpt-4o-mini-mixed']!;
  line({ bench: 'proxy', metric: 'mixed_requests', value: total, unit: 'requests', baseline: null, ratio: null });
  line({ bench: 'proxy', metric: 'mixed_rows', value: rows, unit: 'rows', baseline: total, ratio: r3(rows / total) });
  line({ bench: 'proxy', metric: 'mixed_completed_rows', value: ledger.n, unit: 'rows', baseline: mixed.requests, ratio: r3(ledger.n / mixed.requests) });
  line({ bench: 'proxy', metric: 'mixed_input_tokens', value: ledger.input, unit: 'tokens', baseline: mixed.input, ratio: r3(ledger.input / mixed.input) });
  line({ bench: 'proxy', metric: 'mixed_output_tokens', value: ledger.output, unit: 'tokens', baseline: mixed.output, ratio: r3(ledger.output / mixed.output) });
  line({ bench: 'proxy', metric: 'mixed_throughput', value: Math.round((total / mixedMs) * 1000), unit: 'requests/s', baseline: null, ratio: null });
  line({ bench: 'proxy', metric: 'proxy_rss_peak_mb', value: Math.round(rss / 1e6), unit: 'MB', baseline: 150, ratio: r3(rss / 1e6 / 150) });
  line({ bench: 'proxy', metric: 'proxy_heap_used_peak_mb', value: Math.round(heap / 1e6), unit: 'MB', baseline: null, ratio: null });
  await proxy.stats();
  await new Promise((r) => setTimeout(r, 5000));
  const idle = (await proxy.stats()) as { cpuMsPerSecond: number };
  line({ bench: 'proxy', metric: 'proxy_idle_cpu_ms_per_s', value: r3(idle.cpuMsPerSecond), unit: 'ms/s', baseline: null, ratio: null });
  let victim = proxy;
  if (profile) {
    const exited = Promise.all([proxy, bare].map((c) => new Promise((r) => c.proc.once('exit', r))));
    for (const c of [proxy, bare]) c.proc.stdin!.write('exit\n');
    await exited;
    victim = await startRole(['proxy', fake.url, home]);
  }

  // kill -9 mid-run: 64 clients keep the id of every answer they received whole; once KILL_AFTER
  // answers are in, the proxy is killed with requests in flight, started again on the same ledger,
  // and every kept id must be a row.
  const killAfter = Number(process.env.BENCH_PROXY_KILL_AFTER ?? 2000);
  const received: string[] = [];
  let killed = false;
  let sent = 0;
  const died = new Promise((r) => victim.proc.once('exit', r));
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (!killed) {
        try {
          received.push(await callId(victim.url, sent++ % 2 === 0));
        } catch {
          // cut by the kill: never completed, nothing promised
        }
        if (received.length >= killAfter && !killed) {
          killed = true;
          victim.proc.kill('SIGKILL');
        }
      }
    }),
  );
  await died;
  const restarted = await startRole(['proxy', fake.url, home]);
  const stored = new Set(core.db.prepare(`SELECT external_id FROM usage_events WHERE source = 'proxy' AND model = 'gpt-4o-mini-kill'`).pluck().all() as string[]);
  const missing = received.filter((id) => !stored.has(id)).length;
  line({ bench: 'proxy', metric: 'kill9_answers_received', value: received.length, unit: 'answers', baseline: null, ratio: null });
  line({ bench: 'proxy', metric: 'kill9_rows_after_restart', value: received.length - missing, unit: 'rows', baseline: received.length, ratio: r3((received.length - missing) / received.length) });
  line({ bench: 'proxy', metric: 'kill9_missing_rows', value: missing, unit: 'rows', baseline: 0, ratio: null });
  core.close();
  for (const c of [fake, bare, proxy, victim, restarted]) c.proc.kill('SIGKILL');
  agent.destroy();
  fs.rmSync(home, { recursive: true, force: true });
}

if (role) void runRole();
else
  driver().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
