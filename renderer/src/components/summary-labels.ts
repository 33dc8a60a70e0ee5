import type { SpendSummary, SpendSummaryGroup } from '../../../src/api/contract';
import { providerName } from './providers';

/**
 * How a group of spendSummary reads, in the share chart's legend and the History summary alike: a
 * provider by its name, a model, project, agent or day by its key, and an empty key by what it means
 * (spend of no project, not from a coding agent, a fee or billed bucket without a model).
 */
export function summaryGroupLabel(groupBy: SpendSummary['groupBy'], g: Pick<SpendSummaryGroup, 'key' | 'provider'>, names?: ReadonlyMap<string, string>): string {
  if (groupBy === 'provider') return providerName(g.key, names);
  if (g.key) return g.key;
  if (groupBy === 'project') return 'No project';
  if (groupBy === 'agent') return 'Not from a coding agent';
  return g.provider ? `${providerName(g.provider, names)} (no model)` : 'No model';
}
