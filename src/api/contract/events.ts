// The event vocabulary lives at the bottom floor (src/model/event-names.ts); clients keep importing it here.
export { EVENT_NAMES, eventCoverage, type ContractEvents, type EventName } from '../../model/event-names';
