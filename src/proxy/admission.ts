import type { Database, Statement } from 'better-sqlite3';
import { readBudgets } from '../budget/budgets';
import { splitBudget } from '../budget/health';
import { overrideLift, readOverrides } from '../budget/overrides';
import { POLICY_SETTING, policyOf, readPolicies, type Policy } from '../budget/policies';
import { countedTotal } from '../ledger/spend';
import { addNano, addTotal, formatUsdForPeople as usd, subTotal, type Nano, type NanoTotal } from '../money';
import { firstDayOfMonth, localDay } from '../time';
import { projectSpend } from '../ledger/summary';
import { isSqliteError, withBusyTimeout } from '../ledger/busy';
import { SharedReservations, type HeldSums, type SharedReservationOptions } from './shared-reservations';
import type { TeamFigure } from './team-source';

/**
 * Synchronous enforcement of the budgets before a request is forwarded (docs/proxy.md).
 *
 * Each admitted request holds a reservation (its estimated cost) until its row is in the ledger.
 * `admit` reads what is spent, adds every reservation in flight and this request's estimate, and
 * compares with each enforced line, all in one synchronous call with no await inside: two
 * concurrent requests are admitted one after the other, the second seeing the first's reservation,
 * so together they cannot pass a line that each alone would not (the bypass of gateways that check
 * spend but not what is in flight).
 *
 * Across processes: while any budget is enforced, the decision runs in one IMMEDIATE transaction
 * that also writes the reservation to proxy_reservations (shared-reservations.ts), so a second
 * proxy on the same ledger admits after it and sees it. Each attempt waits (blocking the event
 * loop) at most ADMIT_WAIT_MS for another writer, and admitNowOrPatiently lets the loop serve other
 * requests between attempts for ADMIT_PATIENCE_MS; past that the request is decided on what this
 * process can read (the other proxies' rows included) and its reservation stays in memory, so a
 * long import in another process holds an enforced request up by about ADMIT_PATIENCE_MS plus one
 * last ADMIT_WAIT_MS. With nothing enforced no row is written at all.
 */
export interface Reservation {
  readonly id: number;
  readonly provider: string;
  readonly project: string;
  /** The estimate at admission, then the real cost once known (kept until the row is written). */
  amount: Nano;
  /** Its row in proxy_reservations, or null when it is held in this process only. */
  readonly row: number | null;
}

export interface Refusal {
  /** Which budget: 'daily', 'monthly', 'cap:<provider>', 'project:<name>', or the same prefixed 'team:'. */
  budget: string;
  message: string;
  leftNano: NanoTotal;
}

export interface AdmissionRequest {
  provider: string;
  /** The request's project (X-Burnrate-Project or /p/NAME/), if any: its project cap applies. */
  project?: string | undefined;
  estimateNano: Nano;
  critical: boolean;
}

/** How long one admission attempt waits (blocking the event loop) for another process's write. */
export const ADMIT_WAIT_MS = 50;
/**
 * How long admitNowOrPatiently keeps trying, between attempts letting the event loop serve others,
 * before it decides on what it can read. A loaded machine can stall the process holding the lock
 * for longer than one attempt's wait (a two-core CI runner did); a long import only delays an
 * enforced request by this much.
 */
const ADMIT_PATIENCE_MS = 400;
const ADMIT_RETRY_MS = 5;

/**
 * Admit in the request's own turn when the ledger lets this process decide at once (the usual
 * case: no promise, no extra turn). While another process holds the ledger's write lock, try again
 * every few milliseconds up to `patienceMs`, letting the event loop serve other requests between
 * attempts (each attempt itself blocks up to ADMIT_WAIT_MS), then decide on what is readable
 * (admit without `orBusy`). Each attempt is one synchronous decision, so in-process reservations
 * stay exact.
 */
export function admitNowOrPatiently(admission: Admission, req: AdmissionRequest, patienceMs = ADMIT_PATIENCE_MS): Verdict | Promise<Verdict> {
  const verdict = admission.admit(req, { orBusy: true });
  return verdict === 'busy' ? admitLater(admission, req, performance.now() + patienceMs) : verdict;
}

async function admitLater(admission: Admission, req: AdmissionRequest, until: number): Promise<Verdict> {
  for (;;) {
    // The attempt before found the lock busy after blocking ADMIT_WAIT_MS: let the event loop
    // serve the other requests before the next one.
    await new Promise((resolve) => setTimeout(resolve, ADMIT_RETRY_MS));
    if (performance.now() >= until) return admission.admit(req);
    const verdict = admission.admit(req, { orBusy: true });
    if (verdict !== 'busy') return verdict;
  }
}

