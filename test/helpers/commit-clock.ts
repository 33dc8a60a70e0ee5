import BetterSqlite3 from 'better-sqlite3';

export interface CommitClock {
  /** performance.now() when the first commit of another connection was seen; undefined before. */
  seenAt(): number | undefined;
  stop(): void;
}

/**
 * When another process committed to a ledger, as a third connection sees it: `PRAGMA data_version`
 * changes once any other connection has committed. Polled every few milliseconds from before the
 * write, so a latency measured from it starts at the commit, not when the writing process has
 * exited (which comes later: its catch-up, its output, its exit). For the tests of the 1 s
 * requirement on changes made by other processes (issue 12).
 */
export function commitClock(file: string): CommitClock {
  const db = new BetterSqlite3(file, { readonly: true });
  const version = db.prepare('PRAGMA data_version').pluck();
  const first = version.get();
  let seenAt: number | undefined;
  const timer = setInterval(() => {
    if (seenAt === undefined && version.get() !== first) seenAt = performance.now();
  }, 2);
  return {
    seenAt: () => seenAt,
    stop() {
      clearInterval(timer);
      db.close();
    },
  };
}

/** The requirement: a change by another process reaches every open window within 1 s. */
export const EXTERNAL_CHANGE_BOUND_MS = 1000;
