import type { OverridesView } from '../../api/contract/proxy';
import { fail, loadedRuntime, runMethod, type CliContext, type Register } from '../context';
import { parsePort, untilSignal } from '../long-running';
import type { Core } from '../../app/open';

/** Start the metering proxy for a command (proxy, serve) on the port asked, else BURNRATE_PROXY_PORT, else 4318. */
export async function startMeteringProxy(ctx: CliContext, core: Core, portText: string | undefined, label: string): Promise<{ url: string; close(): Promise<void> }> {
  const { startProxy, DEFAULT_PROXY_PORT } = await loadedRuntime().loadProxy();
  const port = parsePort(portText ?? (core.env.BURNRATE_PROXY_PORT || undefined)) ?? DEFAULT_PROXY_PORT;
  try {
    // A machine in a team enforces the team's budget too: the team's figure is injected (docs/team.md).
    const team = await (await loadedRuntime().loadProxyService()).teamSourceFor(core);
    return await startProxy(core, core.prices, { port, log: (line) => ctx.err(line), ...(team ? { team } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw loadedRuntime().unavailable(`Port ${port} on 127.0.0.1 is already in use (another ${label}?); pass --port with a free port, or --port 0 to pick one.`);
    }
    if (error instanceof Error && error.name === 'UpstreamConfigError') throw loadedRuntime().invalid(error.message);
    throw error;
  }
}

function formatOverrides(v: OverridesView): string {
  const active = v.overrides.filter((o) => o.active);
  if (active.length === 0) return 'No override in force; every enforced budget line holds.';
  return [`Every enforced line is lifted by $${v.liftUsd}:`, ...active.map((o) => `  #${o.id} $${o.amountUsd} until ${o.endsAt}${o.note ? ` (${o.note})` : ''}`)].join('\n');
}

export const registerProxy: Register = (program, ctx) => {
  program
    .command('proxy')
    .description('run the metering proxy on 127.0.0.1 and print its base URL (docs/proxy.md)')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one; default BURNRATE_PROXY_PORT, else 4318)')
    .action(async (opts: { port?: string }) => {
      let proxy: { close(): Promise<void> } | undefined;
      try {
        const core = ctx.core({ serving: true });
        const running = await startMeteringProxy(ctx, core, opts.port, 'burnrate proxy');
        proxy = running;
        const stopped = untilSignal(ctx);
        ctx.out(running.url); // the one line on stdout
        ctx.err(`burnrate proxy: metering ${running.url}/openai/v1, ${running.url}/anthropic and the other providers' routes (Ctrl-C stops).`);
        await stopped;
      } catch (error) {
        fail(ctx, error);
      } finally {
        await proxy?.close();
      }
    });

  program
    .command('override')
    .description('emergency override: lift every enforced budget line by an amount for a while (alone: show overrides)')
    .option('--usd <amount>', 'how much to lift each line by, in USD')
    .option('--for <duration>', 'how long: 30m, 2h, 1d (default 2h)')
    .option('--note <text>', 'why, kept in the log')
    .option('--end <id>', 'end override ID now, before its planned end (it stays in the log)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { usd?: string; for?: string; note?: string; end?: string; json?: boolean }) => {
      if (opts.end !== undefined) {
        if (opts.usd !== undefined || opts.for !== undefined || opts.note !== undefined) {
          fail(ctx, loadedRuntime().invalid('--end ends an override and takes no --usd, --for or --note; run them as two commands.'), opts.json);
          return;
        }
        // The id as the contract read it ("#1"), not as typed ("01", "1e0"): the same Number() it coerces with.
        const id = opts.end;
        await runMethod(ctx, 'overrideEnd', { id, by: 'cli' }, opts, (v) => `Override #${Number(id)} ended now.\n${formatOverrides(v)}`);
        return;
      }
      if (opts.usd === undefined) {
        await runMethod(ctx, 'overrides', {}, opts, formatOverrides);
        return;
      }
      const input = { usd: opts.usd, by: 'cli', ...(opts.for !== undefined ? { for: opts.for } : {}), ...(opts.note !== undefined ? { note: opts.note } : {}) };
      await runMethod(ctx, 'override', input, opts, formatOverrides);
    });
};
