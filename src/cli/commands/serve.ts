import type { Core } from '../../app/open';
import type { Jobs } from '../../jobs';
import { fail, loadedRuntime, type CliContext, type Register } from '../context';
import { parsePort, untilSignal } from '../long-running';

/**
 * The scheduler is loaded only when wanted, so `--no-jobs` never loads node-cron. If it cannot
 * start, serve refuses rather than run silently without syncs and reminders, and says how to
 * serve anyway.
 */
async function startScheduledJobs(ctx: CliContext, core: Core): Promise<Jobs> {
  try {
    const { loadJobs, onceLog, toApiError } = loadedRuntime();
    const { startJobs } = await loadJobs();
    // A job failing the same way every minute (a full disk) says so once.
    const log = onceLog((line) => ctx.err(line));
    return startJobs(core, {
      onError: (job, error) => log(`burnrate serve: the ${job} job failed: ${toApiError(error).message}`),
    });
  } catch (error) {
    throw loadedRuntime().unavailable(
      `Burnrate could not start its scheduled jobs (${error instanceof Error ? error.message : String(error)}); run "burnrate serve --no-jobs" to serve without them.`,
    );
  }
}

export const registerServe: Register = (program, ctx) => {
  program
    .command('serve')
    .description('headless: run the jobs, the HTTP API and the dashboard on 127.0.0.1, and print the URL with its token')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one; default BURNRATE_PORT, else 4317)')
    .option('--token <token>', 'a fixed token (default BURNRATE_TOKEN, else a fresh random one each start)')
    .option('--no-jobs', 'do not run scheduled syncs, checks and reminders')
    .option('--no-agents', 'do not watch and import the local logs of coding agents')
    .option('--proxy-port <n>', 'port of the metering proxy (0 picks a free one; default BURNRATE_PROXY_PORT, else 4318)')
    .option('--no-proxy', 'do not start the metering proxy (the setting proxyEnabled turns it off for good)')
    .action(async (opts: { port?: string; token?: string; jobs: boolean; agents: boolean; proxy: boolean; proxyPort?: string }) => {
      let jobs: Jobs | undefined;
      let server: { close(): Promise<void> } | undefined;
      let proxy: { stop(): Promise<void> } | undefined;
      let stopProxyWatch: (() => void) | undefined;
      let watcher: { stop(): void } | undefined;
      let agentWatch: { stop(): void } | undefined;
      try {
        const core = ctx.core({ serving: true });
        const { startServer, DEFAULT_PORT } = await loadedRuntime().loadServer();
        const port = parsePort(opts.port ?? (core.env.BURNRATE_PORT || undefined)) ?? DEFAULT_PORT;
        const token = opts.token ?? (core.env.BURNRATE_TOKEN || undefined);
        const running = await startServer(core, { port, ...(token !== undefined ? { token } : {}), log: (line) => ctx.err(line), onTrouble: (error) => void jobs?.noticeTrouble(error) });
        server = running;
        // Writes by other processes (the CLI, MCP) reach the dashboard as statusChanged too.
        const { watchExternalChanges } = await loadedRuntime().loadChangeWatcher();
        watcher = watchExternalChanges(core);
        if (opts.agents) {
          // New lines of Claude Code, Codex and Gemini CLI logs reach the ledger within seconds.
          const { watchAgentLogs } = await loadedRuntime().loadAgentWatch();
          const log = loadedRuntime().onceLog((line) => ctx.err(line));
          agentWatch = watchAgentLogs(core, { onError: (error) => log(`burnrate serve: importing agent logs failed: ${loadedRuntime().toApiError(error).message}`) });
        }
        if (opts.jobs) {
          jobs = await startScheduledJobs(ctx, core);
          // Catching up (syncs after downtime) may take a while; the dashboard is usable meanwhile.
          jobs.catchUp().catch((error: unknown) => ctx.err(`burnrate serve: catching up failed: ${error instanceof Error ? error.message : String(error)}`));
        }
        // Webhooks go out as soon as an alert fires, not at the next minute of the outbox job.
        const { deliverOutbox } = loadedRuntime();
        const stopDelivery = core.events.on('alertFired', () => {
          deliverOutbox(core).catch((error: unknown) => ctx.err(`burnrate serve: webhook delivery failed: ${error instanceof Error ? error.message : String(error)}`));
        });
        // The proxy follows the setting proxyEnabled while serve runs (the window's Settings turns it
        // on and off); a port in use leaves the dashboard and the jobs running without it.
        // A dashboard on a free port (tests, several serves) puts its proxy on a free port too.
        // --proxy-port and BURNRATE_PROXY_PORT fix its port; without them the setting proxyPort decides.
        const proxyPort = parsePort(opts.proxyPort ?? (core.env.BURNRATE_PROXY_PORT || undefined));
        const { ProxyService } = await loadedRuntime().loadProxyService();
        const service = new ProxyService(core, {
          allowed: opts.proxy,
          log: (line) => ctx.err(`burnrate serve: ${line}`),
          ...(proxyPort !== undefined ? { port: proxyPort } : {}),
          ...(port === 0 ? { defaultPort: 0 } : {}),
        });
        proxy = service;
        stopProxyWatch = service.watch();
        await service.apply();
        const stopped = untilSignal(ctx).finally(stopDelivery);
        // The one line on stdout, so scripts can read the URL.
        ctx.out(running.url);
        ctx.err(`burnrate serve: dashboard on ${running.origin} (open the URL above; Ctrl-C stops).`);
        await stopped;
      } catch (error) {
        fail(ctx, error);
      } finally {
        watcher?.stop();
        agentWatch?.stop();
        stopProxyWatch?.();
        await proxy?.stop();
        await shutDown(ctx, jobs, server);
      }
    });
};

async function shutDown(ctx: CliContext, jobs: Jobs | undefined, server: { close(): Promise<void> } | undefined): Promise<void> {
  try {
    await jobs?.stop();
  } catch (error) {
    ctx.err(`burnrate serve: stopping the jobs failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  await server?.close();
  // runCli closes the core (the database) once this action returns. Should anything still hold the
  // event loop after that (a timer a job forgot), leave anyway: Ctrl-C must stop the server.
  setTimeout(() => {
    ctx.err('burnrate serve: something did not stop in time; exiting.');
    process.exit(process.exitCode ?? 0);
  }, 3000).unref();
}
