import { z } from '../../model/zod';
import { method } from '../define';
import { noFields } from '../schemas';
import type { Usd } from '../schemas';
import { OVERRIDE_ORIGINS, type OverrideOrigin } from '../../budget/overrides';

export type { OverrideOrigin };

// ---- results ------------------------------------------------------------------------------------

export interface OverrideView {
  id: number;
  amountUsd: Usd;
  startsAt: string;
  endsAt: string;
  note: string;
  /** Where it was added (window, tray, cli, mcp, api); null for overrides kept before this was. */
  by: OverrideOrigin | null;
  active: boolean;
  /** When it was ended before endsAt, and where; null while it runs or once it ran its course. */
  endedAt: string | null;
  endedBy: OverrideOrigin | null;
}

export interface OverridesView {
  /** How far every enforced line is lifted right now. */
  liftUsd: Usd;
  /** Every override kept, newest first (the log). */
  overrides: OverrideView[];
}

/** The metering proxy of the process serving this window (the app or burnrate serve). */
export interface ProxyStatusView {
  /** running; off (the setting, or --no-proxy); port-in-use; failed (another reason, in message). */
  state: 'running' | 'off' | 'port-in-use' | 'failed';
  /** The setting proxyEnabled: start it with the app and burnrate serve. */
  enabled: boolean;
  /** Its base URL while running. */
  url: string | null;
  port: number | null;
  /** The port it is asked to use (0: any free one): the setting proxyPort unless portLocked. */
  configuredPort: number | null;
  /** The process was given its port at start (BURNRATE_PROXY_PORT, serve's --proxy-port): the setting does not apply. */
  portLocked: boolean;
  /** Why it is not running, in one sentence; null when nothing is wrong. */
  message: string | null;
  /** False when this process runs no proxy at all (the CLI, MCP): state is then 'off'. */
  runHere: boolean;
}

// ---- methods ------------------------------------------------------------------------------------

export const proxyMethods = {
  override: method<OverridesView>()({
    kind: 'write',
    description: 'Emergency override: lift every enforced budget line by usd for a while (for: 30m, 2h, 1d; default 2h). Logged with its note and where it came from (by: window, tray, cli, mcp, api; default api).',
    input: () => z
      .object({
        usd: z.union([z.string().trim().max(40), z.number()]),
        for: z.string().trim().max(20).optional(),
        note: z.string().trim().max(200).optional(),
        by: z.enum(OVERRIDE_ORIGINS).optional(),
      })
      .strict(),
  }),
  overrideEnd: method<OverridesView>()({
    kind: 'write',
    description: 'End emergency override id now, before its planned end: its lift stops counting at once. The override stays in the log, marked as ended early.',
    input: () => z
      .object({
        id: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be a positive number'),
        by: z.enum(OVERRIDE_ORIGINS).optional(),
      })
      .strict(),
  }),
  proxyStatus: method<ProxyStatusView>()({
    kind: 'read',
    description: 'The metering proxy of the desktop app or the local server: running (with its URL), off, or its port in use; and the setting that starts it.',
    input: noFields,
  }),
  overrides: method<OverridesView>()({
    kind: 'read',
    description: 'Emergency overrides: the lift in force now and the log of every override.',
    input: noFields,
  }),
};
