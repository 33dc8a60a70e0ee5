import type { Database, Statement } from 'better-sqlite3';
import { readBudgets } from '../budget/budgets';
import { splitBudget } from '../budget/health';
import { overrideLift, readOverrides } from '../budget/overrides';
import { POLICY_SETTING, policyOf, readPolicies, type Policy } from '../budget/policies';
import { countedTotal } from '../ledger/spend';
import { addNano, addTotal, formatUsdForPeople as usd, subTotal, type Nano, type NanoTotal } from '../money';
import { firstDayOfMonth, localDay } from '../time';
import type { TeamFigure } from './team-source';

/**
 * Synchronous enforcement of the budgets before a request is forwarded (docs/proxy.md).
 *
 * Each admitted request holds a reservation (its estimated cost) until its row is in the ledger.
 * `admit` reads what is spent, adds every reservation in flight and this request's estimate, and
 * compares with each enforced line, all in one synchronous call with no await inside: two
 * concurrent requests are admitted one after the other, the second seeing the first's reservation,
 * so together they cannot pass a line that each alone would not (the bypass of gateways that check
 * spend but not what is in flight). One proxy process serialises its own requests; two proxies on
 * one ledger each see the other's spend only once it is written.
 */
export interface Reservation {
  readonly id: number;
  readonly provider: string;
  /** The estimate at admission, then the real cost once known (kept until the row is written). */
  amount: Nano;
}

export interface Refusal {
  /** Which budget: 'daily', 'monthly', 'cap:<provider>', or the same prefixed 'team:'. */
  budget: string;
  message: string;
  leftNano: NanoTotal;
}

export interface AdmissionRequest {
  provider: string;
  estimateNano: Nano;
  critical: boolean;
}

interface Line {
  key: string;
  policy: Policy;
  /** The budget in words, for the refusal or warning sentence. */
  label: string;
  /** The limit this request may reach, override included. */
  limit: Nano;
  spent: NanoTotal;
  /** In-flight reservations that count against this line. */
  provider: string | null;
}

export class Admission {
  private readonly inflight = new Map<number, Reservation>();
  private next = 1;
  /** The stored policies' text, read on every admission (so a change by any process counts at once)... */
  private policyText: Statement | null = null;
  /** ...and parsed again only when that text changed: the request path pays one prepared read. */
  private policyCache: { text: unknown; policies: Record<string, Policy> } | null = null;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly timeZone: string,
    /** The team's latest figure (cached, never awaited here); absent or null: personal lines only. */
    private readonly team: () => TeamFigure | null = () => null,
  ) {}

  /** Requests admitted and not yet written. */
  get inFlight(): number {
    return this.inflight.size;
  }

  /** Admit (and reserve) or refuse. Synchronous on purpose: see the class comment. */
  admit(req: AdmissionRequest): { reservation: Reservation; warnings: string[] } | { refusal: Refusal } {
    const policies = this.policies();
    const now = this.now();
    const warnings: string[] = [];
    for (const line of this.lines(policies, req, now)) {
      const held = this.held(line.provider);
      const after = addTotal(addTotal(line.spent, held), req.estimateNano);
      if (after <= BigInt(line.limit)) continue;
      const left = subTotal(line.limit, addTotal(line.spent, held));
      if (line.policy === 'warn') {
        warnings.push(`${line.key} budget line passed`);
        continue;
      }
      return { refusal: { budget: line.key, leftNano: left, message: refusalSentence(line, left, req) } };
    }
    const reservation: Reservation = { id: this.next++, provider: req.provider, amount: req.estimateNano };
    this.inflight.set(reservation.id, reservation);
    return { reservation, warnings };
  }

  private policies(): Record<string, Policy> {
    this.policyText ??= this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    const text: unknown = this.policyText.get(POLICY_SETTING);
    if (this.policyCache === null || this.policyCache.text !== text) this.policyCache = { text, policies: readPolicies(this.db) };
    return this.policyCache.policies;
  }

  /** The request ended: its reservation becomes its real cost until the row is in the ledger. */
  settle(r: Reservation, cost: Nano): void {
    r.amount = cost;
  }

  /** The row is in the ledger (or there is none): the reservation goes. */
  release(r: Reservation): void {
    this.inflight.delete(r.id);
  }

  private held(provider: string | null): Nano {
    let total = 0;
    for (const r of this.inflight.values()) if (provider === null || r.provider === provider) total = addNano(total, r.amount);
    return total;
  }

  /** The lines this request must stay under: each enforced (or warned) budget that is set. */
  private lines(policies: Record<string, Policy>, req: AdmissionRequest, now: Date): Line[] {
    const wanted = (p: Policy) => p !== 'off';
    const daily = policyOf(policies, { kind: 'daily' });
    const monthly = policyOf(policies, { kind: 'monthly' });
    const cap = policyOf(policies, { kind: 'cap', provider: req.provider });
    const team = this.team();
    const teamEnforced = team !== null && team.budgets.enforce;
    // The common case (nothing enforced) costs one settings read; warnings alone are left to the alerts.
    if (daily !== 'enforce' && monthly !== 'enforce' && cap !== 'enforce' && !teamEnforced) return [];
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
        limit: addNano(line, lift),
        spent: spent(),
        provider: null,
      });
    };
    const capLine = (key: string, amount: Nano | undefined, policy: Policy, spent: () => NanoTotal, name: string) => {
      if (amount === undefined || !wanted(policy)) return;
      out.push({ key, policy, label: `${name} of ${usd(amount)}`, limit: addNano(amount, lift), spent: spent(), provider: req.provider });
    };
    const mineDay = () => countedTotal(this.db, today, today);
    const mineMonth = () => countedTotal(this.db, month, today);
    const mineCap = () => countedTotal(this.db, month, today, req.provider);
    if (daily === 'enforce' || monthly === 'enforce' || cap === 'enforce') {
      const budgets = readBudgets(this.db);
      period('daily', budgets.daily, budgets.reserveBp, daily, mineDay, 'the daily budget');
      period('monthly', budgets.monthly, budgets.reserveBp, monthly, mineMonth, 'the monthly budget');
      capLine(`cap:${req.provider}`, budgets.caps[req.provider], cap, mineCap, `the ${req.provider} monthly cap`);
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

function refusalSentence(line: Line, left: NanoTotal, req: AdmissionRequest): string {
  const leftText = left > 0n ? `${usd(left)} is left` : 'nothing is left';
  return (
    `Burnrate refused this request: ${line.label} would be passed (${leftText}; this request may cost up to ${usd(req.estimateNano)}). ` +
    `To go on, lift the line for a while with "burnrate override --usd 5 --for 2h" or Override under Budgets in Burnrate's window (also in the tray popover), or raise the budget.`
  );
}
