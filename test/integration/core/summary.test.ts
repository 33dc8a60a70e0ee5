import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpendSummary, SummaryGroupBy } from '../../../src/api/contract/core';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import type { Source } from '../../../src/ledger/sources';
import { countedTotal } from '../../../src/ledger/spend';
import { addNano, formatUsd, parseUsd } from '../../../src/money';
import { fixedClock } from '../../../src/time';
import { burnrate, tempHome } from '../../helpers/cli';

// spendSummary: counted spend of a range grouped four ways. Every grouping must add up, to the
// nano-dollar, to the month total status shows for the same range, and the project grouping (the
// one that reads raw rows) must count exactly the rows the export marks counted.

const NOW = '2026-03-10T12:00:00Z';
const GROUPINGS: SummaryGroupBy[] = ['provider', 'model', 'project', 'day'];
const sumUsd = (values: readonly string[]) => formatUsd(values.map((v) => parseUsd(v)).reduce(addNano, 0));

function memoryCore(): Core {
  return openCore({ memory: true, clock: fixedClock(NOW), timeZone: 'UTC', env: {} });
}

const summarise = (core: Core, input: Record<string, unknown>) => dispatch(core, 'spendSummary', input);

function billed(core: Core, rows: { id: string; provider: string; day: string; model?: string; project?: string; usd: string }[]): void {
  core.billed.write(
    rows.map((r) => ({
      provider: r.provider,
      externalId: r.id,
      bucketStart: new Date(`${r.day}T00:00:00Z`),
      bucketEnd: new Date(Date.parse(`${r.day}T00:00:00Z`) + 86_400_000),
      ...(r.model !== undefined ? { model: r.model } : {}),
      ...(r.project !== undefined ? { project: r.project } : {}),
      amountNano: parseUsd(r.usd),
    })),
  );
}

