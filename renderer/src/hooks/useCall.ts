import { useCallback, useEffect, useRef, useState } from 'react';
import { toCallError, type CallError, type ClientEventName, type Input, type MethodName, type Result } from '../api';
import { useClient } from './client';

export interface CallState<T> {
  data: T | undefined;
  error: CallError | undefined;
  /** True until the first answer (later reloads keep showing the previous data). */
  loading: boolean;
  /** The data answers the current input (false while a changed input is being read). */
  fresh: boolean;
  reload(): void;
}

/**
 * Read a method and keep it fresh: re-read when the input changes and on each named push
 * (statusChanged by default). Stale answers of an older input are dropped.
 */
export function useCall<M extends MethodName>(
  method: M,
  input?: Input<M>,
  options: { refreshOn?: readonly ClientEventName[]; skip?: boolean; coalesceMs?: number } = {},
): CallState<Result<M>> {
  const client = useClient();
  const [data, setData] = useState<Result<M>>();
  const [dataKey, setDataKey] = useState<string>();
  const [error, setError] = useState<CallError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(input ?? {});
  const seq = useRef(0);
  const refreshOn = (options.refreshOn ?? ['statusChanged']).join(',');
  const skip = options.skip ?? false;
  // How long a burst of pushes is gathered into one re-read (a remote read, like the team's, wants longer).
  const coalesceMs = options.coalesceMs ?? 120;

  useEffect(() => {
    if (skip) return;
    const mine = ++seq.current;
    client
      .call(method, JSON.parse(key) as Input<M>)
      .then((result) => {
        if (mine !== seq.current) return;
        setData(result);
        setDataKey(key);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setError(toCallError(e));
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [client, method, key, tick, skip]);

  useEffect(() => {
    if (!refreshOn) return;
    // A sync that writes many rows sends a burst of events: read once per burst, not once per event.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      if (pending === undefined) pending = setTimeout(() => ((pending = undefined), setTick((t) => t + 1)), coalesceMs);
    };
    const offs = refreshOn.split(',').map((name) => client.on(name as ClientEventName, refresh));
    return () => {
      offs.forEach((off) => off());
      if (pending !== undefined) clearTimeout(pending);
    };
  }, [client, refreshOn, coalesceMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading: loading && !skip, fresh: dataKey === key, reload };
}

/** A write with its own busy flag and error; resolves to the result, or undefined after an error. */
export function useAction<M extends MethodName>(method: M) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError>();
  const run = useCallback(
    async (input: Input<M>): Promise<Result<M> | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await client.call(method, input);
      } catch (e) {
        setError(toCallError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [client, method],
  );
  const clear = useCallback(() => setError(undefined), []);
  return { run, busy, error, clear };
}
