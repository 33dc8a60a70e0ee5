import { z } from '../../model/zod';
import { method } from '../define';
import { noFields } from '../schemas';
import type { Usd } from '../schemas';

// ---- results ------------------------------------------------------------------------------------

export interface OverrideView {
  id: number;
  amountUsd: Usd;
  startsAt: string;
  endsAt: string;
  note: string;
  active: boolean;
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
    description: 'Emergency override: lift every enforced budget line by usd for a while (for: 30m, 2h, 1d; default 2h). Logged.',
    input: () => z
      .object({
        usd: z.union([z.string().trim().max(40), z.number()]),
        for: z.string().trim().max(20).optional(),
        note: z.string().trim().max(200).optional(),
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
