import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Database } from 'better-sqlite3';
import { withBusyTimeout } from '../ledger/busy';
import { addNano, type Nano } from '../money';

/**
 * The reservations of every proxy on one ledger, in the table proxy_reservations (migrations 011,
 * 015), so that two proxies see each other's requests in flight (docs/proxy.md, "Enforcement").
 *
 * Rows are inserted only inside the admission's IMMEDIATE transaction (see Admission.admit), so the
 * decision and the reservation are one step for every process on the ledger. A row belongs to an
 * owner (one per proxy start), its process id and its machine (owner_host: a pid means something
 * only where it lives).
 *
 * This proxy never reads its own rows back: its reservations in flight are counted from memory
 * (Admission), so they hold its lines however long the request takes, even when the heartbeat met a
 * locked ledger for minutes (a long import) and the rows expired. Of the OTHER owners' rows, those
 * of a process on this machine count while that process lives (expired or not) and go once it is
 * found dead; those of another machine (or written before 015) count until they expire: the living
 * owner pushes `expires_at` forward every TTL/3 and in each of its admissions, so a proxy killed
 * with -9 elsewhere holds nothing for longer than TTL.
 *
 * Expiry is wall-clock time (Date.now), not the core's clock: it measures a process's liveness,
 * not when spend happened, and a test's fixed clock must not keep a dead proxy's rows forever.
 */
export const RESERVATION_TTL_MS = 60_000;
/** How long a look at whether an owner's process lives is trusted (a signal-0 per owner). */
const DEAD_OWNER_CHECK_MS = 2_000;
/** How often removals that met a busy ledger are tried again (rows of a live owner never expire here). */
const CLEANUP_RETRY_MS = 1_000;
/** The owners started in this process and not closed: the only live owners with this process's pid. */
const LIVE_HERE = new Set<string>();

/** Sums of the rows in force, by provider and by project, for the lines of one admission. */
export interface HeldSums {
  all: Nano;
  byProvider: Map<string, Nano>;
  byProject: Map<string, Nano>;
}

export interface SharedReservationOptions {
  pid?: number;
  /** This machine (default thisHost()): owners elsewhere are judged by expiry only. */
  host?: string;
  ttlMs?: number;
  /** Whether a process id is alive; default: signal 0 (ESRCH means gone). */
  isAlive?: (pid: number) => boolean;
  wallClock?: () => number;
  /**
   * Whether a gone process on this machine left journaled rows not yet in the ledger (default:
   * none). Its reservations stand for that spend, so they hold until the rows are replayed (or
   * the reservations expire), never leaving a gap in which neither counts.
   */
  rowsWaitFor?: (pid: number) => boolean;
  /** How often a removal that met a busy ledger is tried again (default CLEANUP_RETRY_MS). */
  retryMs?: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

let hostId: string | null = null;
/**
 * This machine and boot: the hostname (a container has its own) and, on Linux, the kernel's boot
 * id (a reboot reuses pids). Two proxies with the same value can judge each other's pids.
 */
export function thisHost(): string {
  if (hostId !== null) return hostId;
  let boot = '';
  try {
    boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // not Linux, or not readable: the hostname alone
  }
  hostId = boot ? `${os.hostname()}/${boot}` : os.hostname();
  return hostId;
}

interface OwnerRow {
  owner: string;
  owner_pid: number;
  owner_host: string;
  provider: string;
  project: string;
  amount: number;
  expires: number;
}

export class SharedReservations {
  readonly owner = randomUUID();
  private readonly pid: number;
  private readonly host: string;
  private readonly ttl: number;
  private readonly isAlive: (pid: number) => boolean;
  private readonly rowsWaitFor: (pid: number) => boolean;
  private readonly wall: () => number;
  private readonly retryMs: number;
  private readonly insertRow;
  private readonly othersRows;
  private readonly deleteRow;
  private readonly raiseRow;
  private readonly dropOwner;
  private readonly extend;
  /** Rows whose removal met a busy ledger: removed in the next admission's transaction. */
  private readonly pendingDeletes = new Set<number>();
  /** The ids sweepAndSum deleted in the admission's transaction now running. */
  private sweptInTransaction: number[] = [];
  private held = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Retries removals that met a busy ledger: other proxies here count our rows while we live. */
  private cleanup: NodeJS.Timeout | null = null;
  private closed = false;
  /** Owners on this machine: whether their process lived, or left rows to replay, when last looked at. */
  private readonly liveness = new Map<string, { state: 'alive' | 'rows-wait' | 'gone'; at: number }>();

