import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { ApiClient, ClientEventName, ClientEvents } from '../api';

const ClientContext = createContext<ApiClient | null>(null);

export function ClientProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): ApiClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a <ClientProvider> above it.');
  return client;
}

/** Subscribe to a push for the component's lifetime; the latest callback is always used. */
export function useEvent<E extends ClientEventName>(name: E, callback: (payload: ClientEvents[E]) => void): void {
  const client = useClient();
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => client.on(name, (payload) => latest.current(payload)), [client, name]);
}
