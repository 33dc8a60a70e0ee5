import type { Contract, ContractEvents, InputOf, MethodName, ResultOf } from '../../../src/api/contract';
import type { Route } from '../routes';

/** What the renderer knows of the contract: types only, erased at build time. */
export type { MethodName } from '../../../src/api/contract';
export type Input<M extends MethodName> = InputOf<Contract[M]>;
export type Result<M extends MethodName> = ResultOf<Contract[M]>;

/**
 * The desktop shell's extra push (main/lib/ipc-channels.ts `navigate`): where to go after the page
 * has loaded, as one of our own routes (main/ imports renderer/src/routes.ts, not the reverse).
 */
export type NavigateEvent = Route;

export interface ClientEvents extends ContractEvents {
  navigate: NavigateEvent;
}
export type ClientEventName = keyof ClientEvents;

/** Whether live updates are flowing (HTTP: the EventSource's state; IPC: always). */
export type LiveState = 'connecting' | 'live' | 'offline';

/** The one client the components use, whichever transport is underneath. */
export interface ApiClient {
  readonly transport: 'ipc' | 'http';
  call<M extends MethodName>(method: M, input?: Input<M>): Promise<Result<M>>;
  /** Subscribe to a push; returns the unsubscribe function. */
  on<E extends ClientEventName>(name: E, callback: (payload: ClientEvents[E]) => void): () => void;
  /** Watch the live-update connection; returns the unsubscribe function. */
  onLive(callback: (state: LiveState) => void): () => void;
  /** Where a listed backup downloads from (`name` as backupList shows it): a link's href. */
  backupFileUrl(name: string): string;
}

/**
 * The preload's documented object (main/preload.ts): `window.burnrate = { transport: 'ipc', call, on }`,
 * typed from the contract: main/preload.ts checks that its object satisfies this interface, so the
 * two sides cannot drift. `call` rejects with the contract's plain error body `{ error: { code, message } }`.
 */
export interface PreloadBridge {
  readonly transport: 'ipc';
  call<M extends MethodName>(method: M, input?: Input<M>): Promise<Result<M>>;
  on<E extends ClientEventName>(name: E, callback: (payload: ClientEvents[E]) => void): () => void;
}
