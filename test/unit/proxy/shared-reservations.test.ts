import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { setPolicies } from '../../../src/budget/policies';
import { Admission } from '../../../src/proxy/admission';

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

  it("a dead owner's rows are dropped at once; a living owner's expire when it stops renewing them", () => {
    const home = ledger();
    const a = open(home);
    const b = open(home);
    enforceDaily(a);
    let wall = 1_000_000;
    const alive = new Set([111, 222]);
    const options = (pid: number) => ({ sharedOptions: { pid, ttlMs: 60_000, wallClock: () => wall, isAlive: (p: number) => alive.has(p) } });
    const crashed = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, options(111));
    expect('reservation' in ask(crashed, 0.9)).toBe(true);
    const other = new Admission(b.db, () => b.clock.now(), 'UTC', () => null, options(222));
    expect(ask(other, 0.5)).toMatchObject({ refusal: { budget: 'daily' } });
    alive.delete(111); // killed with -9: its process is gone
    wall += 2_000; // the next look for dead owners
    expect('reservation' in ask(other, 0.5)).toBe(true);

    alive.add(333); // a living process that stops renewing its rows (frozen, or on another machine)
    const hung = new Admission(a.db, () => a.clock.now(), 'UTC', () => null, options(333));
    expect('reservation' in ask(hung, 0.4)).toBe(true);
    expect(ask(other, 0.4)).toMatchObject({ refusal: { budget: 'daily' } });
    wall += 60_001; // a minute without renewal
    expect('reservation' in ask(other, 0.4)).toBe(true);
    other.close();
    hung.close();
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
});
