import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { setPolicies } from '../../../src/budget/policies';
import { Admission, admitNowOrPatiently, ADMIT_WAIT_MS } from '../../../src/proxy/admission';
import { Journal, journalWaits } from '../../../src/proxy/journal';

/**
 * Reservations shared through proxy_reservations (src/proxy/shared-reservations.ts). Two cores on
 * one ledger file stand for two proxy processes (two connections); the pids and the wall clock are
 * injected where a test needs a dead owner or an expired row.
 */
const opened: Core[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

function ledger(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-shared-res-'));
}

function open(home: string): Core {
  const core = openCore({ home, env: {}, timeZone: 'UTC' });
  opened.push(core);
  return core;
}

/** $1.00 a day, no reserve, enforced. */
function enforceDaily(core: Core): void {
  applyBudgetChange(core.db, { daily: 1_000_000_000, reserveBp: 0 }, core.clock.now());
  setPolicies(core.db, [{ kind: 'daily' }], 'enforce', core.clock.now());
}

const ask = (a: Admission, usd: number) => a.admit({ provider: 'openai', estimateNano: usd * 1e9, critical: false });
const rows = (core: Core) => (core.db.prepare('SELECT COUNT(*) AS n FROM proxy_reservations').get() as { n: number }).n;

describe('reservations shared across proxies', () => {
  it("one proxy's reservation holds the other's line; released, it goes", () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    const first = new Admission(a.db, () => a.clock.now(), 'UTC');
    const second = new Admission(b.db, () => b.clock.now(), 'UTC');
    const held = ask(first, 0.6);
    expect('reservation' in held && held.reservation.row).not.toBeNull();
    expect(ask(second, 0.6)).toMatchObject({ refusal: { budget: 'daily' } });
    expect('reservation' in ask(second, 0.3)).toBe(true);
    if ('reservation' in held) first.release(held.reservation);
    expect('reservation' in ask(second, 0.6)).toBe(true); // 0.3 + 0.6 still under $1.00
    first.close();
    second.close();
    expect(rows(a)).toBe(0);
  });

  it('a cost above the estimate raises the shared row; nothing enforced writes no row', () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    const first = new Admission(a.db, () => a.clock.now(), 'UTC');
    const idle = ask(first, 0.1);
    expect('reservation' in idle && idle.reservation.row).toBeNull(); // warn by default: nothing shared
    expect(rows(a)).toBe(0);
    enforceDaily(a);
    const held = ask(first, 0.1);
    if (!('reservation' in held)) throw new Error('refused');
    first.settle(held.reservation, 0.95e9);
    expect(ask(new Admission(b.db, () => b.clock.now(), 'UTC'), 0.1)).toMatchObject({ refusal: { budget: 'daily' } });
  });

  it("a dead owner's rows are dropped at once; a living owner on this machine keeps them; one on another machine loses them when it stops renewing", () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    let wall = 1_000_000;
    const alive = new Set([111, 222]);
    const options = (pid: number, host = 'here') => ({ sharedOptions: { pid, host, ttlMs: 60_000, wallClock: () => wall, isAlive: (p: number) => alive.has(p) } });
    const crashed = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, options(111));
    expect('reservation' in ask(crashed, 0.9)).toBe(true);
    const other = new Admission(b.db, () => b.clock.now(), 'UTC', () => null, options(222));
    expect(ask(other, 0.5)).toMatchObject({ refusal: { budget: 'daily' } });
    alive.delete(111); // killed with -9: its process is gone
    wall += 2_000; // the next look at whether it lives
    const second = ask(other, 0.5);
    expect('reservation' in second).toBe(true);
    if ('reservation' in second) other.release(second.reservation);

    alive.add(333); // a living process on this machine whose heartbeat cannot write (a long import)
    const slow = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, options(333));
    const slowHeld = ask(slow, 0.4);
    expect('reservation' in slowHeld).toBe(true);
    expect(ask(other, 0.7)).toMatchObject({ refusal: { budget: 'daily' } });
    wall += 61_000; // its rows expired, but its process lives here: they still hold
    expect(ask(other, 0.7)).toMatchObject({ refusal: { budget: 'daily' } });
    if ('reservation' in slowHeld) slow.release(slowHeld.reservation);

    // A proxy elsewhere (another container or host sharing the folder): its pid means nothing here.
    const remote = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, options(999_999, 'elsewhere'));
    expect('reservation' in ask(remote, 0.4)).toBe(true);
    wall += 2_000; // pid 999999 is not alive here, yet the row holds until it expires
    expect(ask(other, 0.7)).toMatchObject({ refusal: { budget: 'daily' } });
    wall += 60_001; // a minute without renewal
    expect('reservation' in ask(other, 0.7)).toBe(true);
    other.close();
    slow.close();
    remote.close();
  });

  it("a killed owner's reservations hold while its journal still has rows to replay, so its answered spend is never counted by neither", () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    let wall = 2_000_000;
    const alive = new Set([444, 555]);
    const options = (pid: number) => ({
      sharedOptions: { pid, host: 'here', ttlMs: 60_000, wallClock: () => wall, isAlive: (p: number) => alive.has(p), rowsWaitFor: (p: number) => journalWaits(home, p) },
    });
    const killed = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, options(444));
    expect('reservation' in ask(killed, 0.9)).toBe(true);
    // Its answer went out after its row was journaled; the batch commit had not run yet.
    const journal = Journal.open(home, 444)!;
    journal.append({ source: 'proxy', provider: 'openai', externalId: 'chatcmpl-left', model: 'gpt-4o', inputTokens: 1, outputTokens: 1, occurredAt: new Date('2026-12-02T10:00:00Z'), metadata: {} });
    journal.write();
    const other = new Admission(b.db, () => b.clock.now(), 'UTC', () => null, options(555));
    alive.delete(444); // kill -9
    wall += 2_000;
    expect(ask(other, 0.5)).toMatchObject({ refusal: { budget: 'daily' } }); // still counted: its row is not in the ledger yet
    journal.clear(); // replayed into the ledger: the journal is empty
    wall += 2_000;
    expect('reservation' in ask(other, 0.5)).toBe(true);
    journal.close(true);
    other.close();
  });

  it("this proxy's own reservation holds while its request runs, even after its shared row expired", () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    let wall = 5_000_000;
    const options = { sharedOptions: { ttlMs: 60_000, wallClock: () => wall } };
    const proxy = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, options);
    const first = ask(proxy, 0.8);
    expect('reservation' in first && first.reservation.row).not.toBeNull();
    expect(ask(proxy, 0.8)).toMatchObject({ refusal: { budget: 'daily' } });
    wall += 61_000; // the heartbeat met a locked ledger for a minute; the first request still runs
    expect(ask(proxy, 0.8)).toMatchObject({ refusal: { budget: 'daily' } });
    // ...and another proxy on this machine (this process is alive) still sees it too.
    const other = new Admission(b.db, () => b.clock.now(), 'UTC', () => null, options);
    expect(ask(other, 0.8)).toMatchObject({ refusal: { budget: 'daily' } });
    if ('reservation' in first) proxy.release(first.reservation);
    expect('reservation' in ask(proxy, 0.8)).toBe(true);
    proxy.close();
    other.close();
  });

  it('a proxy stopped in this process while the ledger was busy holds nothing after, though its rows stay', () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    const stopped = new Admission(a.db, () => a.clock.now(), 'UTC');
    expect('reservation' in ask(stopped, 0.8)).toBe(true);
    b.db.exec('BEGIN IMMEDIATE');
    try {
      stopped.close(); // its delete meets the lock
    } finally {
      b.db.exec('ROLLBACK');
    }
    expect(rows(a)).toBe(1);
    const next = new Admission(b.db, () => b.clock.now(), 'UTC');
    expect('reservation' in ask(next, 0.8)).toBe(true);
    next.close();
  });

  it('a release or stop that met a busy ledger is tried again, so a living proxy leaves no row behind', async () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    const first = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, { sharedOptions: { retryMs: 10 } });
    const second = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, { sharedOptions: { retryMs: 10 } });
    const released = ask(first, 0.3);
    expect('reservation' in ask(second, 0.3)).toBe(true);
    b.db.exec('BEGIN IMMEDIATE');
    try {
      if ('reservation' in released) first.release(released.reservation);
      second.close(); // stopped while the ledger was busy
      expect(rows(a)).toBe(2);
    } finally {
      b.db.exec('ROLLBACK');
    }
    await expect.poll(() => rows(a), { timeout: 5_000, interval: 10 }).toBe(0);
    first.close();
  });

  it('a ledger held by another writer: the admission decides at once on what it can read, its reservation kept in memory', () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    const first = new Admission(a.db, () => a.clock.now(), 'UTC');
    b.db.exec('BEGIN IMMEDIATE'); // an import in another process holding the write lock
    try {
      const held = ask(first, 0.6);
      expect('reservation' in held && held.reservation.row).toBeNull();
      expect(ask(first, 0.6)).toMatchObject({ refusal: { budget: 'daily' } }); // the in-memory one still counts
    } finally {
      b.db.exec('ROLLBACK');
    }
    expect(rows(a)).toBe(0);
  });

  it('a lock held past one attempt is waited out without blocking, so the reservation is still shared; past the patience it is decided on what is readable', async () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    const first = new Admission(a.db, () => a.clock.now(), 'UTC');
    const req = { provider: 'openai', estimateNano: 0.6e9, critical: false };
    // Another process holds the write lock for longer than one attempt waits, then lets go.
    b.db.prepare('BEGIN IMMEDIATE').run();
    expect(first.admit(req, { orBusy: true })).toBe('busy');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        b.db.prepare('COMMIT').run();
        resolve();
      }, ADMIT_WAIT_MS * 2),
    );
    const waited = await admitNowOrPatiently(first, req, 60_000);
    await released;
    expect('reservation' in waited && waited.reservation.row).not.toBeNull(); // written to proxy_reservations
    expect(rows(a)).toBe(1);
    // A lock that outlasts the patience: decided on what is readable, held in this process only.
    b.db.prepare('BEGIN IMMEDIATE').run();
    try {
      const decided = await admitNowOrPatiently(first, { ...req, estimateNano: 0.3e9 }, 0);
      expect('reservation' in decided && decided.reservation.row).toBeNull();
      expect(await admitNowOrPatiently(first, req, 0)).toMatchObject({ refusal: { budget: 'daily' } }); // 0.6 + 0.3 + 0.6 > $1.00
    } finally {
      b.db.prepare('ROLLBACK').run();
    }
    first.close();
  });
});