  constructor(
    private readonly db: Database,
    options: SharedReservationOptions = {},
  ) {
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? thisHost();
    this.ttl = options.ttlMs ?? RESERVATION_TTL_MS;
    this.isAlive = options.isAlive ?? processAlive;
    this.rowsWaitFor = options.rowsWaitFor ?? (() => false);
    this.wall = options.wallClock ?? Date.now;
    this.retryMs = options.retryMs ?? CLEANUP_RETRY_MS;
    LIVE_HERE.add(this.owner);
    this.insertRow = db.prepare('INSERT INTO proxy_reservations (owner, owner_pid, owner_host, provider, project, amount_nano, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.othersRows = db.prepare(
      `SELECT owner, owner_pid, owner_host, provider, project, SUM(amount_nano) AS amount, MAX(expires_at) AS expires
       FROM proxy_reservations WHERE owner != ? GROUP BY owner, provider, project`,
    );
    this.deleteRow = db.prepare('DELETE FROM proxy_reservations WHERE id = ?');
    this.raiseRow = db.prepare('UPDATE proxy_reservations SET amount_nano = ? WHERE id = ? AND amount_nano < ?');
    this.dropOwner = db.prepare('DELETE FROM proxy_reservations WHERE owner = ?');
    this.extend = db.prepare('UPDATE proxy_reservations SET expires_at = ? WHERE owner = ?');
  }

  /**
   * Inside the admission's write transaction: renew this proxy's rows (the lock is held anyway),
   * drop what this proxy released while the ledger was busy and the rows of owners that are gone;
   * then the sums of the other owners' rows in force.
   */
  sweepAndSum(): HeldSums {
    const now = this.wall();
    for (const id of this.pendingDeletes) this.deleteRow.run(id);
    // Kept aside until the transaction commits: rolled back, those rows are there again (sweepRolledBack).
    this.sweptInTransaction = [...this.pendingDeletes];
    this.pendingDeletes.clear();
    if (this.held > 0) this.extend.run(now + this.ttl, this.owner);
    return this.sum(now, (owner) => this.dropOwner.run(owner));
  }

  /** The other owners' rows in force, read without writing (when the write lock is not to be had). */
  peek(): HeldSums {
    return this.sum(this.wall(), () => {});
  }

  private sum(now: number, gone: (owner: string) => void): HeldSums {
    const sums: HeldSums = { all: 0, byProvider: new Map(), byProject: new Map() };
    const dropped = new Set<string>();
    for (const r of this.othersRows.all(this.owner) as OwnerRow[]) {
      if (dropped.has(r.owner)) continue;
      if (!this.holds(r, now)) {
        dropped.add(r.owner);
        gone(r.owner);
        continue;
      }
      sums.all = addNano(sums.all, r.amount);
      sums.byProvider.set(r.provider, addNano(sums.byProvider.get(r.provider) ?? 0, r.amount));
      if (r.project) sums.byProject.set(r.project, addNano(sums.byProject.get(r.project) ?? 0, r.amount));
    }
    return sums;
  }