describe('spendSummary on a ledger with every kind of source', () => {
  let core: Core;

  beforeEach(async () => {
    core = memoryCore();
    // openai: estimates on 03-02 and 03-09; 03-02 is also billed (the bill wins, its projects show).
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '0.10', project: 'alpha', id: 'e1', at: '2026-03-02T09:00:00Z' });
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '0.20', project: 'alpha', id: 'e2', at: '2026-03-09T09:00:00Z' });
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '5.00', project: 'beta', id: 'e3', at: '2026-03-02T10:00:00Z' });
    billed(core, [
      { id: 'b1', provider: 'openai', day: '2026-03-02', model: 'gpt-4o', project: 'proj_x', usd: '1.25' },
      { id: 'b2', provider: 'openai', day: '2026-03-02', model: 'gpt-4o-mini', usd: '0.000000001' },
    ]);
    // anthropic: tokens the model catalogue prices, plus a proxy row with no known price.
    await dispatch(core, 'record', { provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 1000, outputTokens: 200, project: 'beta', id: 'a1', at: '2026-03-10T08:00:00Z' });
    await dispatch(core, 'record', { provider: 'anthropic', model: 'my-finetune', inputTokens: 50, outputTokens: 5, source: 'proxy', id: 'a2', at: '2026-03-10T08:30:00Z' });
    // groq: a console reading (odometer) outranks an estimate of the same day.
    await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
    await dispatch(core, 'record', { provider: 'groq', model: 'llama-3.3-70b-versatile', cost: '9.00', project: 'gamma', id: 'g1', at: '2026-03-10T07:00:00Z' });
    await dispatch(core, 'readingAdd', { provider: 'groq', amount: '1.42', at: '2026-03-10T11:00:00Z' });
    // A subscription always counts.
    await dispatch(core, 'subscriptionAdd', { name: 'Copilot', monthly: '10', day: 1, provider: 'github', since: '2026-01-01' });
    // Outside the range: last month.
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '3.00', project: 'alpha', id: 'old', at: '2026-02-27T09:00:00Z' });
  });

  afterEach(() => core.close());

  it('adds up to status month total in every grouping, with the same events, tokens and unpriced count', async () => {
    const status = await dispatch(core, 'status', {});
    const summaries: SpendSummary[] = [];
    for (const groupBy of GROUPINGS) {
      const s = await summarise(core, { groupBy });
      summaries.push(s);
      expect(s).toMatchObject({ from: '2026-03-01', to: '2026-03-10', timezone: 'UTC', groupBy, totalUsd: status.month.spentUsd });
      expect(sumUsd(s.groups.map((g) => g.costUsd)), groupBy).toBe(status.month.spentUsd);
      expect(s.unpricedEvents, groupBy).toBe(status.unpricedEvents);
    }
    expect(status.unpricedEvents).toBe(1);
    const totals = summaries.map((s) => ({
      events: s.groups.reduce((n, g) => n + g.events, 0),
      input: s.groups.reduce((n, g) => n + g.inputTokens, 0),
      output: s.groups.reduce((n, g) => n + g.outputTokens, 0),
    }));
    for (const t of totals) expect(t).toEqual(totals[0]);
    expect(totals[0]!.input).toBe(1050);
  });

  it('by provider: each equals status\' month figure for that provider, largest first', async () => {
    const status = await dispatch(core, 'status', {});
    const s = await summarise(core, { groupBy: 'provider' });
    const monthByProvider = Object.fromEntries(status.providers.filter((p) => p.monthSpentUsd !== '0.00').map((p) => [p.provider, p.monthSpentUsd]));
    expect(Object.fromEntries(s.groups.map((g) => [g.key, g.costUsd]))).toEqual(monthByProvider);
    for (const g of s.groups) expect(g.provider).toBe(g.key);
    expect(s.groups.find((g) => g.key === 'groq')!.costUsd).toBe('1.42'); // the reading, not the $9 estimate
    const amounts = s.groups.map((g) => parseUsd(g.costUsd));
    for (let i = 1; i < amounts.length; i++) expect(amounts[i - 1]!).toBeGreaterThanOrEqual(amounts[i]!);
  });

  it('by model: per provider and model, billed models on billed days, readings and fees without a model', async () => {
    const s = await summarise(core, { groupBy: 'model' });
    expect(s.groups).toContainEqual({ key: 'gpt-4o', provider: 'openai', costUsd: '1.25', events: 1, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 });
    // 03-02's estimate (0.10) lost to the bill; 03-09's (0.20) counts; plus the billed nano-dollar.
    expect(s.groups).toContainEqual({ key: 'gpt-4o-mini', provider: 'openai', costUsd: '0.200000001', events: 2, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 });
    expect(s.groups).toContainEqual({ key: 'my-finetune', provider: 'anthropic', costUsd: '0.00', events: 1, inputTokens: 50, outputTokens: 5, unpricedEvents: 1 });
    expect(s.groups.find((g) => g.key === '' && g.provider === 'groq')).toMatchObject({ costUsd: '1.42' });
    expect(s.groups.some((g) => g.key === 'llama-3.3-70b-versatile')).toBe(false);
  });

  it('by project: only rows whose tier counts, billed projects on billed days, "" for none', async () => {
    const s = await summarise(core, { groupBy: 'project' });
    const projects = Object.fromEntries(s.groups.map((g) => [g.key, g.costUsd]));
    expect(projects.alpha).toBe('0.20'); // 03-02's 0.10 lost to the bill; February's 3.00 is out of range
    expect(projects.proj_x).toBe('1.25');
    expect(projects.beta).not.toBe(undefined);
    expect(parseUsd(projects.beta!)).toBeLessThan(parseUsd('5.00')); // the $5 estimate on the billed day is out
    expect(projects.gamma).toBe(undefined); // groq's estimate lost to the reading
    expect(s.groups.every((g) => g.provider === undefined)).toBe(true);
    // The groups hold exactly the rows the export marks counted.
    const exported = JSON.parse((await dispatch(core, 'export', { format: 'json', from: s.from, to: s.to })).content) as {
      countedTotalUsd: string;
      rows: { project: string; counted: boolean; cost_usd: string }[];
    };
    expect(exported.countedTotalUsd).toBe(s.totalUsd);
    const fromExport = new Map<string, number>();
    for (const r of exported.rows) if (r.counted && r.cost_usd !== '') fromExport.set(r.project, addNano(fromExport.get(r.project) ?? 0, parseUsd(r.cost_usd)));
    for (const g of s.groups) expect(formatUsd(fromExport.get(g.key) ?? 0), g.key).toBe(g.costUsd);
  });

  it('by day: every day of the range in date order, today matching status', async () => {
    const status = await dispatch(core, 'status', {});
    const s = await summarise(core, { groupBy: 'day' });
    expect(s.groups.map((g) => g.key)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((d) => `2026-03-${d}`));
    expect(s.groups.at(-1)!.costUsd).toBe(status.day.spentUsd);
    const today = await summarise(core, { from: '2026-03-10', to: '2026-03-10', groupBy: 'provider' });
    expect(Object.fromEntries(today.groups.map((g) => [g.key, g.costUsd]))).toEqual(
      Object.fromEntries(status.providers.filter((p) => p.todaySpentUsd !== '0.00').map((p) => [p.provider, p.todaySpentUsd])),
    );
  });

  it('defaults to this month to today, a given `to` to its own month, and refuses bad ranges with one sentence', async () => {
    expect(await summarise(core, {})).toMatchObject({ from: '2026-03-01', to: '2026-03-10', groupBy: 'provider' });
    const feb = await summarise(core, { to: '2026-02-28' });
    expect(feb).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(feb.groups).toContainEqual(expect.objectContaining({ key: 'openai', costUsd: '3.00' }));
    expect(await summarise(core, { from: '2026-02-15' })).toMatchObject({ from: '2026-02-15', to: '2026-03-10' });
    await expect(summarise(core, { from: '2026-03-10', to: '2026-03-01' })).rejects.toThrow(/^The range starts \(2026-03-10\) after it ends \(2026-03-01\)\.$/);
    await expect(summarise(core, { to: '2026-02-30' })).rejects.toThrow('Invalid input: to must be a real calendar date from 2000-01-01 to 2199-12-31, such as 2026-11-28.');
    await expect(summarise(core, { groupBy: 'week' })).rejects.toThrow('Invalid input: groupBy must be one of provider, model, project, agent, day.');
    await expect(summarise(core, { from: '2000-01-01', groupBy: 'day' })).rejects.toThrow(/at most 3660 days/);
    expect((await summarise(core, { from: '2000-01-01', groupBy: 'project' })).groups).toContainEqual(expect.objectContaining({ key: 'alpha', costUsd: '3.20' }));
  });
});

