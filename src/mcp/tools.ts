import type { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { contract, type Contract, type MethodName } from '../api/contract';
import type { ResultOf } from '../api/define';
import { dispatch } from '../api/dispatch';
import type { Core } from '../app/open';
import { describedInputSchema, type JsonObjectSchema } from './schema';

/**
 * The tools Burnrate offers an MCP client. Each is a thin adapter over one contract method: its
 * input schema IS the method's (described for a model), dispatch validates and runs it, and the
 * result goes back as it is (or a slice of it). Descriptions are written for a model choosing
 * and filling a tool: when to call it, what each field means, how amounts are written.
 */

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  /** Its results carry amounts: they get `currency: "USD"` beside the *Usd fields. */
  money: boolean;
  /** Contract methods the tool calls (for docs and tests). */
  methods: readonly MethodName[];
  /** The zod schema that validates the arguments (the contract's, or the tool's own). */
  input: z.ZodType;
  /** Every field of `input`, described for the model. */
  fields: Readonly<Record<string, string>>;
  inputSchema: JsonObjectSchema;
  run(core: Core, args: Record<string, unknown>): Promise<object>;
}

/** Said once in every tool that returns money. */
export const MONEY_NOTE =
  'Money: every field ending in Usd is an exact decimal string in US dollars (currency "USD"), e.g. "1.06" or "0.000075"; quote it as given, never round or re-add it as a float. null means "not set".';

const DAYS_NOTE = "Days are the user's local calendar days (the status' timezone).";

const provider = 'Provider slug in lower case, e.g. openai, anthropic, groq, deepseek, openrouter, xai, mistral, gemini, perplexity (list_providers shows the ones in use).';

function tool<K extends MethodName>(spec: {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  method: K;
  fields: Record<string, string>;
  money?: boolean;
  shape?: (result: ResultOf<Contract[K]>) => object;
}): ToolDefinition {
  const input = contract[spec.method].input;
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: { title: spec.title, ...spec.annotations },
    money: spec.money ?? true,
    methods: [spec.method],
    input,
    fields: spec.fields,
    inputSchema: describedInputSchema(input, spec.fields),
    async run(core, args) {
      const result = (await dispatch(core, spec.method, args)) as ResultOf<Contract[K]>;
      return spec.shape ? spec.shape(result) : (result as object);
    },
  };
}

const read: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

const budgetStatus = tool({
  name: 'budget_status',
  title: 'Budget status',
  method: 'status',
  annotations: read,
  description: [
    "The user's spend right now against their budgets. Call it first for questions like \"how much have I spent today, and is that healthy?\" or \"how is this month going?\".",
    'day: date, spentUsd, budgetUsd, reserveUsd (held back), spendableUsd (budget minus reserve), health. month: month (YYYY-MM), spentUsd, budgetUsd, reserveUsd, forecastUsd (projected month-end total), runsOutOn (the day the monthly budget is passed at this pace, or null), health.',
    'health is good (below 75% of spendable), warning (75% up to spendable), critical (eating into the reserve) or exceeded (past the whole budget); null when that budget is not set.',
    'Also: providers (each one\'s month and today spend, the source that counted: billed, odometer, balance, subscription or estimate), reminders, alerts, and attention (what needs the user, most urgent first).',
    MONEY_NOTE,
  ].join(' '),
  fields: {},
});

const needsAttention = tool({
  name: 'needs_attention',
  title: 'What needs attention',
  method: 'status',
  annotations: read,
  description: [
    'What needs the user now, most urgent first: budgets into their reserve or exceeded, provider caps, a month forecast over budget, prepaid balances running out, failed or stale syncs, undelivered alert notifications, usage without a known price, and reminders to read a provider console.',
    'attention: items with kind, severity (critical, warning, info), message (a sentence you can relay) and provider when it is about one. reminders: readings it is time to take (record them with record_reading). alerts: budget alerts that fired, with acknowledged.',
    'Empty lists mean nothing needs the user.',
  ].join(' '),
  fields: {},
  money: false,
  shape: (s) => ({ asOf: s.asOf, timezone: s.timezone, attention: s.attention, reminders: s.reminders, alerts: s.alerts }),
});

