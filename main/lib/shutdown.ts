/**
 * A clean exit: stop the schedule and wait for the job in progress (its last write included),
 * stop the services that write (the metering proxy writes its last rows), run the shell's own steps (save the window's size, remove IPC handlers), then close the
 * database. Idempotent: every caller gets the same promise. A job that does not stop within
 * `timeoutMs` is given up on, so quitting never hangs; the ledger's WAL keeps the file consistent.
 */

export interface JobsLike {
  stop(): void | Promise<void>;
  catchUp(): void | Promise<void>;
  /** A failure somewhere: after SQLITE_CORRUPT the ledger's quick_check runs at once. */
  noticeTrouble?(error: unknown): unknown;
}

export interface ShutdownSteps {
  jobs(): JobsLike | null;
  /** Services that write, stopped after the jobs and before the steps (each bounded by timeoutMs). */
  services?: readonly (() => Promise<void>)[];
  /** Shell steps run after the jobs stopped and before the database closes. */
  steps: readonly (() => void)[];
  closeCore(): void;
  timeoutMs: number;
  log(line: string): void;
}

export function createShutdown(deps: ShutdownSteps): () => Promise<void> {
  let running: Promise<void> | null = null;

  async function run(): Promise<void> {
    const jobs = deps.jobs();
    if (jobs) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deps.timeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve(jobs.stop()).then(() => 'stopped' as const), gaveUp]);
        if (outcome === 'timeout') deps.log(`shutdown: the running job did not finish within ${deps.timeoutMs} ms; closing anyway`);
      } catch (error) {
        deps.log(`shutdown: stopping the jobs failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    for (const stop of deps.services ?? []) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deps.timeoutMs);
      });
      try {
        if ((await Promise.race([stop().then(() => 'stopped' as const), gaveUp])) === 'timeout') deps.log(`shutdown: a service did not stop within ${deps.timeoutMs} ms; closing anyway`);
      } catch (error) {
        deps.log(`shutdown: stopping a service failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    for (const step of deps.steps) {
      try {
        step();
      } catch (error) {
        deps.log(`shutdown: a step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    deps.closeCore();
  }

  return () => (running ??= run());
}
