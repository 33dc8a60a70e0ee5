import type { Core } from '../../app/open';
import { importAgentLogsParallel } from '../../agents/importer';
import { importInputProblem } from '../../agents/import-input';
import { agentOverview } from '../../agents/overview';
import { setAgentBilling, setFamilyBilling } from '../../ledger/agent-billing';
import { formatUsd } from '../../money';
import { invalidInput } from '../../model/errors';
import type { AgentsView, agentsMethods } from '../contract/agents';
import type { HandlersFor } from '../handler';

function agentsView(core: Core): AgentsView {
  const agents = agentOverview(core.db, core.env).map((a) => {
    const found = a.roots.some((r) => r.exists) || a.files > 0;
    return {
      agent: a.agent,
      provider: a.provider,
      roots: a.roots,
      found,
      files: a.files,
      rows: a.rows,
      skipped: a.skipped,
      lastImport: a.lastImport,
      billing: a.billing,
      countsAsSpend: a.billing !== 'subscription',
      families: a.families.map((f) => ({
        family: f.family,
        models: f.models,
        billing: f.billing,
        effective: f.effective,
        countsAsSpend: f.effective !== 'subscription',
        rows: f.rows,
        apiValueUsd: formatUsd(f.apiValueNano),
        unpricedRows: f.unpricedRows,
      })),
      apiValueUsd: formatUsd(a.apiValueNano),
      unpricedRows: a.unpricedRows,
    };
  });
  return { agents, askBilling: agents.filter((a) => a.found && a.billing === null).map((a) => a.agent) };
}

export const agentsHandlers: HandlersFor<typeof agentsMethods> = {
  agentsList: (core) => agentsView(core),
  agentsImport: async (core, input) => {
    const problem = importInputProblem(input);
    if (problem) throw problem;
    const report = await importAgentLogsParallel(core, core.prices, { ...(input.agent ? { agents: [input.agent] } : {}), ...(input.path ? { path: input.path } : {}) });
    return { agents: report.agents.map((a) => ({ ...a })) };
  },
  agentsSetBilling: (core, input) => {
    if (input.family !== undefined) setFamilyBilling(core.db, input.agent, input.family, input.mode === 'inherit' ? null : input.mode, core.clock.now());
    else if (input.mode === 'inherit') throw invalidInput('inherit_needs_family', `Only a model family can be billed as its agent (inherit): say api or subscription for ${input.agent} itself, or name the family; nothing was changed.`, { agent: input.agent });
    else setAgentBilling(core.db, input.agent, input.mode, core.clock.now());
    // What counts as spend changed for every day of this agent: status and budgets re-check.
    core.spendChanged('agent-billing');
    return agentsView(core);
  },
};
