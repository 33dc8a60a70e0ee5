import { z } from '../../model/zod';
import type { AgentImportReport } from '../../agents/importer';
import { AGENT_NAMES, FAMILY_PATTERN } from '../../ledger/agent-billing';
import { method } from '../define';
import { noFields } from '../schemas';
import type { Usd } from '../schemas';

// ---- results ------------------------------------------------------------------------------------

export type AgentBillingMode = 'api' | 'subscription';

export interface AgentRootView {
  path: string;
  exists: boolean;
}

/** A model family of an agent (opus, sonnet, haiku; gpt-5-codex; pro, flash…) and how it is billed. */
export interface AgentFamilyView {
  family: string;
  /** The models of this family seen in the agent's rows (empty: set before its first response). */
  models: string[];
  /** The family's own mode; null: it follows its agent. */
  billing: AgentBillingMode | null;
  /** The mode that applies: its own, else its agent's; null: not answered (counted as spend). */
  effective: AgentBillingMode | null;
  countsAsSpend: boolean;
  rows: number;
  apiValueUsd: Usd;
  unpricedRows: number;
}

/** One coding agent: where its logs are, what was imported, and how it is billed. */
export interface AgentView {
  agent: (typeof AGENT_NAMES)[number];
  /** The provider its responses are filed under. */
  provider: string;
  roots: AgentRootView[];
  /** A root exists or something was imported. */
  found: boolean;
  files: number;
  /** Responses imported (rows in the ledger). */
  rows: number;
  /** Lines that could not be read, over every import. */
  skipped: number;
  /** When a file of this agent was last read; null: never. */
  lastImport: string | null;
  /** null: not answered yet (counted as spend until the user says). */
  billing: AgentBillingMode | null;
  /** Whether its rows count as spend (api, or not answered yet); a family may be billed otherwise. */
  countsAsSpend: boolean;
  /** Its model families seen or set, each with its own mode when it differs from the agent's. */
  families: AgentFamilyView[];
  /** What its responses would cost at API prices (its spend when billed by API). */
  apiValueUsd: Usd;
  unpricedRows: number;
}

export interface AgentsView {
  agents: AgentView[];
  /** Agents found whose billing the user has not given: ask once. */
  askBilling: string[];
}

/** What one import read and added for one agent (src/agents/importer.ts). */
export type AgentImportView = AgentImportReport;

export interface ImportResultView {
  agents: AgentImportView[];
}

const agentName = () => z.enum(AGENT_NAMES, { error: `must be one of ${AGENT_NAMES.join(', ')}` });

export const agentsMethods = {
  agentsList: method<AgentsView>()({
    kind: 'read',
    description: 'The coding agents whose local logs Burnrate imports (Claude Code, Codex, Gemini CLI): roots, last import, rows, skipped lines and billing mode.',
    input: noFields,
  }),
  agentsImport: method<ImportResultView>()({
    kind: 'write',
    description: 'Import new lines of the coding agents\' local logs into the ledger as estimates (one agent, or every agent found).',
    input: () => z
      .object({
        agent: agentName().optional(),
        /** Read this folder instead of the default roots. */
        path: z.string().min(1, 'must name a folder').max(4096).optional(),
      })
      .strict(),
  }),
  agentsSetBilling: method<AgentsView>()({
    kind: 'write',
    description:
      'Say how a coding agent is billed: api (its cost is spend) or subscription (shown as API-equivalent value, not spend); with a model family, how that family is billed where it differs (inherit: as its agent).',
    input: () =>
      z
      .object({
        agent: agentName(),
        /** A model family (opus, haiku, gpt-5-codex, flash…) billed otherwise than its agent. */
        family: z
          .string()
          .trim()
          .toLowerCase()
          .regex(FAMILY_PATTERN, 'must be a model family such as opus, haiku, gpt-5-codex or flash (letters, digits, dots and dashes)')
          .optional(),
        mode: z.enum(['api', 'subscription', 'inherit'], { error: 'must be api or subscription (inherit, for a family: as its agent)' }),
      })
      .strict(),
  }),
};
