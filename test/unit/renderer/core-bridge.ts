/// <reference types="node" />
import { dispatch, errorBody, toApiError } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { fixedClock } from '../../../src/time';
import type { EventName } from '../../../src/api/contract';
import type { ClientEventName, ClientEvents, Input, MethodName, Result } from '../../../renderer/src/api';

/**
 * The preload's documented object (`window.burnrate`: transport, call, on) over a REAL in-memory
 * core: calls go through the contract's dispatch, errors come back as the plain error body, as
 * main/lib/ipc-gateway.ts sends them. No part of Burnrate is faked.
 */
export function bridgeFor(core: Core) {
  return {
    transport: 'ipc' as const,
    calls: [] as { method: string; input: unknown }[],
    async call<M extends MethodName>(method: M, input?: Input<M>): Promise<Result<M>> {
      this.calls.push({ method, input });
      try {
        return await dispatch(core, method, input ?? {});
      } catch (error) {
        throw errorBody(toApiError(error));
      }
    },
    on<E extends ClientEventName>(name: E, callback: (payload: ClientEvents[E]) => void): () => void {
      if (name === 'navigate') return () => undefined;
      return core.events.on(name as EventName, callback as (payload: unknown) => void);
    },
  };
}

export function testCore(now = '2026-11-28T18:00:00Z'): Core {
  return openCore({ memory: true, clock: fixedClock(now), timeZone: 'UTC', env: {} });
}
