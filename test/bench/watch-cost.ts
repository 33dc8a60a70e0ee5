/**
 * What the change watcher (src/app/change-watcher.ts) costs an idle process: CPU time measured
 * with process.cpuUsage over a period with the watcher polling an idle ledger, against the same
 * period without it, scaled to one hour. Run: `npm run bench -- watch` (WATCH_SECONDS per period,
 * default 60). Prints one line per metric like npm run bench.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_WATCH_INTERVAL_MS, watchExternalChanges } from '../../src/app/change-watcher';
import { openCore } from '../../src/app/open';

const seconds = Number(process.env.WATCH_SECONDS ?? 60);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-watch-cost-'));
const core = openCore({ home, env: { TZ: 'UTC' }, timeZone: 'UTC' });

function cpuMsOver(ms: number): Promise<number> {
  const before = process.cpuUsage();
  return new Promise((resolve) =>
    setTimeout(() => {
      const used = process.cpuUsage(before);
      resolve((used.user + used.system) / 1000);
    }, ms),
  );
}

const line = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const perHour = (cpuMs: number) => (cpuMs * 3600) / seconds;

async function main(): Promise<void> {
  // Idle (the baseline), a bare timer at the same interval, the watcher, then idle again: the
  // process's own start-up tail (JIT, GC) lands in the first period, so the later idle one counts.
  await cpuMsOver(5000);
  const idle = await cpuMsOver(seconds * 1000);
  const bare = setInterval(() => undefined, DEFAULT_WATCH_INTERVAL_MS);
  const timerOnly = await cpuMsOver(seconds * 1000);
  clearInterval(bare);
  const watcher = watchExternalChanges(core);
  const watching = await cpuMsOver(seconds * 1000);
  watcher.stop();
  const idleAgain = await cpuMsOver(seconds * 1000);

  // The poll itself, in a tight loop, for the per-poll figure.
  const polls = 200_000;
  const direct = watchExternalChanges(core, { intervalMs: 3_600_000 });
  const t1 = process.cpuUsage();
  for (let i = 0; i < polls; i++) direct.check();
  const used = process.cpuUsage(t1);
  direct.stop();

  const idleBase = Math.min(idle, idleAgain);
  line({ bench: 'watch', metric: 'idle_cpu_ms_per_hour', value: Number(perHour(idleBase).toFixed(1)), unit: 'ms', baseline: null, ratio: null });
  line({ bench: 'watch', metric: 'bare_timer_cpu_ms_per_hour', value: Number(perHour(timerOnly).toFixed(1)), unit: 'ms', baseline: Number(perHour(idleBase).toFixed(1)), ratio: null });
  line({
    bench: 'watch',
    metric: 'watching_cpu_ms_per_hour',
    value: Number(perHour(watching).toFixed(1)),
    unit: 'ms',
    baseline: Number(perHour(idleBase).toFixed(1)),
    ratio: null,
  });
  line({ bench: 'watch', metric: 'poll_cpu_us', value: Number(((used.user + used.system) / polls).toFixed(2)), unit: 'us', baseline: null, ratio: null });
  line({ bench: 'watch', metric: 'polls_per_hour', value: 3_600_000 / DEFAULT_WATCH_INTERVAL_MS, unit: 'count', baseline: null, ratio: null });
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
