/**
 * Replayed data for reconciliation tests: billed days as a provider sync writes them (buckets of a
 * UTC day, amounts exact to the nano from the providers' own text), plus the estimates a user or a
 * usage API recorded for the same days. The hand calculations in the tests refer to this data and
 * follow THE RULE FOR TOTALS: billed > readings > reported (api_usage) > estimates (manual, proxy,
 * agent_log), one tier per provider and day; subscriptions always count.
 *
 * Clock: 2026-03-10T12:00:00Z, zone UTC, so the last complete day is 2026-03-09.
 */
import type { Core } from '../../../src/app/open';
import type { BilledCostInput } from '../../../src/ledger/billed';
import type { UsageEventInput } from '../../../src/ledger/usage';
import { parseCents, parseUsd, usdFromJsonNumber } from '../../../src/money';

export const NOW = '2026-03-10T12:00:00Z';

const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);
const dayEnd = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

/** Anthropic's cost report: amounts are decimal strings in cents. */
export function anthropicBilled(day: string, model: string, cents: string): BilledCostInput {
  return {
    provider: 'anthropic',
    externalId: `cost_report|${dayStart(day).toISOString()}|${model}`,
    bucketStart: dayStart(day),
    bucketEnd: dayEnd(day),
    model,
    amountNano: parseCents(cents),
    metadata: { currency: 'USD' },
  };
}

/** OpenAI's costs API: amounts are JSON numbers in USD. */
export function openaiBilled(day: string, lineItem: string, value: number): BilledCostInput {
  return {
    provider: 'openai',
    externalId: `costs|${dayStart(day).toISOString()}|${lineItem}`,
    bucketStart: dayStart(day),
    bucketEnd: dayEnd(day),
    model: lineItem.split(',')[0]!.trim(),
    lineItem,
    amountNano: usdFromJsonNumber(value),
  };
}

/** Token usage from a provider's usage API (stored as billing_api events, rolled up as api_usage). */
export function usageApi(provider: string, day: string, model: string, usd: string, inputTokens: number, outputTokens: number): UsageEventInput {
  return {
    source: 'billing_api',
    provider,
    externalId: `usage|${dayStart(day).toISOString()}|${model}`,
    model,
    inputTokens,
    outputTokens,
    costNano: parseUsd(usd),
    occurredAt: dayStart(day),
  };
}

export function estimate(source: 'manual' | 'proxy' | 'agent_log' | 'odometer' | 'balance' | 'subscription', provider: string, at: string, usd: string, id: string): UsageEventInput {
  return { source, provider, externalId: id, model: source === 'odometer' || source === 'balance' || source === 'subscription' ? '' : 'some-model', costNano: parseUsd(usd), occurredAt: new Date(at) };
}

export const BILLED: BilledCostInput[] = [
  // anthropic 2026-03-06: 1287.504 + 12.5 cents = $12.87504 + $0.125 = $13.00004
  anthropicBilled('2026-03-06', 'claude-sonnet-4', '1287.504'),
  anthropicBilled('2026-03-06', 'claude-haiku-4', '12.5'),
  // anthropic 2026-03-07: 2000 cents = $20.00
  anthropicBilled('2026-03-07', 'claude-sonnet-4', '2000'),
  // anthropic 2026-03-08: 850.25 cents = $8.5025 (no estimate that day)
  anthropicBilled('2026-03-08', 'claude-sonnet-4', '850.25'),
  // openai 2026-03-07: 4.56 + 1.2345678 = $5.7945678
  openaiBilled('2026-03-07', 'gpt-4o, input', 4.56),
  openaiBilled('2026-03-07', 'gpt-4o, output', 1.2345678),
  // openai 2026-03-08: $3.00
  openaiBilled('2026-03-08', 'gpt-4o, input', 3),
];

export const ESTIMATES: UsageEventInput[] = [
  // anthropic 2026-03-06: usage API 12.10 + 0.11 = $12.21 (reported), plus a manual record $0.40
  // (estimates) for a request the usage API also saw: $12.21 counts without a bill, never $12.61
  usageApi('anthropic', '2026-03-06', 'claude-sonnet-4', '12.10', 4_000_000, 10_000),
  usageApi('anthropic', '2026-03-06', 'claude-haiku-4', '0.11', 100_000, 2_000),
  estimate('manual', 'anthropic', '2026-03-06T15:00:00Z', '0.40', 'm-anthropic-1'),
  // anthropic 2026-03-07: usage API $21.00 (reported)
  usageApi('anthropic', '2026-03-07', 'claude-sonnet-4', '21.00', 7_000_000, 3_000),
  // anthropic 2026-03-09: no bill yet, a manual record of $3.00 counts
  estimate('manual', 'anthropic', '2026-03-09T09:00:00Z', '3.00', 'm-anthropic-2'),
  // openai 2026-03-07: an odometer-like derivation $5.00 (readings) and proxy logs $6.00 (estimates)
  estimate('odometer', 'openai', '2026-03-07T00:00:00Z', '5.00', 'odo-openai-2026-03-07'),
  estimate('proxy', 'openai', '2026-03-07T10:00:00Z', '6.00', 'proxy-openai-1'),
  // openai 2026-03-08: proxy logs $2.85
  estimate('proxy', 'openai', '2026-03-08T10:00:00Z', '2.85', 'proxy-openai-2'),
  // groq (odometer only, never billed) 2026-03-08: $1.10
  estimate('odometer', 'groq', '2026-03-08T00:00:00Z', '1.10', 'odo-groq-2026-03-08'),
  // a flat subscription always counts
  estimate('subscription', 'chatgpt-plus', '2026-03-01T00:00:00Z', '20.00', 'sub-chatgpt-plus-2026-03'),
];

/** Write the replayed data as the sync and the record command would, telling the core each time. */
export function replay(core: Core, options: { billed?: boolean } = {}): void {
  const u = core.usage.write(ESTIMATES);
  core.spendChanged('test-estimates', u.touched);
  if (options.billed !== false) {
    const b = core.billed.write(BILLED);
    core.spendChanged('test-billed', b.touched);
  }
}
