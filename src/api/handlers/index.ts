import type { Core } from '../../app/open';
import type { MethodName } from '../contract';
import { coreMethods } from '../contract/core';
import { budgetMethods } from '../contract/budget';
import { odometerMethods } from '../contract/odometer';
import { keysMethods } from '../contract/keys';
import { reconcileMethods } from '../contract/reconcile';
import { pricingMethods } from '../contract/pricing';
import { settingsMethods } from '../contract/settings';
import { backupMethods } from '../contract/backup';
import { agentsMethods } from '../contract/agents';
import { closeMethods } from '../contract/close';
import { teamMethods } from '../contract/team';
import { proxyMethods } from '../contract/proxy';
import { usageEventMethods } from '../contract/usage-events';
import type { MethodSpec } from '../define';
import type { HandlersFor } from '../handler';

/**
 * One area's methods and the loader of its handlers. The handlers (and what they run on: provider
 * clients, reconciliation, backups…) are loaded on the first call of one of the area's methods, so
 * a process that runs one command pays only for that command's area (`burnrate status` never loads
 * the keys area's provider clients). The compiler still refuses an area whose handlers miss a method.
 */
interface HandlerArea<T extends Record<string, MethodSpec>> {
  methods: T;
  load: () => Promise<HandlersFor<T>>;
}

const area = <T extends Record<string, MethodSpec>>(methods: T, load: () => Promise<HandlersFor<T>>): HandlerArea<T> => ({ methods, load });

const AREAS = [
  area(coreMethods, () => import('./core').then((m) => m.coreHandlers)),
  area(budgetMethods, () => import('./budget').then((m) => m.budgetHandlers)),
  area(odometerMethods, () => import('./odometer').then((m) => m.odometerHandlers)),
  area(keysMethods, () => import('./keys').then((m) => m.keysHandlers)),
  area(reconcileMethods, () => import('./reconcile').then((m) => m.reconcileHandlers)),
  area(pricingMethods, () => import('./pricing').then((m) => m.pricingHandlers)),
  area(settingsMethods, () => import('./settings').then((m) => m.settingsHandlers)),
  area(backupMethods, () => import('./backup').then((m) => m.backupHandlers)),
  area(agentsMethods, () => import('./agents').then((m) => m.agentsHandlers)),
  area(closeMethods, () => import('./close').then((m) => m.closeHandlers)),
  area(teamMethods, () => import('./team').then((m) => m.teamHandlers)),
  area(proxyMethods, () => import('./proxy').then((m) => m.proxyHandlers)),
  area(usageEventMethods, () => import('./usage-events').then((m) => m.usageEventHandlers)),
];

/** Names of methods some area above handles; a method of the contract left out fails to compile below. */
type Handled = (typeof AREAS)[number] extends infer A ? (A extends HandlerArea<infer T> ? keyof T : never) : never;
const everyMethodHasAnArea: [Exclude<MethodName, Handled>] extends [never] ? true : Exclude<MethodName, Handled> = true;
void everyMethodHasAnArea;

export type AnyHandler = (core: Core, input: unknown) => unknown;

/** The handler of method `name`, loading its area on first use. */
export async function handlerOf(name: MethodName): Promise<AnyHandler> {
  const owner = AREAS.find((a) => Object.prototype.hasOwnProperty.call(a.methods, name));
  if (!owner) throw new Error(`No handler area lists the method "${name}".`);
  const handlers = (await owner.load()) as Record<string, AnyHandler>;
  return handlers[name]!;
}
