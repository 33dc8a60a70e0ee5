import type { Core } from '../model/context';

export interface UnpricedModel {
  provider: string;
  model: string;
  /** Usage rows of this model kept without a price (in no total, never $0). */
  events: number;
  lastSeenAt: string;
}

export interface UnpricedModelList {
  models: UnpricedModel[];
}

/**
 * The models whose usage has no known price, most rows first: what the "unpriced usage" warning is
 * about, so the window can offer a price for each by name. Setting one reprices these rows.
 */
export function unpricedModels(core: Core, provider?: string): UnpricedModelList {
  const rows = core.db
    .prepare(
      `SELECT provider, model, COUNT(*) AS events, MAX(occurred_at) AS lastSeenAt FROM usage_events
       WHERE cost_origin = 'unpriced' AND (? IS NULL OR provider = ?)
       GROUP BY provider, model ORDER BY events DESC, provider, model`,
    )
    .all(provider ?? null, provider ?? null) as UnpricedModel[];
  return { models: rows };
}
