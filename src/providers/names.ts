import type { LedgerDb } from '../model/ports';
import { filedUnderOwnName } from '../model/provider-slug';
import { displayName, providerInfo } from './catalog';

/**
 * The one name people read for a provider, in every sentence the server writes (attention items,
 * alerts, notifications, errors, reports). A subscription filed under its own slug
 * ("github-copilot") is named as the user typed it ("GitHub Copilot"), as the window names it
 * (renderer useProviderNames); a provider of the catalogue keeps its own name even when a
 * subscription is filed under it, and so does one a subscription was filed under by a typed name
 * (通义千问 under qwen: "Qwen", whatever its subscriptions are called); anything else falls back to
 * displayName.
 */
export type ProviderNamer = (slug: string) => string;

interface NamedSubscription {
  provider: string;
  name: string;
}

/** A namer from subscriptions already in hand, in the order the subscriptions list shows them (the first one names its slug). */
export function namerOf(subscriptions: readonly NamedSubscription[]): ProviderNamer {
  const typed = new Map<string, string>();
  for (const s of subscriptions) if (filedUnderOwnName(s) && !typed.has(s.provider)) typed.set(s.provider, s.name);
  return (slug) => (providerInfo(slug) ? displayName(slug) : (typed.get(slug) ?? displayName(slug)));
}

/** The namer of one ledger: reads its subscriptions once (active first, then by name, as listed). */
export function providerNamer(db: LedgerDb): ProviderNamer {
  const rows = db.prepare('SELECT provider, name FROM subscriptions ORDER BY ended_on IS NOT NULL, name, id').all() as NamedSubscription[];
  return namerOf(rows);
}