/**
 * How long the stored policies are taken as read when this connection wrote nothing meanwhile: a
 * change by another process counts within this time, one by this process (the window of the tray
 * app, a test) at once. Reading them costs a read transaction, tens of microseconds on a busy
 * machine, which every request would otherwise pay before it is forwarded.
 */
export const POLICY_FRESH_MS = 250;

interface Line {
  key: string;
  policy: Policy;
  /** The budget in words, for the refusal or warning sentence. */
  label: string;
  /** The limit this request may reach, override included (a total: overrides may lift it past one amount's range). */
  limit: NanoTotal;
  spent: NanoTotal;
  /** Which reservations in flight count against this line: all, one provider's or one project's. */
  holds: { provider: string } | { project: string } | null;
}

export interface AdmissionOptions {
  /** Share reservations with the other proxies on this ledger (default true). */
  shared?: boolean;
  sharedOptions?: SharedReservationOptions;
}

export type Verdict = { reservation: Reservation; warnings: string[] } | { refusal: Refusal };

export class Admission {
  private readonly inflight = new Map<number, Reservation>();
  private next = 1;
  /** The stored policies' text, read again after a write on this connection or POLICY_FRESH_MS... */
  private policyText: Statement | null = null;
  /** ...and parsed again only when that text changed. */
  private policyCache: { text: unknown; policies: Record<string, Policy>; at: number; changes: number } | null = null;
  /** This connection's count of rows written: no read transaction, so about a microsecond. */
  private ownChanges: Statement | null = null;
  private readonly shared: SharedReservations | null;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly timeZone: string,
    /** The team's latest figure (cached, never awaited here); absent or null: personal lines only. */
    private readonly team: () => TeamFigure | null = () => null,
    options: AdmissionOptions = {},
  ) {
    this.shared = options.shared === false ? null : new SharedReservations(db, options.sharedOptions);
  }

  /** Requests admitted and not yet written. */
  get inFlight(): number {
    return this.inflight.size;
  }

  /**
   * Admit (and reserve) or refuse. Synchronous on purpose: see the class comment. With
   * `orBusy`, a ledger whose write lock another process holds past ADMIT_WAIT_MS answers 'busy'
   * instead of a decision on what is readable (admitNowOrPatiently then tries again without blocking).
   */
  admit(req: AdmissionRequest): Verdict;
  admit(req: AdmissionRequest, options: { orBusy: true }): Verdict | 'busy';
  admit(req: AdmissionRequest, options: { orBusy?: boolean } = {}): Verdict | 'busy' {
    const now = this.now();
    const scope = this.enforcedScope(req);
    // The common case (nothing enforced) costs one settings read and writes nothing.
    if (scope === null) return this.grant(req, [], null);
    const decide = (sums: HeldSums | null, share: boolean): Verdict => {
      const warnings: string[] = [];
      for (const line of this.lines(scope.policies, req, now)) {
        const held = addNano(this.heldHere(line.holds), sums ? sharedFor(sums, line.holds) : 0);
        const after = addTotal(addTotal(line.spent, held), req.estimateNano);
        if (after <= line.limit) continue;
        const left = subTotal(line.limit, addTotal(line.spent, held));
        if (line.policy === 'warn') {
          warnings.push(`${line.key} budget line passed`);
          continue;
        }
        return { refusal: { budget: line.key, leftNano: left, message: refusalSentence(line, left, req) } };
      }
      return this.grant(req, warnings, share && this.shared ? this.shared.insert(req.provider, req.project ?? '', req.estimateNano) : null);
    };
    const shared = this.shared;
    if (!shared || !this.db.open) return decide(null, false);
    let granted: Reservation | null = null;
    try {
      const verdict = withBusyTimeout(this.db, ADMIT_WAIT_MS, () =>
        this.db
          .transaction(() => {
            const v = decide(shared.sweepAndSum(), true);
            if ('reservation' in v) granted = v.reservation;
            return v;
          })
          .immediate(),
      );
      shared.sweepCommitted();
      return verdict;
    } catch (error) {
      // The transaction rolled back (its commit failed on a full disk, say): so does its grant, or
      // every attempt would leave a reservation in memory that no request releases, and the lines
      // would fill up with them until every request was refused.
      const undone = granted as Reservation | null;
      if (undone) {
        this.inflight.delete(undone.id);
        if (undone.row !== null) shared.insertRolledBack();
      }
      shared.sweepRolledBack();
      // Only the ledger's trouble is decided on what can be read; a fault of this code is not
      // turned into an unchecked admission.
      if (!isSqliteError(error)) throw error;
      if (isBusy(error) && options.orBusy) return 'busy';
      // Another process holds the write lock, or the ledger cannot take a write: decide on what is
      // readable and hold the reservation here. A ledger that cannot even be read does not fail
      // the request either: it passes unchecked, and says so.
      try {
        return decide(readOnlySums(shared), false);
      } catch {
        return this.grant(req, ['budgets not checked: the ledger could not be read'], null);
      }
    }
  }

  private policies(): Record<string, Policy> {
    this.ownChanges ??= this.db.prepare('SELECT total_changes()').pluck();
    const changes = this.ownChanges.get() as number;
    const at = performance.now();
    const cached = this.policyCache;
    if (cached !== null && cached.changes === changes && at - cached.at < POLICY_FRESH_MS) return cached.policies;
    this.policyText ??= this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    const text: unknown = this.policyText.get(POLICY_SETTING);
    const policies = cached !== null && cached.text === text ? cached.policies : readPolicies(this.db);
    this.policyCache = { text, policies, at, changes };
    return policies;
  }

  /** The request ended: its reservation becomes its real cost until the row is in the ledger. */
  settle(r: Reservation, cost: Nano): void {
    if (r.row !== null && cost > r.amount) this.shared?.raise(r.row, cost);
    r.amount = cost;
  }

  /** The row is in the ledger (or there is none): the reservation goes. */
  release(r: Reservation): void {
    if (!this.inflight.delete(r.id)) return;
    if (r.row !== null) this.shared?.remove(r.row);
  }

  /** The proxy stops: its shared rows go (a crash leaves them to expire). */
  close(): void {
    this.shared?.close();
  }

  private grant(req: AdmissionRequest, warnings: string[], row: number | null): Verdict {
    const reservation: Reservation = { id: this.next++, provider: req.provider, project: req.project ?? '', amount: req.estimateNano, row };
    this.inflight.set(reservation.id, reservation);
    return { reservation, warnings };
  }

  /**
   * Every reservation of this proxy in flight, from memory, shared row or not: the table gives only
   * the other proxies' (shared-reservations.ts), so a row of ours that expired while the ledger was
   * locked still holds our lines as long as its request runs.
   */
  private heldHere(holds: Line['holds']): Nano {
    let total = 0;
    for (const r of this.inflight.values()) if (matches(r, holds)) total = addNano(total, r.amount);
    return total;
  }

  /** Whether any line is enforced for this request (then admission reads spend); null when none. */
  private enforcedScope(req: AdmissionRequest): { policies: Record<string, Policy> } | null {
    const policies = this.policies();
    const team = this.team();
    const enforced =
      policyOf(policies, { kind: 'daily' }) === 'enforce' ||
      policyOf(policies, { kind: 'monthly' }) === 'enforce' ||
      policyOf(policies, { kind: 'cap', provider: req.provider }) === 'enforce' ||
      (req.project !== undefined && policyOf(policies, { kind: 'project', project: req.project }) === 'enforce') ||
      (team !== null && team.budgets.enforce);
    return enforced ? { policies } : null;
  }

  /** The lines this request must stay under: each enforced (or warned) budget that is set. */
  private lines(policies: Record<string, Policy>, req: AdmissionRequest, now: Date): Line[] {
    const wanted = (p: Policy) => p !== 'off';
    const daily = policyOf(policies, { kind: 'daily' });
    const monthly = policyOf(policies, { kind: 'monthly' });
    const cap = policyOf(policies, { kind: 'cap', provider: req.provider });
    const project = req.project !== undefined ? policyOf(policies, { kind: 'project', project: req.project }) : 'off';
    const team = this.team();
    const teamEnforced = team !== null && team.budgets.enforce;
    const lift = overrideLift(readOverrides(this.db), now);
    const today = localDay(now, this.timeZone);
    const month = firstDayOfMonth(today.slice(0, 7));
    const out: Line[] = [];
    const period = (key: string, amount: Nano | null, reserveBp: number, policy: Policy, spent: () => NanoTotal, name: string) => {
      if (amount === null || !wanted(policy)) return;
      const split = splitBudget(amount, reserveBp);
      const line = req.critical ? split.budget : split.spendable;
      out.push({
        key,
        policy,
        label: `${name} of ${usd(amount)}${req.critical ? '' : ` (${usd(split.spendable)} spendable, the rest kept for requests marked X-Burnrate-Priority: critical)`}`,
        limit: addTotal(line, lift),
        spent: spent(),
        holds: null,
      });
    };
    const capLine = (key: string, amount: Nano | undefined, policy: Policy, spent: () => NanoTotal, name: string) => {
      if (amount === undefined || !wanted(policy)) return;
      out.push({ key, policy, label: `${name} of ${usd(amount)}`, limit: addTotal(amount, lift), spent: spent(), holds: { provider: req.provider } });
    };
    const mineDay = () => countedTotal(this.db, today, today);
    const mineMonth = () => countedTotal(this.db, month, today);
    const mineCap = () => countedTotal(this.db, month, today, req.provider);
    if (daily === 'enforce' || monthly === 'enforce' || cap === 'enforce' || project === 'enforce') {
      const budgets = readBudgets(this.db);
      period('daily', budgets.daily, budgets.reserveBp, daily, mineDay, 'the daily budget');
      period('monthly', budgets.monthly, budgets.reserveBp, monthly, mineMonth, 'the monthly budget');
      capLine(`cap:${req.provider}`, budgets.caps[req.provider], cap, mineCap, `the ${req.provider} monthly cap`);
      const name = req.project;
      const projectCap = name !== undefined ? budgets.projectCaps[name] : undefined;
      if (name !== undefined && projectCap !== undefined && wanted(project)) {
        // The project's spend as the summary's project grouping counts it (agent logs' projects included).
        const spent = projectSpend(this.db, month, today, name);
        out.push({ key: `project:${name}`, policy: project, label: `the project "${name}" monthly cap of ${usd(projectCap)}`, limit: addTotal(projectCap, lift), spent, holds: { project: name } });
      }
    }
    if (teamEnforced) {
      // The team's total: the other members' spend at the store's last read (≤ 30 s old, docs/team.md)
      // plus this machine's own ledger now; this proxy's in-flight reservations are added by admit.
      const sameDay = team.today === today;
      const sameMonth = team.today.slice(0, 7) === today.slice(0, 7);
      const b = team.budgets;
      const name = `the team "${team.team}"`;
      period('team:daily', b.daily, b.reserveBp, 'enforce', () => addTotal(sameDay ? team.othersDayNano : 0n, mineDay()), `${name} daily budget`);
      period('team:monthly', b.monthly, b.reserveBp, 'enforce', () => addTotal(sameMonth ? team.othersMonthNano : 0n, mineMonth()), `${name} monthly budget`);
      const others = sameMonth ? (team.othersCapMonthNano[req.provider] ?? 0n) : 0n;
      capLine(`team:cap:${req.provider}`, b.caps[req.provider], 'enforce', () => addTotal(others, mineCap()), `${name} ${req.provider} monthly cap`);
    }
    return out;
  }
}

