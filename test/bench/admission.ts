/**
 * `npm run bench -- admission`: what sharing reservations across proxies (proxy_reservations,
 * migration 011) costs one admission, against the in-memory admission it replaced, in the same run
 * on the same file ledger (10,000 rows this month). A cycle is admit + settle + release, as one
 * proxied request makes them, with 16 other requests in flight. Also: nothing enforced (the
 * common case: no shared write at all) and a request under an enforced project cap (the project's
 * month read from raw rows). Prints one JSON line per metric, like npm run bench.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../../src/app/open';
import { applyBudgetChange } from '../../src/budget/budgets';
import { setPolicies } from '../../src/budget/policies';
import { Admission, type Reservation } from '../../src/proxy/admission';

const CYCLES = Number(process.env.ADMISSION_CYCLES ?? 5000);
const IN_FLIGHT = 16;
const line = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-admission-'));
const core = openCore({ home, env: { TZ: 'UTC' }, timeZone: 'UTC' });
const now = core.clock.now();
const rows = Array.from({ length: 10_000 }, (_, i) => ({
  source: 'proxy' as const,
  provider: i % 2 ? 'openai' : 'anthropic',
  model: 'gpt-4o-mini',
  project: i % 3 ? 'web' : 'api',
  externalId: `bench-${i}`,
  costNano: 1_000,
  occurredAt: new Date(now.getTime() - (i % 20) * 3_600_000),
}));
core.usage.write(rows);
applyBudgetChange(core.db, { daily: 1_000_000_000_000, monthly: 10_000_000_000_000 }, now);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Microseconds per cycle, p50 and p99. */
function measure(admission: Admission, project?: string): { p50: number; p99: number } {
  const held: Reservation[] = [];
  const times: number[] = [];
  for (let i = 0; i < CYCLES + 500; i++) {
    const t0 = process.hrtime.bigint();
    const verdict = admission.admit({ provider: 'openai', project, estimateNano: 600_000, critical: false });
    if ('refusal' in verdict) throw new Error(`refused: ${verdict.refusal.message}`);
    held.push(verdict.reservation);
    if (held.length > IN_FLIGHT) {
      const done = held.shift()!;
      admission.settle(done, 500_000);
      admission.release(done);
    }
    const t1 = process.hrtime.bigint();
    if (i >= 500) times.push(Number(t1 - t0) / 1000); // the first 500 warm up
  }
  for (const r of held) admission.release(r);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const clock = () => core.clock.now();
const off = measure(new Admission(core.db, clock, 'UTC'));
setPolicies(core.db, [{ kind: 'daily' }, { kind: 'monthly' }], 'enforce', now);
const memory = measure(new Admission(core.db, clock, 'UTC', () => null, { shared: false }));
const sharedAdmission = new Admission(core.db, clock, 'UTC');
const shared = measure(sharedAdmission);
sharedAdmission.close();
applyBudgetChange(core.db, { projectCap: { project: 'web', amount: 1_000_000_000_000 } }, now);
setPolicies(core.db, [{ kind: 'project', project: 'web' }], 'enforce', now);
const projectAdmission = new Admission(core.db, clock, 'UTC');
const project = measure(projectAdmission, 'web');
projectAdmission.close();

for (const q of ['p50', 'p99'] as const) {
  line({ bench: 'admission', metric: `nothing enforced ${q}`, value: off[q], unit: 'µs' });
  line({ bench: 'admission', metric: `enforced, in memory only (before) ${q}`, value: memory[q], unit: 'µs' });
  line({ bench: 'admission', metric: `enforced, shared across proxies ${q}`, value: shared[q], unit: 'µs', baseline: memory[q], ratio: Number((shared[q] / memory[q]).toFixed(2)), addedUs: Number((shared[q] - memory[q]).toFixed(1)) });
  line({ bench: 'admission', metric: `project cap enforced, shared ${q}`, value: project[q], unit: 'µs', baseline: shared[q], ratio: Number((project[q] / shared[q]).toFixed(2)) });
}
core.close();
fs.rmSync(home, { recursive: true, force: true });
