import { z } from '../../model/zod';
import type { TeamJoinResult, TeamMembership, TeamPushResult, TeamStatus } from '../../model/team-views';
import { method } from '../define';
import { noFields, providerSlug } from '../schemas';
import { budgetSetInput } from './budget';

export type { TeamJoinResult, TeamMembership, TeamPushResult, TeamStatus } from '../../model/team-views';

const name = () => z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
/** An organisation or account id as the provider shows it (org-…, a UUID). */
const orgId = () => z.string().trim().min(1).max(200).regex(/^[\w.:@-]+$/, 'must be an organisation id such as org-abc123');

/**
 * Team totals across machines on a shared PostgreSQL database (docs/team.md). The password in the
 * URL goes to the OS keychain; the ledger and every answer keep the URL without it.
 */
export const teamMethods = {
  teamJoin: method<TeamJoinResult>()({
    kind: 'write',
    description: "Join a team: connect to its PostgreSQL database (URL; its password goes to the keychain), create or migrate the shared schema, register this machine and push its figures.",
    input: () => z
      .object({
        url: z.string().trim().min(1).max(2000),
        team: name().optional(),
        member: name().optional(),
        /** provider → the organisation id its bills belong to, e.g. { "openai": "org-abc" }. */
        orgs: z.record(providerSlug(), orgId()).optional(),
      })
      .strict(),
  }),
  teamMembership: method<TeamMembership>()({
    kind: 'read',
    description: 'Whether this machine is in a team, which, as whom, and how many figures wait in its outbox (no network).',
    input: noFields,
  }),
  teamStatus: method<TeamStatus>()({
    kind: 'read',
    description: "The team's spend today and this month, counted once across machines, with budgets, alerts and each member's share.",
    input: noFields,
  }),
  teamPush: method<TeamPushResult>()({
    kind: 'write',
    description: "Send this machine's changed daily figures to the team database now (they wait in the outbox while it is unreachable), then check the team's budgets.",
    input: noFields,
  }),
  teamLeave: method<{ team: string; storeUpdated: boolean }>()({
    kind: 'write',
    description: 'Leave the team: this machine stops pushing; its figures stay in the team database (they were spent); the password leaves the keychain.',
    input: noFields,
  }),
  teamBudgetSet: method<TeamStatus>()({
    kind: 'write',
    description: "Set or remove the team's daily or monthly budget, its reserve percentage, a provider's monthly cap (provider + monthly), or whether members' proxies enforce it.",
    input: () => budgetSetInput().extend({ enforce: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true').optional() }).strict(),
  }),
};
