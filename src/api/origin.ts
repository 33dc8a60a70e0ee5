import type { OverrideOrigin } from '../budget/overrides';

/**
 * Where a call came from, as the transport can vouch for it. The override log keeps who lifted or
 * ended a budget line (`by`: window, tray, cli, mcp, api); a caller names it, and each transport
 * lets through only what it knows to be true: over IPC and the dashboard's cookie only our own
 * pages call (the window or the tray's popover), with the bearer token only a script ("api"). Any
 * other claim becomes the transport's default, so the log cannot be told a script was the window.
 */
const NAMES_ITS_ORIGIN: ReadonlySet<string> = new Set(['override', 'overrideEnd']);

export const PAGE_ORIGINS: readonly OverrideOrigin[] = ['window', 'tray'];
export const SCRIPT_ORIGINS: readonly OverrideOrigin[] = ['api'];

/** `input` with `by` replaced by what `allowed` vouches for (its first entry when the claim is not). */
export function vouchedOrigin(method: string, input: unknown, allowed: readonly OverrideOrigin[]): unknown {
  if (!NAMES_ITS_ORIGIN.has(method) || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const claimed = (input as { by?: unknown }).by;
  const by = allowed.find((origin) => origin === claimed) ?? allowed[0]!;
  return { ...input, by };
}
