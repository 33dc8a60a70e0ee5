/**
 * Where a ledger row came from, and which sources win for a provider's day.
 *
 * THE RULE FOR TOTALS (docs/ledger.md): for each provider and local day, the figure that counts is
 * the highest tier that has any row for that day:
 *   1. billed      — the provider's billing API (billing_api)
 *   2. readings    — derived from the provider's own console figures (odometer, balance)
 *   3. reported    — token usage the provider's usage API reported, priced from our catalogue
 *                    (api_usage). It sees every request a proxy or agent log sees, so it outranks them.
 *   4. estimates   — our own counts (manual, proxy, agent_log)
 * Lower tiers are kept, shown apart and used for drift; they are never added on top.
 * Subscriptions are flat fees for products of their own and always count.
 */
import { SOURCES, type Source } from '../model/ledger';

export { SOURCES, type Source };

export type Tier = 'billed' | 'readings' | 'reported' | 'estimates' | 'subscription';

/**
 * The source a row is filed under in the daily read model. Token counts that a provider's *usage*
 * API reports (OpenAI usage/completions, Anthropic usage_report) are stored as billing_api events
 * but priced from our catalogue, so they are an estimate: they roll up as 'api_usage', below the
 * billed figures of billed_costs, and are what drift is measured on.
 */
export function rollupSourceOfEvent(source: Source): string {
  return source === 'billing_api' ? 'api_usage' : source;
}

export function tierOf(source: Source | string): Tier {
  switch (source) {
    case 'billing_api':
      return 'billed';
    case 'odometer':
    case 'balance':
      return 'readings';
    case 'subscription':
      return 'subscription';
    case 'api_usage':
      return 'reported';
    default:
      return 'estimates';
  }
}

/** Lower is stronger. Subscription is outside the ranking (always counted). */
export const TIER_RANK: Record<Exclude<Tier, 'subscription'>, number> = { billed: 0, readings: 1, reported: 2, estimates: 3 };

export function isSource(value: string): value is Source {
  return (SOURCES as readonly string[]).includes(value);
}
