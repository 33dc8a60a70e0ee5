import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { addNano, type Nano } from '../money';

/**
 * The reservations of every proxy on one ledger, in the table proxy_reservations (migration 011),
 * so that two proxies see each other's requests in flight (docs/proxy.md, "Enforcement").
 *
 * Rows are inserted only inside the admission's IMMEDIATE transaction (see Admission.admit), so the
 * decision and the reservation are one step for every process on the ledger. A row belongs to an
 * owner (one per proxy start) and its process id; it lives until its owner removes it, its process
 * is found dead, or it expires: the living owner pushes `expires_at` forward every TTL/3, so a proxy
 * killed with -9 holds nothing for longer than TTL (at once when its pid is seen dead).
 *
 * Expiry is wall-clock time (Date.now), not the core's clock: it measures a process's liveness,
 * not when spend happened, and a test's fixed clock must not keep a dead proxy's rows forever.
 */
export const RESERVATION_TTL_MS = 60_000;
/** How often, at most, the rows of other processes are checked for a dead owner. */
const DEAD_OWNER_CHECK_MS = 2_000;

/** Sums of the rows in force, by provider and by project, for the lines of one admission. */
export interface HeldSums {
  all: Nano;
  byProvider: Map<string, Nano>;
  byProject: Map<string, Nano>;
}

export interface SharedReservationOptions {
  pid?: number;
  ttlMs?: number;
  /** Whether a process id is alive; default: signal 0 (ESRCH means gone). */
  isAlive?: (pid: number) => boolean;
  wallClock?: () => number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** Run `fn` with the connection's busy timeout set to `ms`, then put it back (one event loop, no await). */
export function withBusyTimeout<T>(db: Database, ms: number, fn: () => T): T {
  const before = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${ms}`);
  try {
    return fn();
  } finally {
    if (db.open) db.pragma(`busy_timeout = ${before}`);
  }
}

export class SharedReservations {
  readonly owner = randomUUID();
  private readonly pid: number;
  private readonly ttl: number;
  private readonly isAlive: (pid: number) => boolean;
  private readonly wall: () => number;
  private readonly insertRow;
  private readonly sumRows;
  private readonly deleteRow;
  private readonly raiseRow;
  private readonly dropExpired;
  private readonly otherOwners;
  private readonly dropOwner;
  private readonly extend;
  /** Rows whose removal met a busy ledger: removed in the next admission's transaction. */
  private readonly pendingDeletes = new Set<number>();
  private held = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastDeadCheck = 0;

  constructor(
    private readonly db: Database,
    options: SharedReservationOptions = {},
  ) {
    this.pid = options.pid ?? process.pid;
    this.ttl = options.ttlMs ?? RESERVATION_TTL_MS;
    this.isAlive = options.isAlive ?? processAlive;
    this.wall = options.wallClock ?? Date.now;
    this.insertRow = db.prepare('INSERT INTO proxy_reservations (owner, owner_pid, provider, project, amount_nano, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.sumRows = db.prepare('SELECT provider, project, SUM(amount_nano) AS amount FROM proxy_reservations WHERE expires_at > ? GROUP BY provider, project');
    this.deleteRow = db.prepare('DELETE FROM proxy_reservations WHERE id = ?');
    this.raiseRow = db.prepare('UPDATE proxy_reservations SET amount_nano = ? WHERE id = ? AND amount_nano < ?');
    this.dropExpired = db.prepare('DELETE FROM proxy_reservations WHERE expires_at <= ?');
    this.otherOwners = db.prepare('SELECT DISTINCT owner, owner_pid FROM proxy_reservations WHERE owner != ?');
    this.dropOwner = db.prepare('DELETE FROM proxy_reservations WHERE owner = ?');
    this.extend = db.prepare('UPDATE proxy_reservations SET expires_at = ? WHERE owner = ?');
  }

  /**
   * Inside the admission's write transaction: drop what expired, what a dead process left and what
   * this proxy released while the ledger was busy; then the sums of what is held now.
   */
  sweepAndSum(): HeldSums {
    const now = this.wall();
    this.dropExpired.run(now);
    for (const id of this.pendingDeletes) this.deleteRow.run(id);
    this.pendingDeletes.clear();
    if (now - this.lastDeadCheck >= DEAD_OWNER_CHECK_MS) {
      this.lastDeadCheck = now;
      for (const o of this.otherOwners.all(this.owner) as { owner: string; owner_pid: number }[]) {
        if (o.owner_pid !== this.pid && !this.isAlive(o.owner_pid)) this.dropOwner.run(o.owner);
      }
    }
    return this.peek();
  }

  /** The sums of what is held now, read without writing (when the write lock is not to be had). */
  peek(): HeldSums {
    const sums: HeldSums = { all: 0, byProvider: new Map(), byProject: new Map() };
    for (const r of this.sumRows.all(this.wall()) as { provider: string; project: string; amount: number }[]) {
      sums.all = addNano(sums.all, r.amount);
      sums.byProvider.set(r.provider, addNano(sums.byProvider.get(r.provider) ?? 0, r.amount));
      if (r.project) sums.byProject.set(r.project, addNano(sums.byProject.get(r.project) ?? 0, r.amount));
    }
    return sums;
  }

  /** Inside the admission's write transaction: hold `amount` for this request; returns the row id. */
  insert(provider: string, project: string, amount: Nano): number {
    const id = Number(this.insertRow.run(this.owner, this.pid, provider, project, amount, this.wall() + this.ttl).lastInsertRowid);
    this.held++;
    this.startHeartbeat();
    return id;
  }

  /**
   * The request cost more than its reservation: the row grows to the real cost until the usage row
   * is written (a smaller cost leaves the row as it is: over-counting for an instant is safe).
   * Never waits for the lock; a busy ledger leaves the estimate in place, as before this change.
   */
  raise(id: number, amount: Nano): void {
    this.tryWrite(() => this.raiseRow.run(amount, id, amount));
  }

  /** The usage row is written (or there is none): the reservation goes, now or at the next admission. */
  remove(id: number): void {
    this.held = Math.max(0, this.held - 1);
    if (!this.tryWrite(() => this.deleteRow.run(id))) this.pendingDeletes.add(id);
    if (this.held === 0) this.stopHeartbeat();
  }

  /** This proxy stops: its rows go. */
  close(): void {
    this.stopHeartbeat();
    this.tryWrite(() => this.dropOwner.run(this.owner));
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
