import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nanoFromCentsInteger, parseUsd } from '../../../src/money';
import { classifyAnthropicKey, costRows as anthropicCostRows } from '../../../src/providers/anthropic';
import { classifyOpenAIKey, completionEvents, costRows as openaiCostRows, modelFromLineItem } from '../../../src/providers/openai';
import { activityRows } from '../../../src/providers/openrouter';
import { usdBalance } from '../../../src/providers/deepseek';
import { availableCents, creditFromTotalCents, teamIdFrom, usageRows } from '../../../src/providers/xai';
import { dailyWindow } from '../../../src/providers/util';

const DAY = 1_793_577_600; // 2026-11-02T00:00:00Z

describe('OpenAI normalisers', () => {
  it('classifies keys by shape', () => {
    expect(classifyOpenAIKey('sk-admin-abc')).toBe('admin');
    expect(classifyOpenAIKey('sk-proj-abc')).toBe('normal');
    expect(classifyOpenAIKey('sk-abc')).toBe('normal');
    expect(classifyOpenAIKey('hello')).toBe('unknown');
  });

  it('parses a model from line items that look like "model, kind" only', () => {
    expect(modelFromLineItem('gpt-5.4, input')).toBe('gpt-5.4');
    expect(modelFromLineItem('gpt-4o-mini-2024-07-18, cached input')).toBe('gpt-4o-mini-2024-07-18');
    expect(modelFromLineItem('ft:gpt-4.1-mini:acme::abc123, output')).toBe('ft:gpt-4.1-mini:acme::abc123');
    expect(modelFromLineItem('o3, output')).toBe('o3');
    expect(modelFromLineItem('web search tool calls')).toBeUndefined();
    expect(modelFromLineItem('Assistants, storage')).toBeUndefined();
    expect(modelFromLineItem(null)).toBeUndefined();
  });

  it('keeps every JSON-number amount exact (any decimal with up to 9 places and 15 digits)', () => {
    fc.assert(
      // Up to 15 significant digits (what a double round-trips) and below the $9,007,199 ceiling of Nano.
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 9 }), (raw, places) => {
        const digits = raw % (9_000_000n * 10n ** BigInt(places));
        const s = digits.toString().padStart(places + 1, '0');
        const text = places ? `${s.slice(0, -places)}.${s.slice(-places)}` : s;
        const rows = openaiCostRows({
          data: [{ start_time: DAY, end_time: DAY + 86_400, results: [{ amount: { value: Number(text), currency: 'usd' }, line_item: 'gpt-5, input' }] }],
          has_more: false,
        });
        return rows[0]!.amountNano === parseUsd(text);
      }),
    );
  });

  it('adds up results that share a bucket and grouping instead of keeping the last', () => {
    const rows = openaiCostRows({
      data: [{ start_time: DAY, end_time: DAY + 86_400, results: [
        { amount: { value: 0.1, currency: 'usd' }, line_item: 'x', project_id: 'p' },
        { amount: { value: 0.2, currency: 'usd' }, line_item: 'x', project_id: 'p' },
      ] }],
      has_more: false,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.amountNano).toBe(300_000_000);
  });

  it('refuses a non-USD currency as a config error, and counts fresh input without cache reads or writes', () => {
    expect(() => openaiCostRows({ data: [{ start_time: DAY, end_time: DAY + 86_400, results: [{ amount: { value: 1, currency: 'eur' } }] }], has_more: false })).toThrow(/EUR/);
    const [e] = completionEvents({
      data: [{ start_time: DAY, end_time: DAY + 86_400, results: [{ input_tokens: 1_000, input_cached_tokens: 600, input_cache_write_tokens: 100, output_tokens: 5, model: 'gpt-5' }] }],
      has_more: false,
    });
    expect(e).toMatchObject({ inputTokens: 300, cachedInputTokens: 600, cacheWriteTokens: 100, outputTokens: 5, model: 'gpt-5' });
  });
});

describe('Anthropic normalisers', () => {
  it('classifies keys and converts cents exactly, rounding finer than a nano half to even', () => {
    expect(classifyAnthropicKey('sk-ant-admin01-x')).toBe('admin');
    expect(classifyAnthropicKey('sk-ant-api03-x')).toBe('normal');
    const rows = anthropicCostRows({
      data: [{ starting_at: '2026-11-01T00:00:00Z', ending_at: '2026-11-02T00:00:00Z', results: [
        { amount: '123.45', currency: 'USD', description: 'a' },
        { amount: '0.00000015', currency: 'USD', description: 'b' }, // 1.5 nano → 2
        { amount: '0.00000025', currency: 'USD', description: 'c' }, // 2.5 nano → 2
        { amount: '-10', currency: 'USD', description: 'credit' },
      ] }],
      has_more: false,
    });
    expect(rows.map((r) => r.amountNano)).toEqual([1_234_500_000, 2, 2, -100_000_000]);
  });
});

