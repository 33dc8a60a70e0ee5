import { useMemo } from 'react';
import { providerChoices } from '../components/providers';
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

/**
 * The `providers` answer, its display names, and the providers a form offers by name
 * (providerChoices; undefined while it loads): the one list the Prices form and the Subscriptions
 * card both pick from.
 */
export function useProviderChoices() {
  const providers = useCall('providers', {}, { refreshOn: ['statusChanged'] });
  const names = useProviderNames(providers.data);
  const choices = useMemo(() => (providers.data ? providerChoices(providers.data.providers, names) : undefined), [providers.data, names]);
  return { providers, names, choices };
}
