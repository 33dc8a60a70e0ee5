import type { Core } from '../model/context';
import type { UsageEventInput } from '../model/ledger';
import { AGENT_SOURCE } from '../ledger/agent-billing';
import { CODEX_CLIENT, CodexTwins } from '../ledger/codex-twins';
import type { Journal } from './journal';
import { isLedgerBusy, withBusyTimeout } from '../ledger/busy';
import { LedgerError } from '../ledger/errors';

/**
 * Writes the proxy's rows to the ledger without ever holding up or failing a user's request.
 *
 * A response the client received whole is in the ledger even if the proxy is killed right after
 * (docs/proxy.md, "Kill -9"). Each row is appended to the row journal (journal.ts: one write call
 * for the rows recorded in one callback, tens of microseconds) before its response ends
 * (afterAttempt holds the end until then); the next proxy on this ledger replays a journal
 * whose proxy died. The commit (hundreds of microseconds: the WAL pages of the row, its indexes
 * and rollups) runs on the one event loop every request shares, so whichever request arrives
 * meanwhile waits for it: rows are therefore committed in batches, when the proxy has recorded
 * none for QUIET_MS (an agent's pause between calls), at the latest MAX_WAIT_MS after the first
 * one waited, or at once when MAX_BATCH wait (a busy proxy: small commits keep every in-flight
 * request's stall short). A batch costs about what one row costs, and the journal keeps each
 * row durable meanwhile. Without a journal (its folder cannot be written) the response's end
 * waits for the commit instead, which then runs in the next turn of the event loop.
 *
 * The write does not wait for a lock: the connection's busy timeout is set to 0 around it, because
 * the proxy shares one event loop with every request in flight. A busy, full or read-only ledger
 * leaves the row in memory (and the journal); it is retried with backoff and the proxy says so
 * once per trouble, not per row.
 */
export interface RecorderOptions {
  log?: (line: string) => void;
  /** First retry delay; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Where rows are made durable before their responses end (null: responses wait for the commit). */
  journal?: Journal | null;
  /** How many requests are being answered now (see idle); without it the proxy is never taken as idle. */
  answering?: () => number;
}

interface Waiting {
  event: UsageEventInput;
  onWritten: () => void;
  /** Already appended to the journal. */
  journaled?: boolean;
  /** From a leftover journal: written only if its key is not in the ledger yet (see write). */
  replayed?: boolean;
}

/** How often, at most, the proxy's writes are announced (see announce). */
const ANNOUNCE_MS = 200;
/** A commit waits until no row was recorded for this long... */
export const QUIET_MS = 25;
/** ...or only this long once no request is being answered: nobody waits for the commit then (idle). */
export const IDLE_MS = 2;
/** ...but never longer than this after its first row (with ANNOUNCE_MS: the tray moves within 1 s). */
export const MAX_WAIT_MS = 500;
/** ...and goes at once when this many rows wait (each in-flight request stalls one commit's length). */
export const MAX_BATCH = 64;
/** How much later than ANNOUNCE_MS an announcement may wait for a quiet moment (MAX_WAIT_MS + both < 1 s). */
const ANNOUNCE_LATE_MS = 250;

export class Recorder {
  private readonly waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private delay: number;
  private troubleSaid = false;
  private notify: NodeJS.Timeout | null = null;
  /** When the announcement waiting (notify) was asked for (performance.now()). */
  private notifySince = 0;
  /** The look, IDLE_MS after the last answer ended, for work to run while nobody waits (idle). */
  private idleLook: NodeJS.Timeout | null = null;
  private scheduled: NodeJS.Immediate | null = null;
  /** The batch's commit (see QUIET_MS). */
  private batchTimer: NodeJS.Timeout | null = null;
  /** When the first waiting row and the last row were recorded (performance.now()). */
  private firstAt = 0;
  private lastAt = 0;
  /** Who waits for every row recorded so far to be in the ledger (settled). */
  private settling: (() => void)[] = [];
  private journal: Journal | null;
  private readonly attempts: (() => void)[] = [];
  /** Response ends waiting for the journal's next write (writeJournal). */
  private readonly afterJournal: (() => void)[] = [];
  private journalSoon = false;
  private touched: { localDay: string; provider: string }[] = [];
  private readonly loggedOutput;
  private readonly alreadyProxyRow;
  private leftoverTimer: NodeJS.Timeout | null = null;
  private readonly twins: CodexTwins;