// ---- property: an oracle written from THE RULE FOR TOTALS itself ---------------------------------

const DAYS = ['2026-02-28', '2026-03-01', '2026-03-02', '2026-03-09', '2026-03-10'];
const IN_RANGE = (day: string) => day >= '2026-03-01' && day <= '2026-03-10';
const RANK: Record<string, number> = { billed: 0, odometer: 1, balance: 1, billing_api: 2, manual: 3, proxy: 3, agent_log: 3 };

const usageArb = fc.record({
  source: fc.constantFrom<Source>('manual', 'proxy', 'agent_log', 'billing_api', 'odometer', 'balance', 'subscription'),
  provider: fc.constantFrom('openai', 'groq', 'anthropic'),
  day: fc.constantFrom(...DAYS),
  model: fc.constantFrom('m-a', 'm-b', ''),
  project: fc.constantFrom('alpha', 'beta', ''),
  inputTokens: fc.nat({ max: 1_000_000 }),
  outputTokens: fc.nat({ max: 1_000_000 }),
  // Amounts with all nine decimals in play; null is a model with no known price.
  cost: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000_000_000 })), { freq: 4 }),
});
const billedArb = fc.record({
  provider: fc.constantFrom('openai', 'groq', 'anthropic'),
  day: fc.constantFrom(...DAYS),
  model: fc.constantFrom('m-a', ''),
  project: fc.constantFrom('alpha', 'proj_x', ''),
  cost: fc.integer({ min: 0, max: 1_000_000_000_000 }),
});

interface OracleRow {
  tier: string;
  provider: string;
  day: string;
  model: string;
  project: string;
  cost: number;
  unpriced: boolean;
  input: number;
  output: number;
}

