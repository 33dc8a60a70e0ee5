import { useMemo } from 'react';
import { filedUnderOwnName } from '../../../src/model/provider-slug';
import { providerChoices } from '../components/providers';
import { useCall } from './useCall';

/**
 * The subscriptions filed under their own name ("GitHub Copilot" as github-copilot): their slug and
 * the name the user typed (undefined while the list loads). One filed under a provider, picked or
 * typed (Claude Pro under anthropic, 通义千问 under qwen), is not among them: that slug names a provider.
 */
function useOwnSubscriptionNames(): ReadonlyMap<string, string> | undefined {
  const subs = useCall('subscriptions', {}, { refreshOn: ['statusChanged'] });
  return useMemo(() => {
    if (!subs.data) return undefined;
    const own = new Map<string, string>();
    for (const s of subs.data.subscriptions) if (filedUnderOwnName(s) && !own.has(s.provider)) own.set(s.provider, s.name);
    return own;
  }, [subs.data]);
}

function namesOf(data: { providers: readonly { provider: string; name: string }[] } | undefined, own: ReadonlyMap<string, string> | undefined): ReadonlyMap<string, string> {
  const names = new Map<string, string>(own ?? []);
  // A provider of the catalogue keeps its own name.
  for (const p of data?.providers ?? []) if (p.name !== p.provider || !names.has(p.provider)) names.set(p.provider, p.name);
  return names;
}

/**
 * Display names by provider slug, from a `providers` answer (undefined while it loads), for
 * providerName(). A subscription recorded under its own slug ("github-copilot") is shown by the
 * name the user typed ("GitHub Copilot") in cards, legends and filters.
 */
export function useProviderNames(data: { providers: readonly { provider: string; name: string }[] } | undefined): ReadonlyMap<string, string> {
  const own = useOwnSubscriptionNames();
  return useMemo(() => namesOf(data, own), [data, own]);
}

/**
 * The `providers` answer, its display names, and the providers a form offers by name
 * (providerChoices; undefined while it loads): the one list the Prices form and the Subscriptions
 * card both pick from.
 */
export function useProviderChoices() {
  const providers = useCall('providers', {}, { refreshOn: ['statusChanged'] });
  const own = useOwnSubscriptionNames();
  const names = useMemo(() => namesOf(providers.data, own), [providers.data, own]);
  const choices = useMemo(() => (providers.data ? providerChoices(providers.data.providers, names, own) : undefined), [providers.data, names, own]);
  return { providers, names, choices };
}
