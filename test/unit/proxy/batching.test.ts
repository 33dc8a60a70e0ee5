import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { setPolicies } from '../../../src/budget/policies';
import type { UsageEventInput } from '../../../src/model/ledger';
import { Admission } from '../../../src/proxy/admission';
import { Journal } from '../../../src/proxy/journal';
import { IDLE_MS, MAX_BATCH, QUIET_MS, Recorder } from '../../../src/proxy/recorder';

/**
 * What keeps SQLite off each request's path (recorder.ts, admission.ts): rows are journaled at
 * once and committed in batches, and the stored policies are not read again for every request.
 */
const opened: Core[] = [];
const closers: (() => unknown)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
  for (const c of opened.splice(0)) c.close();
});

function open(home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-batching-'))): Core {
  const core = openCore({ home, env: {}, timeZone: 'UTC' });
  opened.push(core);
  return core;
}

let n = 0;
function row(): UsageEventInput {
  return { source: 'proxy', provider: 'openai', externalId: `chatcmpl-batch-${++n}`, model: 'gpt-4o', inputTokens: 100, outputTokens: 10, occurredAt: new Date('2026-12-02T10:00:00Z'), metadata: { kind: 'chat', stream: false } };
}

function recorder(core: Core): { r: Recorder; journal: Journal } {
  const journal = Journal.open(core.home)!;
  const r = new Recorder(core, { journal });
  closers.push(() => r.close());
  return { r, journal };
}

const stored = (core: Core) => (core.db.prepare(`SELECT COUNT(*) AS n FROM usage_events WHERE source = 'proxy'`).get() as { n: number }).n;
const journaled = (j: Journal) => fs.readFileSync(j.file, 'utf8').split('\n').filter(Boolean).length;
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('rows committed in batches', () => {
  it('once no request is being answered, the batch is committed IDLE_MS later, long before QUIET_MS; while one is, it waits', () => {
    const core = open();
    let answering = 1;
    const r = new Recorder(core, { journal: Journal.open(core.home)!, answering: () => answering });
    closers.push(() => r.close());
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      r.record(row());
      r.idle(); // a request is still being answered: nothing changes
      vi.advanceTimersByTime(IDLE_MS * 2);
      expect(stored(core)).toBe(0);
      answering = 0;
      r.idle();
      vi.advanceTimersByTime(IDLE_MS);
      expect(stored(core)).toBe(1); // 3 IDLE_MS after the row, where the quiet timer waits QUIET_MS
      expect(IDLE_MS * 3).toBeLessThan(QUIET_MS);
    } finally {
      vi.useRealTimers();
    }
  });


  it('rows recorded together are journaled in one write before any of their answers may end, and committed together later; settled() waits for the commit', async () => {
    const core = open();
    const { r, journal } = recorder(core);
    for (let i = 0; i < 3; i++) r.record(row());
    expect(journaled(journal)).toBe(0); // appended: written once, at the end of this callback
    // An answer's end (afterAttempt) goes out once its row is journaled, before the commit.
    const atEnd = await new Promise<number>((resolve) => r.afterAttempt(() => resolve(journaled(journal))));
    expect(atEnd).toBe(3); // durable now: a kill -9 replays them
    expect(stored(core)).toBe(0); // the commit waits for a quiet moment
    expect(r.backlog).toBe(3);
    await r.settled();
    expect(stored(core)).toBe(3);
    expect(r.backlog).toBe(0);
    expect(journaled(journal)).toBe(0); // all in the ledger: the journal starts over
  });

  it(`${MAX_BATCH} waiting rows are committed in the next turn, without waiting for quiet`, async () => {
    const core = open();
    const { r } = recorder(core);
    for (let i = 0; i < MAX_BATCH; i++) r.record(row());
    expect(stored(core)).toBe(0);
    await nextTurn();
    expect(stored(core)).toBe(MAX_BATCH);
  });

  it('rows that never stop coming are still committed (the batch waits for quiet only so long)', async () => {
    const core = open();
    const { r } = recorder(core);
    // Each poll records another row, every 10 ms: the proxy is never quiet (MAX_WAIT_MS, or
    // MAX_BATCH rows, ends the wait).
    await expect.poll(() => (r.record(row()), stored(core)), { interval: 10, timeout: 5_000 }).toBeGreaterThan(0);
  });
});

describe('the stored policies on the request path', () => {
  const ask = (a: Admission) => a.admit({ provider: 'openai', estimateNano: 2e9, critical: false });
  const enforceDaily = (core: Core) => {
    applyBudgetChange(core.db, { daily: 1_000_000_000, reserveBp: 0 }, core.clock.now());
    setPolicies(core.db, [{ kind: 'daily' }], 'enforce', core.clock.now());
  };

  it('a policy set through the proxy\'s own connection counts at the next admission', () => {
    const core = open();
    const admission = new Admission(core.db, () => core.clock.now(), 'UTC');
    closers.push(() => admission.close());
    expect('reservation' in ask(admission)).toBe(true); // nothing enforced: $2 passes
    enforceDaily(core);
    expect(ask(admission)).toMatchObject({ refusal: { budget: 'daily' } });
  });

  it('a policy set by another process counts soon after, without a restart', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-batching-'));
    const proxyCore = open(home);
    const other = open(home); // another process's connection to the same ledger
    const admission = new Admission(proxyCore.db, () => proxyCore.clock.now(), 'UTC');
    closers.push(() => admission.close());
    expect('reservation' in ask(admission)).toBe(true);
    enforceDaily(other);
    await expect.poll(() => ask(admission), { interval: 20, timeout: 5_000 }).toMatchObject({ refusal: { budget: 'daily' } });
  });
});