function expectedGroups(rows: OracleRow[], groupBy: SummaryGroupBy) {
  const best = new Map<string, number>();
  for (const r of rows) {
    if (r.tier === 'subscription') continue;
    const k = `${r.day}|${r.provider}`;
    best.set(k, Math.min(best.get(k) ?? Infinity, RANK[r.tier]!));
  }
  const groups = new Map<string, { key: string; provider?: string; cost: bigint; events: number; input: number; output: number; unpriced: number }>();
  if (groupBy === 'day') for (let i = 1; i <= 10; i++) groups.set(`2026-03-${String(i).padStart(2, '0')}`, { key: `2026-03-${String(i).padStart(2, '0')}`, cost: 0n, events: 0, input: 0, output: 0, unpriced: 0 });
  let unpriced = 0;
  for (const r of rows) {
    if (!IN_RANGE(r.day)) continue;
    if (r.tier !== 'subscription' && RANK[r.tier] !== best.get(`${r.day}|${r.provider}`)) continue;
    const key = groupBy === 'provider' ? r.provider : groupBy === 'model' ? r.model : groupBy === 'project' ? r.project : r.day;
    const provider = groupBy === 'provider' || groupBy === 'model' ? r.provider : undefined;
    const id = `${provider ?? ''}|${key}`;
    const g = groups.get(groupBy === 'day' ? key : id) ?? { key, ...(provider !== undefined ? { provider } : {}), cost: 0n, events: 0, input: 0, output: 0, unpriced: 0 };
    g.cost += BigInt(r.cost);
    g.events += 1;
    g.input += r.input;
    g.output += r.output;
    if (r.unpriced) g.unpriced++;
    groups.set(groupBy === 'day' ? key : id, g);
    if (r.unpriced) unpriced++;
  }
  let list = [...groups.values()];
  if (groupBy !== 'day') {
    list = list.sort((a, b) => (a.cost === b.cost ? a.key.localeCompare(b.key) || (a.provider ?? '').localeCompare(b.provider ?? '') : a.cost > b.cost ? -1 : 1));
  }
  return {
    total: formatUsd(Number(list.reduce((s, g) => s + g.cost, 0n))),
    unpriced,
    groups: list.map((g) => ({
      key: g.key,
      ...(g.provider !== undefined ? { provider: g.provider } : {}),
      costUsd: formatUsd(Number(g.cost)),
      events: g.events,
      inputTokens: g.input,
      outputTokens: g.output,
      unpricedEvents: g.unpriced,
    })),
  };
}

