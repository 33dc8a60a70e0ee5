import { z } from 'zod';
import { method } from '../define';
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
  overrides: method<OverridesView>()({
    kind: 'read',
    description: 'Emergency overrides: the lift in force now and the log of every override.',
    input: () => z.object({}).strict(),
  }),
};
