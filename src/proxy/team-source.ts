import type { Nano, NanoTotal } from '../money';

/**
 * The team's figure as a metering proxy enforces it (docs/team.md, "Enforcement by the proxy").
 * The proxy does not know PostgreSQL: whoever starts it (the CLI's proxy and serve commands)
 * injects a source, today src/team's teamSpendForEnforcement. The shape is the proxy's own so
 * that src/proxy never imports src/team.
 */
export interface TeamFigure {
  team: string;
  /** The local day the figure is for; a figure of another day counts nothing for today. */
  today: string;
  /** The other members' spend in the shared store at its last read (this machine's is added at admission from its own ledger). */
  othersDayNano: NanoTotal;
  othersMonthNano: NanoTotal;
  othersCapMonthNano: Readonly<Record<string, NanoTotal>>;
  budgets: { daily: Nano | null; monthly: Nano | null; reserveBp: number; enforce: boolean; caps: Readonly<Record<string, Nano>> };
  /** When the store's figure was read (ISO). */
  storeAsOf: string;
}

export interface TeamSpendSource {
  /** null: this machine is not in a team. Rejects while the store has never answered. */
  current(): Promise<TeamFigure | null>;
  /**
   * Which team this machine is in now (null: none), read cheaply and synchronously (the ledger,
   * not the store). When it changes (a join or leave by any process) the proxy asks current() at
   * once instead of at its next refresh.
   */
  membership?(): string | null;
}

/** How often the proxy asks the source again: the staleness bound of other members' spend. */
export const TEAM_REFRESH_MS = 30_000;
/** How often the proxy looks whether this machine joined or left a team (a one-row ledger read). */
export const MEMBERSHIP_CHECK_MS = 1_000;

/**
 * Holds the latest team figure for the synchronous admission: admission reads `figure()` and never
 * waits on the store. A timer asks the source every `refreshMs`; until the store has answered once
 * the proxy enforces the personal lines only, and says so once in its log.
 */
export class TeamFigureCache {
  private latest: TeamFigure | null = null;
  private timer: NodeJS.Timeout | null = null;
  private membershipTimer: NodeJS.Timeout | null = null;
  private membership: string | null = null;
  private running: Promise<void> | null = null;
  private saidNoAnswer = false;
  private saidStale = false;

  constructor(
    private readonly source: TeamSpendSource,
    private readonly log: (line: string) => void,
    private readonly refreshMs = TEAM_REFRESH_MS,
    /** The proxy's clock: the source stamps storeAsOf with it. */
    private readonly now: () => number = Date.now,
  ) {}

  /** The figure admission uses; null when there is none (not in a team, or the store never answered). */
  figure(): TeamFigure | null {
    return this.latest;
  }

  /** First read (awaited, so a proxy that prints its URL already enforces the team line), then every refreshMs. */
  async start(): Promise<void> {
    this.membership = this.source.membership?.() ?? null;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
    if (this.source.membership) {
      this.membershipTimer = setInterval(() => void this.checkMembership(), MEMBERSHIP_CHECK_MS);
      this.membershipTimer.unref();
    }
  }

  /**
   * A join or leave since the last look: read the figure again now (after a read in flight, which
   * may predate the change), then say so in the log, once the team lines are in (or out of) force.
   */
  async checkMembership(): Promise<void> {
    const now = this.source.membership?.() ?? null;
    if (now === this.membership) return;
    this.membership = now;
    this.saidNoAnswer = false;
    this.saidStale = false;
    await (this.running ?? Promise.resolve());
    await this.refresh();
    this.log(
      now === null
        ? 'burnrate proxy: this machine left its team; enforcing the personal budgets only.'
        : `burnrate proxy: this machine is in a team now; ${this.latest ? `enforcing the team "${this.latest.team}" budget too` : "the team's lines apply once its shared store answers"}.`,
    );
  }

  /** Ask the source now (one read at a time). */
  refresh(): Promise<void> {
    this.running ??= this.read().finally(() => (this.running = null));
    return this.running;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.membershipTimer) clearInterval(this.membershipTimer);
    this.timer = null;
    this.membershipTimer = null;
  }

  private async read(): Promise<void> {
    try {
      const figure = await this.source.current();
      this.latest = figure;
      if (figure) this.noteStaleness(figure);
    } catch (error) {
      if (this.latest === null && !this.saidNoAnswer) {
        this.saidNoAnswer = true;
        this.log(`burnrate proxy: the team's shared store has not answered (${(error as Error).message}); enforcing the personal budgets only until it does.`);
      }
    }
  }

  /** The source keeps its last figure while the store is unreachable: say once when it gets old. */
  private noteStaleness(figure: TeamFigure): void {
    const age = this.now() - Date.parse(figure.storeAsOf);
    if (age > 2 * this.refreshMs && !this.saidStale) {
      this.saidStale = true;
      this.log(`burnrate proxy: the team's shared store has not answered since ${figure.storeAsOf}; enforcing the team budget against that figure plus this machine's spend.`);
    } else if (age <= 2 * this.refreshMs) {
      this.saidStale = false;
    }
  }
}