  constructor(
    private readonly core: Core,
    private readonly options: RecorderOptions = {},
  ) {
    this.delay = options.retryMs ?? 100;
    this.journal = options.journal ?? null;
    this.loggedOutput = core.db.prepare(`SELECT output_tokens FROM usage_events WHERE source = 'agent_log' AND provider = ? AND external_id = ?`).pluck();
    this.alreadyProxyRow = core.db.prepare(`SELECT 1 FROM usage_events WHERE source = 'proxy' AND provider = ? AND external_id = ?`);
    this.twins = new CodexTwins(core.db, core.timeZone);
  }

  /** Rows waiting for the ledger. */
  get backlog(): number {
    return this.waiting.length;
  }

  /**
   * Record one row; `onWritten` runs once it is in the ledger. It is journaled now and committed
   * with the others of its batch (see the class comment).
   */
  record(event: UsageEventInput, onWritten: () => void = () => {}, replayed = false): void {
    const w: Waiting = { event, onWritten, ...(replayed ? { replayed } : {}) };
    this.waiting.push(w);
    this.keep([w]);
    if (this.timer !== null) return; // the ledger is in trouble: the retry takes it
    this.lastAt = performance.now();
    // Without a journal a response waits for its row's commit: no batching then.
    if (!this.journal || this.waiting.length >= MAX_BATCH) {
      this.scheduled ??= setImmediate(() => this.flush());
      return;
    }
    if (this.batchTimer === null) {
      this.firstAt = this.lastAt;
      this.armBatch(QUIET_MS);
    }
  }

  /** Commit when the proxy went quiet, or when the batch's first row waited long enough. */
  private armBatch(ms: number): void {
    this.whenQuiet(ms, this.firstAt + MAX_WAIT_MS, (timer) => (this.batchTimer = timer.unref()), () => {
      this.batchTimer = null;
      this.flush();
    });
  }

  /**
   * Run `act` after `ms`, once no row was recorded for QUIET_MS, and at `deadline`
   * (performance.now()) at the latest; `keep` is given each timer armed meanwhile (to clear it).
   */
  private whenQuiet(ms: number, deadline: number, keep: (timer: NodeJS.Timeout) => void, act: () => void): void {
    keep(
      setTimeout(() => {
        const now = performance.now();
        const quietFor = now - this.lastAt;
        if (quietFor < QUIET_MS && now < deadline) this.whenQuiet(Math.min(QUIET_MS - quietFor, deadline - now), deadline, keep, act);
        else act();
      }, Math.max(1, Math.ceil(ms))),
    );
  }

  /**
   * The last request being answered ended. The batch's commit and the announcement (milliseconds
   * each, during which the one event loop serves no request) run once nothing came for IDLE_MS,
   * instead of QUIET_MS later at a time no one chose, when the next request may be waiting: an
   * agent's next call comes seconds after its last answer, so they then stall nobody. The
   * announcement still waits ANNOUNCE_MS after it was asked for.
   */
  idle(): void {
    if (this.idleLook !== null || (this.batchTimer === null && this.notify === null)) return;
    this.idleLook = setTimeout(() => {
      this.idleLook = null;
      const now = performance.now();
      if (this.options.answering?.() !== 0 || now - this.lastAt < IDLE_MS) return;
      if (this.batchTimer !== null) this.flush();
      if (this.notify !== null && now - this.notifySince >= ANNOUNCE_MS) {
        clearTimeout(this.notify);
        this.notify = null;
        this.announceNow();
      }
    }, IDLE_MS);
    this.idleLook.unref();
  }

  /** Resolves once every row recorded so far is in the ledger (tests and tools read it then). */
  settled(): Promise<void> {
    if (this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.settling.push(resolve));
  }

  /** Rows of proxies that are gone, from their journals into this one and the ledger; how many. */
  replayLeftovers(): number {
    let rows = 0;
    for (const left of this.journal?.leftovers(this.options.log) ?? []) {
      for (const event of left.events) this.record(event, undefined, true); // into this proxy's journal first:
      this.writeJournal();
      // Only once they are in this proxy's journal: a failed write dropped it, and the rows are
      // then in memory only, so the leftover file keeps them until they are in the ledger.
      if (this.journal) left.remove(); // a kill in between replays them twice, which adds nothing
      rows += left.events.length;
    }
    if (rows) this.flush();
    return rows;
  }