const recordReading = tool({
  name: 'record_reading',
  title: 'Record a console reading',
  method: 'readingAdd',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  description: [
    "Record a figure the user read off a provider's web console, e.g. \"Groq shows $1.42 this month\".",
    "What the figure means depends on the provider's tracking mode (list_providers or list_readings shows it): odometer mode, the billing month's spend to date (e.g. Groq); balance mode, the prepaid balance left (spend is the drop between readings; record money added as a top-up in the app or CLI). Providers synced from a billing API take no readings.",
    'To fix a mistyped latest reading pass replace: true. For a past month\'s final figure pass month (YYYY-MM) and final: true.',
    'The answer has the stored reading (spendUsd: what it adds), the month\'s figure (odometer) or the balance and its runway (balance). A reading answers the matching reminder.',
    MONEY_NOTE,
  ].join(' '),
  fields: {
    provider,
    amount: 'The figure from the console in US dollars, as a decimal string such as "1.42" (a number is accepted, a string stays exact). Odometer: spend so far this billing month. Balance: the balance left.',
    at: "When the user read it, ISO 8601 such as 2026-03-10T14:05:00Z; a date or a time without an offset is read in the user's time zone. Default: now.",
    note: 'A short note kept with the reading (optional).',
    replace: 'true corrects the latest reading (it keeps its time unless at is given) instead of adding a new one. Default false.',
    month: "With final: the past billing month (YYYY-MM) the final figure closes.",
    final: "true: this is a past month's final figure (give month too). Default false.",
  },
});

const recordUsage = tool({
  name: 'record_usage',
  title: 'Record a usage row',
  method: 'record',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  description: [
    'Record one usage event: a model call with its token counts (priced from Burnrate\'s price catalogue) or with its known cost. Use it for usage the user reports or that you made on their behalf.',
    'Give an id to make the call idempotent: the same id twice counts once. Without cost, an unknown model fails with a sentence saying to pass cost.',
    'The answer says whether the row was inserted, updated or unchanged, its costUsd (null when unpriced), how it was priced (catalogue, given, unpriced) and the local day it counts on.',
    MONEY_NOTE,
  ].join(' '),
  fields: {
    provider,
    model: 'The model as the provider names it, e.g. gpt-4o-mini, claude-sonnet-4-5, llama-3.3-70b-versatile.',
    inputTokens: 'Fresh (uncached) input tokens, a whole number.',
    outputTokens: 'Output tokens, reasoning tokens included, a whole number.',
    cachedInputTokens: 'Input tokens read from the prompt cache, a whole number.',
    cacheWriteTokens: 'Input tokens written to the prompt cache, a whole number.',
    cost: 'The cost in US dollars when it is known, as a decimal string such as "0.0042"; it then overrides the catalogue price.',
    at: "When the usage happened, ISO 8601 such as 2026-03-10T14:05:00Z; a date or a time without an offset is read in the user's time zone. Default: now; never in the future.",
    id: 'An id of your choosing (e.g. the request id) that makes recording idempotent.',
    project: 'A project name to group spend by (optional).',
    source: 'Where the row comes from: manual (default: typed by the user or you), proxy, or agent_log.',
  },
});

const listReadings = tool({
  name: 'list_readings',
  title: "A provider's readings",
  method: 'readings',
  annotations: read,
  description: [
    "A provider's console readings (newest first, top-ups included), its billing months with their figure and status (open, final, estimated), and for balance mode its balance, daily burn and runway.",
    'Use it to answer "when did I last read Groq?" or before record_reading to see the mode and the last figure.',
    MONEY_NOTE,
  ].join(' '),
  fields: { provider },
});

const listProviders = tool({
  name: 'list_providers',
  title: 'Providers and their tracking modes',
  method: 'providers',
  annotations: read,
  description: [
    'Every provider Burnrate knows or the user configured: its tracking mode (api: synced from a billing API; odometer: month-to-date readings; balance: prepaid balance readings; subscription; manual), whether it can be synced, the last reading, month to date and balance.',
    'Use it to learn which providers take readings and which sync.',
    MONEY_NOTE,
  ].join(' '),
  fields: {},
});

const syncNow = tool({
  name: 'sync_now',
  title: 'Sync from provider billing APIs',
  method: 'sync',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  description: [
    "Fetch what providers billed from their billing APIs now (it calls the providers over the internet). Works only for providers that have a key (stored by the user in the Burnrate app or with its CLI, or in the environment); without any key it says so and does nothing.",
    'Re-running never duplicates a row. The answer lists each provider\'s run: outcome (ok, error, skipped), message, rows fetched and changed.',
  ].join(' '),
  fields: { provider: `${provider} Leave it out to sync every provider that has a key.` },
  money: false,
});

