import { useMemo } from 'react';
import { useCall } from './useCall';

/**
 * Display names by provider slug, from a `providers` answer (undefined while it loads), for
 * providerName(). A subscription recorded under its own slug ("github-copilot") is shown by the
 * name the user typed ("GitHub Copilot") in cards, legends and filters.
 */
export function useProviderNames(data: { providers: readonly { provider: string; name: string }[] } | undefined): ReadonlyMap<string, string> {
  const subs = useCall('subscriptions', {}, { refreshOn: ['statusChanged'] });
  return useMemo(() => {
    const names = new Map<string, string>();
    // A provider of the catalogue keeps its own name even when a subscription is filed under it.
    for (const s of subs.data?.subscriptions ?? []) if (!names.has(s.provider)) names.set(s.provider, s.name);
    for (const p of data?.providers ?? []) if (p.name !== p.provider || !names.has(p.provider)) names.set(p.provider, p.name);
    return names;
  }, [data, subs.data]);
}
