import { useMemo } from 'react';

/** Display names by provider slug, from a `providers` answer (undefined while it loads), for providerName(). */
export function useProviderNames(data: { providers: readonly { provider: string; name: string }[] } | undefined): ReadonlyMap<string, string> {
  return useMemo(() => new Map((data?.providers ?? []).map((p) => [p.provider, p.name])), [data]);
}