const reconcile = tool({
  name: 'reconcile',
  title: 'Reconcile estimates with the bill',
  method: 'reconcile',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  description: [
    'Compare what the provider billed with what Burnrate estimated (readings, usage rows) per provider and local day, and store the run. Use it for "how accurate are my estimates?".',
    'providers: per provider billedUsd, estimatedUsd, driftUsd (estimated minus billed; positive means estimates ran high), driftBp (drift in basis points, 100 = 1%), coverageBp, unpricedEvents. days: each reconciled day.',
    `Only days with billed data (after sync_now) can be reconciled. ${DAYS_NOTE}`,
    MONEY_NOTE,
  ].join(' '),
  fields: {
    from: 'First local day, YYYY-MM-DD. Default: 29 days before to (30 days in all).',
    to: "Last local day, YYYY-MM-DD, not after today. Default: yesterday (the last complete day; today's bills are still open).",
  },
});

const spendSummary = tool({
  name: 'spend_summary',
  title: 'Spend summary',
  method: 'spendSummary',
  annotations: read,
  description: [
    'Counted spend over a range of days, grouped by provider, model, project, coding agent or day. Counted means what the budget counts: billed figures where a provider billed, else console readings, else estimates; subscriptions always.',
    'Use it for "what did I spend last week, by provider?" or "which project cost most this month?".',
    'The answer: from, to, timezone, groupBy, totalUsd (the exact sum of the groups, the same whatever the grouping; for this month it equals budget_status\'s month spentUsd), groups and unpricedEvents (counted usage without a known price, in no amount).',
    'Each group: key (the provider, model, project, agent or YYYY-MM-DD day; an empty key is spend without a model, project or agent, such as readings, fees and untagged usage), provider (model and provider groupings), costUsd, events, inputTokens (uncached), outputTokens. Largest first; the day grouping lists every day of the range in date order.',
    DAYS_NOTE,
    MONEY_NOTE,
  ].join(' '),
  fields: {
    from: 'First local day, YYYY-MM-DD. Default: the first day of the month of to (so no dates means this month to today).',
    to: 'Last local day, YYYY-MM-DD. Default: today.',
    groupBy: 'provider (default), model, project, agent (the coding agent whose local log the spend came from), or day (every day of the range, at most 3660 days).',
  },
});

const codingAgents = tool({
  name: 'coding_agents',
  title: 'Coding agents and their logs',
  method: 'agentsList',
  annotations: read,
  description: [
    'The coding agents whose local logs Burnrate imports (claude-code, codex, gemini): for each, its log folders (roots, and whether they exist), files and rows imported, lines skipped, the last import, and how it is billed.',
    'billing is api (its cost is spend), subscription (apiValueUsd is shown as API-equivalent value and is not spend) or null (not answered yet: counted as spend; askBilling lists those agents, ask the user).',
    'families lists its model families (opus, sonnet, haiku; gpt-5-codex; pro, flash…): billing is the family\'s own mode where it differs from the agent\'s (null: as the agent), effective the one that applies.',
    MONEY_NOTE,
  ].join(' '),
  fields: {},
});

const importAgentLogs = tool({
  name: 'import_agent_logs',
  title: 'Import coding-agent logs',
  method: 'agentsImport',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  description: [
    'Import the new lines of the local logs of Claude Code, the Codex CLI and Gemini CLI into the ledger as estimates (Burnrate also does this by itself while its app or server runs).',
    'Re-running never counts a response twice; unchanged logs are not read. The answer lists per agent the files seen and read, responses added and updated, lines skipped, unpriced rows and problems (one sentence each).',
  ].join(' '),
  fields: {
    agent: 'claude-code, codex or gemini. Leave it out to import every agent found.',
    path: 'A folder to read instead of the default log folders; needs agent.',
  },
  money: false,
});

export const TOOLS: readonly ToolDefinition[] = [
  budgetStatus,
  needsAttention,
  spendSummary,
  recordReading,
  recordUsage,
  listReadings,
  listProviders,
  syncNow,
  reconcile,
  codingAgents,
  importAgentLogs,
];
