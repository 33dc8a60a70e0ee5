import { coreMethods } from './core';
import { budgetMethods } from './budget';
import { odometerMethods } from './odometer';
import { keysMethods } from './keys';
import { reconcileMethods } from './reconcile';
import { pricingMethods } from './pricing';
import { settingsMethods } from './settings';
import { backupMethods } from './backup';
import { agentsMethods } from './agents';
import { closeMethods } from './close';
import { teamMethods } from './team';
import { proxyMethods } from './proxy';
import { usageEventMethods } from './usage-events';

export * from './core';
export * from './events';
export type { BackupView, BackupListView } from './backup';
export type { AgentsView, AgentView, ImportResultView } from './agents';
export type * from './close';
export type { TeamJoinResult, TeamMembership, TeamPushResult, TeamStatus } from './team';
export type { OverrideView, OverridesView } from './proxy';
export type { UsageEventsResult } from './usage-events';
export type { InputOf, ResultOf, MethodSpec } from '../define';
export type { ApiErrorBody, ApiErrorCode } from '../errors';

/**
 * THE contract: every operation Burnrate offers, by name. IPC (main/ipc), HTTP (src/server), the
 * CLI (src/cli) and MCP are transports of this object and nothing else.
 */
export const contract = {
  ...coreMethods,
  ...budgetMethods,
  ...odometerMethods,
  ...keysMethods,
  ...reconcileMethods,
  ...pricingMethods,
  ...settingsMethods,
  ...backupMethods,
  ...agentsMethods,
  ...closeMethods,
  ...teamMethods,
  ...proxyMethods,
  ...usageEventMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
