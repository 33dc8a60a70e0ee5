import { EventEmitter } from 'node:events';
import { EVENT_NAMES, type ContractEvents, type EventName } from './event-names';

export { EVENT_NAMES, eventCoverage, type ContractEvents, type EventName } from './event-names';

/** A typed emitter of the contract's events. Subscriptions return their own unsubscribe. */
export class CoreEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<K extends EventName>(name: K, payload: ContractEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends EventName>(name: K, listener: (payload: ContractEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  /** Listen to every event (transports forward them all). */
  onAny(listener: <K extends EventName>(name: K, payload: ContractEvents[K]) => void): () => void {
    const offs = EVENT_NAMES.map((n) => this.on(n, (p) => listener(n, p as never)));
    return () => offs.forEach((off) => off());
  }
}