  /**
   * Look for leftovers every `ms` while this proxy runs (a readdir when there are none): a proxy
   * killed next to a running one, or stopped in this process while the ledger was busy, is
   * replayed without waiting for a proxy to start.
   */
  watchLeftovers(ms: number, said: (rows: number) => void): void {
    if (this.leftoverTimer || !this.journal) return;
    this.leftoverTimer = setInterval(() => {
      const rows = this.replayLeftovers();
      if (rows) said(rows);
    }, ms);
    this.leftoverTimer.unref();
  }

  /**
   * Run `done` (the response's end) once the rows recorded so far are durable: at once when they
   * are in the journal, else after their commit was tried (never waiting for a busy ledger).
   */
  afterAttempt(done: () => void): void {
    if (this.journal) {
      if (this.journal.pending) this.afterJournal.push(done); // after the journal's write, at the end of this callback
      else done(); // journaled: at once
    } else if (this.scheduled === null) done(); // nothing pending
    else this.attempts.push(done);
  }

  /**
   * Write the rows journaled in this callback, then let their responses end. It runs at the end of
   * the callback (process.nextTick), not later in the turn: a busy proxy's turn reads many sockets
   * (tens of milliseconds at 64 requests in flight), and each answer's end would wait for all of
   * them (measured: the last byte of a streamed answer 9 ms after its first at concurrency 64).
   */
  private writeJournal(): void {
    this.journalSoon = false;
    try {
      this.journal?.write();
    } catch (error) {
      this.dropJournal(error);
      // Those rows are in memory only now: their responses end after their commit is tried.
      this.attempts.push(...this.afterJournal.splice(0));
      this.scheduled ??= setImmediate(() => this.flush());
      return;
    }
    for (const done of this.afterJournal.splice(0)) done();
  }

  private dropJournal(error: unknown): void {
    this.options.log?.(`burnrate proxy: the row journal failed (${error instanceof Error ? error.message : String(error)}); rows waiting for the ledger are only in memory now.`);
    this.journal = null;
  }

  /** Write what waits, in one transaction; on trouble keep it all and try again later. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.batchTimer) {
      clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    try {
      this.write();
    } finally {
      for (const done of this.attempts.splice(0)) done();
      if (this.waiting.length === 0) for (const done of this.settling.splice(0)) done();
    }
  }

  private write(): void {
    if (this.waiting.length === 0 || !this.core.db.open) return;
    const batch = this.waiting.splice(0);
    const db = this.core.db;
    try {
      // A response the agent-log import already stored (same provider and response id) counts once.
      // IMMEDIATE: the check and the write are one step, even against an import in another process.
      // Never waiting for another process's lock: the rows wait in memory instead.
      const result = withBusyTimeout(db, 0, () =>
        db.transaction(() => {
          const fresh = batch.filter((w) => this.isNews(w));
          return this.core.usage.write(fresh.map((w) => w.event));
        }).immediate(),
      );
      this.touched.push(...result.touched);
      if (this.waiting.length === 0) this.journal?.clear();
      this.delay = this.options.retryMs ?? 100;
      if (this.troubleSaid) this.options.log?.(`burnrate proxy: the ledger takes writes again; ${batch.length} waiting row(s) written.`);
      this.troubleSaid = false;
      for (const w of batch) w.onWritten();
      this.announce();
    } catch (error) {
      this.waiting.unshift(...batch);
      this.keep(batch); // before their responses end (flush runs them after this)
      if (!this.troubleSaid) {
        this.options.log?.(
          `burnrate proxy: the ledger did not take a write (${error instanceof Error ? error.message : String(error)}); ${this.waiting.length} row(s) wait in memory and are retried; requests go on.`,
        );
        this.troubleSaid = true;
      }
      this.timer = setTimeout(() => this.flush(), this.delay);
      this.timer.unref();
      this.delay = Math.min(this.delay * 2, this.options.maxRetryMs ?? 5_000);
    }
  }

  /**
   * Whether a row is written (inside the write's transaction). A response the agent-log import
   * stored already is the proxy's when the proxy's figure is the provider's own: the log's reading
   * may have been taken mid-stream (Claude Code logs a response's first content block with
   * message_start's output of 1, and its final figure not always). Its row is then taken out here
   * and the proxy's written instead. An estimate (a cut stream) replaces the log's reading only
   * when larger, as one reading of the log replaces another (agents/merge-rule.ts).
   */
  private isNews(w: Waiting): boolean {
    const e = w.event;
    if (!e.externalId) return true;
    // A replayed row already in the ledger is left as it is: writing it again would overwrite the
    // metadata the ledger added since (the Codex pairing mark twinOf), so it only inserts.
    if (w.replayed && this.alreadyProxyRow.get(e.provider, e.externalId) !== undefined) return false;
    let logProvider = e.provider;
    let logged = this.loggedOutput.get(e.provider, e.externalId) as number | undefined;
    // Codex's log files every response under openai, whichever route of the proxy it took (openrouter, groq…).
    if (logged === undefined && e.provider !== 'openai' && e.metadata?.client === CODEX_CLIENT) {
      logged = this.loggedOutput.get((logProvider = 'openai'), e.externalId) as number | undefined;
    }
    // An old Codex log names no response id: its row is matched as the twin of this one instead (codex-twins.ts).
    if (logged === undefined) return !this.twins.pairProxyRow(e);
    if (e.metadata?.estimated === true && logged >= (e.outputTokens ?? 0)) return false;
    this.touched.push(...this.core.usage.remove(AGENT_SOURCE, logProvider, [e.externalId]).touched);
    return true;
  }

