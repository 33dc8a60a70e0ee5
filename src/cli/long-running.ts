import { loadedRuntime, type CliContext } from './context';

/** What the long-running commands (serve, proxy) share: reading a port, waiting for Ctrl-C. */

export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535) {
    throw loadedRuntime().invalid(`The port must be a whole number from 0 to 65535 (0 picks a free port), not "${text}".`);
  }
  return Number(text);
}

/** Resolves on the first SIGINT or SIGTERM; a second one while closing exits at once. */
export function untilSignal(ctx: CliContext): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => {
        ctx.err('burnrate: stopping now.');
        process.exit(130);
      });
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

