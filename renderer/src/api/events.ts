import type { EventName } from '../../../src/api/contract';

/**
 * The contract's event names, restated (the renderer imports no runtime code from src/); checked
 * complete against ContractEvents by the compiler, like src/api/contract/events.ts does.
 */
export const EVENT_NAMES_FOR_HTTP = ['statusChanged', 'alertFired', 'reminderDue', 'syncFinished'] as const satisfies readonly EventName[];
type AssertCoverage<T extends readonly EventName[]> = Exclude<EventName, T[number]> extends never ? true : never;
export const eventCoverage: AssertCoverage<typeof EVENT_NAMES_FOR_HTTP> = true;