  /** Append rows not yet in the journal, written at the end of this callback; a journal that fails is said once and dropped. */
  private keep(rows: Waiting[]): void {
    if (!this.journal) return;
    try {
      for (const w of rows) {
        if (w.journaled) continue;
        this.journal.append(w.event);
        w.journaled = true;
      }
    } catch (error) {
      this.dropJournal(error);
      return;
    }
    if (this.journal.pending && !this.journalSoon) {
      this.journalSoon = true;
      process.nextTick(() => this.writeJournal());
    }
  }

  /**
   * Tell the rest of the process (budget checks and alerts, tray, SSE) at most every
   * ANNOUNCE_MS, with every day touched meanwhile: the budget checks cost milliseconds, too much to
   * run after each of hundreds of requests a second. Like the commit they wait for a quiet moment
   * (no row for QUIET_MS), at most ANNOUNCE_LATE_MS more, so the tray still moves within 1 s.
   */
  private announce(): void {
    if (this.notify) return;
    this.notifySince = performance.now();
    const deadline = this.notifySince + ANNOUNCE_MS + ANNOUNCE_LATE_MS;
    this.whenQuiet(ANNOUNCE_MS, deadline, (timer) => (this.notify = timer), () => {
      this.notify = null;
      this.announceNow();
    });
  }

  private announceNow(): void {
    const touched = this.touched.splice(0);
    try {
      // The checks may write (alerts, a frozen month's adjustments): without waiting for another
      // process's write lock, which would stop every request of this event loop meanwhile (up
      // to the 5 s busy timeout).
      if (this.core.db.open) withBusyTimeout(this.core.db, 0, () => this.core.spendChanged('proxy', touched));
    } catch (error) {
      if (isLedgerBusy(error) || (error instanceof LedgerError && error.code === 'locked')) {
        // Announced again shortly, with the same days: a closed month's adjustment is not lost,
        // and the windows are told once it goes through.
        this.touched.unshift(...touched);
        this.announce();
        return;
      }
      this.options.log?.(`burnrate proxy: the budget checks after a write failed (${error instanceof Error ? error.message : String(error)}).`);
    }
  }

  /** Stop retrying; rows still waiting are returned (the caller says how many were lost). */
  close(): number {
    if (this.leftoverTimer) clearInterval(this.leftoverTimer);
    this.leftoverTimer = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.notify) clearTimeout(this.notify);
    if (this.idleLook) clearTimeout(this.idleLook);
    this.timer = null;
    this.flush(); // what waits, and the responses waiting on the attempt
    if (this.timer) clearTimeout(this.timer);
    try {
      this.journal?.close(this.waiting.length === 0); // rows still waiting stay in it for the next start
    } catch (error) {
      this.options.log?.(`burnrate proxy: the row journal could not be written at stop (${error instanceof Error ? error.message : String(error)}).`);
    } finally {
      this.journal = null;
      for (const done of this.afterJournal.splice(0)) done();
      for (const done of this.settling.splice(0)) done(); // what is left waits for the next start
    }
    return this.waiting.length;
  }
}
