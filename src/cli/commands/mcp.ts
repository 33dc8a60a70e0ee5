import { fail, loadedRuntime, type CliContext, type Register } from '../context';

/**
 * Stdout carries MCP messages only: one stray line breaks the client's parser. Anything that logs
 * through console.log/info/debug while the server runs (a dependency, a forgotten debug line) is
 * sent to stderr instead; our own diagnostics go through ctx.err.
 */
function consoleToStderr(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  return () => Object.assign(console, saved);
}

/** Resolves on SIGINT or SIGTERM (clients may stop a server either way); `off` removes the handlers. */
function onStopSignal(): { stopped: Promise<NodeJS.Signals>; off(): void } {
  let handler: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    handler = (signal) => resolve(signal);
  });
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stopped,
    off() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

async function serve(ctx: CliContext, version: string): Promise<void> {
  const restoreConsole = consoleToStderr();
  const signals = onStopSignal();
  let bySignal = false;
  try {
    const core = ctx.core({ serving: true });
    const { serveStdio } = await loadedRuntime().loadMcp();
    await serveStdio(core, {
      version,
      log: (line) => ctx.err(line),
      stop: signals.stopped.then(() => {
        bySignal = true;
      }),
    });
  } catch (error) {
    fail(ctx, error);
  } finally {
    signals.off();
    restoreConsole();
  }
  if (bySignal) {
    // Stopped while the client still holds stdin open: let go of it so the process can end once
    // runCli has closed the ledger; should anything else hold on, leave anyway.
    process.stdin.destroy();
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  }
}

export const registerMcp: Register = (program, ctx) => {
  program
    .command('mcp')
    .description('serve the ledger to AI assistants over stdio (Model Context Protocol): status, spend summaries, readings, sync, reconcile')
    .action(async () => {
      await serve(ctx, program.version() ?? '0.0.0');
    });
};