  /**
   * Whether another owner's rows still hold: on this machine while its process lives (this
   * process's own pid: while that owner is open here), elsewhere until they expire.
   */
  private holds(r: OwnerRow, now: number): boolean {
    if (r.owner_host !== this.host) return r.expires > now;
    if (r.owner_pid === this.pid) return LIVE_HERE.has(r.owner);
    let seen = this.liveness.get(r.owner);
    if (!seen || now - seen.at >= DEAD_OWNER_CHECK_MS) {
      const state = this.isAlive(r.owner_pid) ? 'alive' : this.rowsWaitFor(r.owner_pid) ? 'rows-wait' : 'gone';
      seen = { state, at: now };
      this.liveness.set(r.owner, seen);
    }
    // A gone owner's rows still waiting in its journal: its reservations count until replayed or expired.
    return seen.state === 'alive' || (seen.state === 'rows-wait' && r.expires > now);
  }

  /** Inside the admission's write transaction: hold `amount` for this request; returns the row id. */
  insert(provider: string, project: string, amount: Nano): number {
    const id = Number(this.insertRow.run(this.owner, this.pid, this.host, provider, project, amount, this.wall() + this.ttl).lastInsertRowid);
    this.held++;
    this.startHeartbeat();
    return id;
  }

  /** The admission's transaction that inserted a row rolled back (the ledger full, or failing): it is not held. */
  insertRolledBack(): void {
    this.held = Math.max(0, this.held - 1);
    if (this.held === 0) this.stopHeartbeat();
  }

  /** The admission's transaction committed: what it deleted is gone for good (an id kept longer could be reused by a new row). */
  sweepCommitted(): void {
    this.sweptInTransaction = [];
  }

  /** The admission's transaction rolled back: the rows it deleted for released reservations are back, and are deleted later. */
  sweepRolledBack(): void {
    for (const id of this.sweptInTransaction) this.pendingDeletes.add(id);
    this.sweptInTransaction = [];
    if (this.pendingDeletes.size) this.retryCleanup();
  }

  /**
   * The request cost more than its reservation: the row grows to the real cost until the usage row
   * is written (a smaller cost leaves the row as it is: over-counting for an instant is safe).
   * Never waits for the lock; a busy ledger leaves the estimate in place, as before this change.
   */
  raise(id: number, amount: Nano): void {
    this.tryWrite(() => this.raiseRow.run(amount, id, amount));
  }

  /**
   * The usage row is written (or there is none): the reservation goes, now, at the next admission
   * or at the next retry (this process lives, so nobody else drops the row).
   */
  remove(id: number): void {
    this.held = Math.max(0, this.held - 1);
    if (!this.tryWrite(() => this.deleteRow.run(id))) {
      this.pendingDeletes.add(id);
      this.retryCleanup();
    }
    if (this.held === 0) this.stopHeartbeat();
  }

  /**
   * This proxy stops: its rows go. A busy ledger: they count for nobody in this process at once
   * (LIVE_HERE) and are removed at the next retry for the other processes here.
   */
  close(): void {
    this.stopHeartbeat();
    LIVE_HERE.delete(this.owner);
    this.closed = true;
    if (!this.tryWrite(() => this.dropOwner.run(this.owner))) this.retryCleanup();
  }

  private retryCleanup(): void {
    if (this.cleanup) return;
    this.cleanup = setInterval(() => {
      const done =
        !this.db.open ||
        this.tryWrite(() =>
          this.db.transaction(() => {
            for (const id of this.pendingDeletes) this.deleteRow.run(id);
            if (this.closed) this.dropOwner.run(this.owner);
          })(),
        );
      if (!done) return;
      this.pendingDeletes.clear();
      if (this.cleanup) clearInterval(this.cleanup);
      this.cleanup = null;
    }, this.retryMs);
    this.cleanup.unref();
  }

  private tryWrite(write: () => unknown): boolean {
    if (!this.db.open) return false;
    try {
      withBusyTimeout(this.db, 0, write);
      return true;
    } catch {
      return false; // busy or read-only: the row expires, or goes with the next admission
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => this.tryWrite(() => this.extend.run(this.wall() + this.ttl, this.owner)), Math.max(1, Math.floor(this.ttl / 3)));
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
