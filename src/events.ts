import { EventEmitter } from 'node:events';
import type { ContractEvents, EventName } from './api/contract/events';

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
    const names: EventName[] = ['statusChanged', 'alertFired', 'reminderDue', 'syncFinished'];
    const offs = names.map((n) => this.on(n, (p) => listener(n, p as never)));
    return () => offs.forEach((off) => off());
  }
}