describe('spendSummary (property)', () => {
  it('every grouping equals an oracle of the rule, and status, countedTotal and the export agree with it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(usageArb, { maxLength: 25 }), fc.array(billedArb, { maxLength: 6 }), async (usage, bills) => {
        const core = memoryCore();
        try {
          core.usage.write(
            usage.map((u, i) => ({
              source: u.source,
              provider: u.provider,
              externalId: `u${i}`,
              model: u.model,
              project: u.project,
              inputTokens: u.inputTokens,
              outputTokens: u.outputTokens,
              occurredAt: new Date(`${u.day}T12:00:00Z`),
              ...(u.cost !== null ? { costNano: u.cost } : {}),
            })),
          );
          billed(core, bills.map((b, i) => ({ id: `b${i}`, provider: b.provider, day: b.day, model: b.model, project: b.project, usd: formatUsd(b.cost) })));
          const rows: OracleRow[] = [
            ...usage.map((u) => ({ tier: u.source, provider: u.provider, day: u.day, model: u.model, project: u.project, cost: u.cost ?? 0, unpriced: u.cost === null, input: u.inputTokens, output: u.outputTokens })),
            ...bills.map((b) => ({ tier: 'billed', provider: b.provider, day: b.day, model: b.model, project: b.project, cost: b.cost, unpriced: false, input: 0, output: 0 })),
          ];
          const status = await dispatch(core, 'status', {});
          expect(status.month.spentUsd).toBe(formatUsd(countedTotal(core.db, '2026-03-01', '2026-03-10')));
          for (const groupBy of GROUPINGS) {
            const s = await summarise(core, { groupBy });
            const expected = expectedGroups(rows, groupBy);
            expect(s.groups, groupBy).toEqual(expected.groups);
            expect(s.totalUsd, groupBy).toBe(expected.total);
            expect(s.totalUsd, groupBy).toBe(status.month.spentUsd);
            expect(s.unpricedEvents, groupBy).toBe(expected.unpriced);
          }
          const exported = JSON.parse((await dispatch(core, 'export', { format: 'json', from: '2026-03-01', to: '2026-03-10' })).content) as { countedTotalUsd: string };
          expect(exported.countedTotalUsd).toBe(status.month.spentUsd);
        } finally {
          core.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

// ---- the CLI ------------------------------------------------------------------------------------

describe('burnrate summary', () => {
  const home = tempHome('burnrate-summary-');
  const env = { BURNRATE_HOME: home, BURNRATE_NOW: '2026-11-11T12:00:00Z', TZ: 'UTC' };
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('prints the summary as one JSON document or a table, and refuses a bad --by with exit code 2', () => {
    for (const args of [
      ['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', '0.10', '--project', 'alpha', '--at', '2026-11-02T10:00:00Z'],
      ['record', '--provider', 'anthropic', '--model', 'claude-sonnet-4-5', '--cost', '0.000075', '--at', '2026-11-11T10:00:00Z'],
    ]) {
      expect(burnrate(args, env).code).toBe(0);
    }
    const json = burnrate(['summary', '--by', 'project', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toEqual({
      from: '2026-11-01',
      to: '2026-11-11',
      timezone: 'UTC',
      groupBy: 'project',
      totalUsd: '0.100075',
      groups: [
        { key: 'alpha', costUsd: '0.10', events: 1, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 },
        { key: '', costUsd: '0.000075', events: 1, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 },
      ],
      unpricedEvents: 0,
    });
    expect(burnrate(['status', '--json'], env).json().month.spentUsd).toBe('0.100075');

    const human = burnrate(['summary', '--from', '2026-11-02', '--to', '2026-11-02'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Spend 2026-11-02 to 2026-11-02 (UTC) by provider: $0.10');
    expect(human.stdout).toMatch(/openai\s+\$0\.10\s+1\s+0\s+0/);
    expect(human.stdout).not.toContain('anthropic');

    // A group whose events have no known price is "unpriced", never $0.00; a mixed one says how many lack one.
    // (The proxy's rows: record refuses a model without a price.)
    const proxyRows = openCore({ home, timeZone: 'UTC' });
    proxyRows.usage.write(
      [['u1', 'openai', 'my-finetune', 1000], ['u2', 'openai', 'my-finetune', 1000], ['u3', 'openai', 'gpt-4o-mini', 1000], ['u4', 'groq', 'my-groq-tune', 10]].map(([id, provider, model, input]) => ({
        source: 'proxy' as const, provider: provider as string, externalId: id as string, model: model as string, inputTokens: input as number, outputTokens: 0, occurredAt: new Date('2026-11-03T10:00:00Z'),
      })),
    );
    proxyRows.close();
    const byModel = burnrate(['summary', '--by', 'model', '--from', '2026-11-03', '--to', '2026-11-03'], env);
    expect(byModel.stdout).toMatch(/openai\s+my-finetune\s+unpriced\s+2\s+2000\s+0/);
    expect(byModel.stdout).toMatch(/groq\s+my-groq-tune\s+unpriced\s+1\s+10\s+0/);
    const byProvider = burnrate(['summary', '--by', 'provider', '--from', '2026-11-03', '--to', '2026-11-03'], env);
    expect(byProvider.stdout).toMatch(/openai\s+\$0\.00015 \+ 2 unpriced\s+3\s+3000\s+0/);
    expect(burnrate(['summary', '--by', 'model', '--from', '2026-11-03', '--to', '2026-11-03', '--json'], env).json().groups).toContainEqual({ key: 'my-finetune', provider: 'openai', costUsd: '0.00', events: 2, inputTokens: 2000, outputTokens: 0, unpricedEvents: 2 });

    // A name that would reach the terminal as an escape sequence when summary prints it is refused.
    const escape = burnrate(['record', '--provider', 'openai', '--model', 'gpt\u001b[2J', '--cost', '1'], env);
    expect([escape.code, escape.stderr.trim()]).toEqual([2, 'burnrate: Invalid input: model must not hold control characters (such as line breaks or escape sequences).']);

    const bad = burnrate(['summary', '--by', 'week'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('groupBy must be one of provider, model, project, agent, day.');
    expect(bad.stdout).toBe('');
  });
});