function matches(r: Reservation, holds: Line['holds']): boolean {
  if (holds === null) return true;
  return 'provider' in holds ? r.provider === holds.provider : r.project === holds.project;
}

function sharedFor(sums: HeldSums, holds: Line['holds']): Nano {
  if (holds === null) return sums.all;
  return ('provider' in holds ? sums.byProvider.get(holds.provider) : sums.byProject.get(holds.project)) ?? 0;
}

/** The other proxies' rows, read without the write lock (a WAL read never waits). */
function readOnlySums(shared: SharedReservations): HeldSums | null {
  try {
    return shared.peek();
  } catch {
    return null;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_READONLY' || code === 'SQLITE_FULL';
}

function refusalSentence(line: Line, left: NanoTotal, req: AdmissionRequest): string {
  const leftText = left > 0n ? `${usd(left)} is left` : 'nothing is left';
  // A model without a price reserves nothing: "may cost up to $0.00" would be false.
  const mayCost = req.estimateNano > 0 ? `; this request may cost up to ${usd(req.estimateNano)}` : '';
  return (
    `Burnrate refused this request: ${line.label} would be passed (${leftText}${mayCost}). ` +
    `To go on, lift the line for a while with "burnrate override --usd 5 --for 2h" or Override under Budgets in Burnrate's window (also in the tray popover), or raise the budget.`
  );
}
