import { describe, expect, it } from 'vitest';
import { COLUMNS, rowOfValues, shapeRowValues, V, type PriceLookup } from '../../../src/ledger/usage-row';

/**
 * The row's columns are spelled in several places (COLUMNS, the positions V the write path reads,
 * rowOfValues, shapeRowValues): a swap among them would compile and file input tokens as output.
 * These tie each to the column names.
 */

const COLUMN_OF_V: Record<keyof typeof V, (typeof COLUMNS)[number]> = {
  source: 'source', provider: 'provider', externalId: 'external_id', model: 'model', input: 'input_tokens', output: 'output_tokens',
  cached: 'cached_input_tokens', cacheWrite: 'cache_write_tokens', inputPrice: 'input_price', outputPrice: 'output_price',
  cachedPrice: 'cached_input_price', cacheWritePrice: 'cache_write_price', costIn: 'cost_input_nano', costOut: 'cost_output_nano',
  costTotal: 'cost_total_nano', costOrigin: 'cost_origin', occurredAt: 'occurred_at', localDay: 'local_day', recordedAt: 'recorded_at',
};

// A price table with a distinct price per kind of token, so a swapped price shows.
const prices: PriceLookup = { priceFor: () => ({ input: 3_000_000_000, output: 15_000_000_000, cachedInput: 300_000_000, cacheWrite: 3_750_000_000 }) };

describe('usage row values', () => {
  it('each position the write path reads is the column it names', () => {
    for (const [name, column] of Object.entries(COLUMN_OF_V)) expect([name, COLUMNS[V[name as keyof typeof V]]]).toEqual([name, column]);
  });

  it('a shaped event puts each figure in its own column, and the object and array forms agree', () => {
    const at = new Date('2026-11-30T23:30:00Z');
    const values = shapeRowValues(
      { source: 'agent_log', provider: 'anthropic', account: 'acct', externalId: 'msg_1', model: 'claude-sonnet-4-5', project: 'p', inputTokens: 11, outputTokens: 22, cachedInputTokens: 33, cacheWriteTokens: 44, occurredAt: at, metadata: { agent: 'claude-code' } },
      prices,
      'Pacific/Kiritimati',
      '2026-12-02T00:00:00.000Z',
    );
    const row = rowOfValues(values);
    expect(row).toMatchObject({
      source: 'agent_log', provider: 'anthropic', account: 'acct', external_id: 'msg_1', model: 'claude-sonnet-4-5', project: 'p',
      input_tokens: 11, output_tokens: 22, cached_input_tokens: 33, cache_write_tokens: 44, total_tokens: 110,
      input_price: 3_000_000_000, output_price: 15_000_000_000, cached_input_price: 300_000_000, cache_write_price: 3_750_000_000,
      cost_output_nano: 330_000, cost_origin: 'catalogue', occurred_at: '2026-11-30T23:30:00.000Z', local_day: '2026-12-01',
      metadata: '{"agent":"claude-code"}', recorded_at: '2026-12-02T00:00:00.000Z',
    });
    // 11 × $3 + 33 × $0.30 + 44 × $3.75 per million tokens, in nano-USD.
    expect(row.cost_input_nano).toBe(33_000 + 9_900 + 165_000);
    expect(row.cost_total_nano).toBe(33_000 + 9_900 + 165_000 + 330_000);
    expect(COLUMNS.map((column) => row[column])).toEqual(values);
  });
});