describe('OpenRouter activity', () => {
  it('keeps days that start inside the window and merges endpoints of a day × model', () => {
    const row = (date: string, model: string, usage: number) => ({ date, model, usage, prompt_tokens: 1 });
    const rows = activityRows(
      [row('2026-10-31', 'm', 1), row('2026-11-01', 'm', 0.1), row('2026-11-01', 'm', 0.2), row('2026-11-02', 'n', 0.5), row('2026-11-03', 'm', 9)],
      { start: new Date('2026-11-01T08:00:00Z'), end: new Date('2026-11-03T00:00:00Z') },
    );
    expect(rows.map((r) => [r.externalId, r.amountNano])).toEqual([
      ['activity|2026-11-01|m', 300_000_000],
      ['activity|2026-11-02|n', 500_000_000],
    ]);
  });
});

describe('DeepSeek balance', () => {
  it('reads the USD entry whatever the order, and refuses CNY-only with a clear config error', () => {
    const info = (currency: string, total: string) => ({ currency, total_balance: total });
    expect(usdBalance({ is_available: true, balance_infos: [info('CNY', '1'), info('USD', '0.105')] }).usdNano).toBe(105_000_000);
    expect(() => usdBalance({ is_available: true, balance_infos: [info('CNY', '1')] })).toThrow(/CNY-only accounts/);
    // Without is_available the balance is still read.
    expect(usdBalance({ balance_infos: [info('USD', '41.27')] }).usdNano).toBe(41_270_000_000);
    // No balance listed is not a balance of $0: nothing is read, and the answer is kept aside as a note.
    const empty = usdBalance({ is_available: true, balance_infos: [] });
    expect(empty.usdNano).toBeNull();
    expect(empty.aside).toEqual([expect.objectContaining({ scope: 'balance', reason: expect.stringMatching(/balance_infos is empty/) })]);
  });
});

describe('xAI (parts unconfirmed)', () => {
  it('reads the prepaid total by one sign rule: negative is credit, positive is owed', () => {
    const c = (val: string) => ({ val });
    expect(creditFromTotalCents(-1000n)).toBe(1000n); // "-1000": $10.00 of credit
    expect(creditFromTotalCents(2500n)).toBe(-2500n); // "2500": $25.00 owed
    expect(nanoFromCentsInteger(availableCents({ total: c('-1000') }))).toBe(10_000_000_000);
    expect(nanoFromCentsInteger(availableCents({ total: c('2500') }))).toBe(-25_000_000_000);
    // With ledger entries the same rule holds: total is their signed sum.
    expect(availableCents({ changes: [{ amount: c('-5000') }, { amount: c('1830') }], total: c('-3170') })).toBe(3170n);
    expect(availableCents({ changes: [{ amount: c('-1000') }, { amount: c('1200') }], total: c('200') })).toBe(-200n);
    // The variant {currentBalance} names a balance: read as is.
    expect(availableCents({ currentBalance: c('4200') })).toBe(4200n);
  });

  it('finds a team id where third-party code does', () => {
    expect(teamIdFrom({ teamId: 't-1' })).toBe('t-1');
    expect(teamIdFrom({ scope: 'SCOPE_TEAM', scopeId: 't-2' })).toBe('t-2');
    expect(teamIdFrom({ key: { team_id: 't-3' } })).toBe('t-3');
    expect(teamIdFrom({ scope: 'SCOPE_USER', scopeId: 'u-1' })).toBeUndefined();
    expect(teamIdFrom('nope')).toBeUndefined();
  });

  it('skips zero points and keeps the window', () => {
    const rows = usageRows(
      { timeSeries: [{ group: ['grok-4.3'], dataPoints: [
        { timestamp: '2026-10-31T00:00:00Z', values: [5] },
        { timestamp: '2026-11-01T00:00:00Z', values: [0] },
        { timestamp: '2026-11-02T00:00:00Z', values: ['1.5'] },
      ] }] },
      { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-03T00:00:00Z') },
    );
    expect(rows.map((r) => [r.bucketStart.toISOString(), r.amountNano, r.model])).toEqual([['2026-11-02T00:00:00.000Z', 1_500_000_000, 'grok-4.3']]);
  });
});

describe('dailyWindow', () => {
  it('snaps the start to UTC midnight and counts the days', () => {
    expect(dailyWindow({ start: new Date('2026-11-01T13:00:00Z'), end: new Date('2026-11-03T01:00:00Z') })).toEqual({
      start: new Date('2026-11-01T00:00:00Z'),
      end: new Date('2026-11-03T01:00:00Z'),
      days: 3,
    });
  });
});
