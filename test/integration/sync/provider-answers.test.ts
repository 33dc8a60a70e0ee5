import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../../helpers/cli';
import { startFakeServer, type FakeServer } from '../../fixtures/servers/common';
import { OPENROUTER_DOCUMENTED, OPENROUTER_MANAGEMENT_KEY, startOpenRouterServer } from '../../fixtures/servers/openrouter';
import { burnrateAsync } from './helpers/run-cli';

/**
 * Provider answers as they really come (issue 13), replayed through the real `burnrate sync` from
 * test/fixtures/provider-answers (see its README for where each shape comes from).
 */

const ANSWERS = path.join(__dirname, '../../fixtures/provider-answers');
const answer = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(ANSWERS, file), 'utf8'));

/** A local server that answers each path with the body set for it (any method), 404 otherwise. */
let replay: FakeServer;
const routes = new Map<string, unknown>();
let home: string;

interface ProviderRow {
  provider: string;
  monthSpentUsd: string;
  mode: string;
  balanceUsd: string | null;
  runwayDays: number | null;
  unreadableRows: number;
  byokMonthUsd: string | null;
}
interface StatusDoc {
  providers: ProviderRow[];
  attention: { kind: string; provider?: string; message: string; severity: string }[];
  unreadableRows: number;
}

function env(now: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    BURNRATE_HOME: home,
    BURNRATE_NOW: now,
    TZ: 'UTC',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/burnrate-test-bus',
    ...extra,
  };
}

async function json<T>(args: string[], e: Record<string, string | undefined>): Promise<T> {
  const run = await burnrateAsync([...args, '--json'], e);
  expect(run.stderr, `${args.join(' ')}: ${run.stderr}`).toBe('');
  expect(run.code).toBe(0);
  return run.json<T>();
}

const providerOf = (s: StatusDoc, slug: string) => s.providers.find((p) => p.provider === slug)!;

beforeAll(async () => {
  replay = await startFakeServer({
    errorBody: (_status, message) => ({ error: { message } }),
    handle: (req) => (routes.has(req.path) ? { status: 200, body: routes.get(req.path) } : undefined),
  });
});
afterAll(async () => {
  await replay.close();
});
beforeEach(() => {
  home = tempHome('burnrate-answers-');
  routes.clear();
  replay.requests.length = 0;
});

describe('provider answers as they really come, through burnrate sync', () => {
  it('OpenAI: a string amount lands, rows without a readable amount are kept aside and reported, keys test passes', async () => {
    // The fixture's bucket is 2026-11-02 (providers.md's example timestamp 1793577600).
    routes.set('/v1/organization/costs', answer('openai-costs-mixed.json'));
    routes.set('/v1/organization/usage/completions', answer('openai-completions-empty.json'));
    const e = env('2026-11-02T20:00:00Z', { BURNRATE_OPENAI_BASE_URL: replay.url, BURNRATE_OPENAI_KEY: 'sk-admin-TESTanswers0123456789' });

    const sync = await json<{ runs: { outcome: string; unreadable: number; message: string }[] }>(['sync', 'openai'], e);
    expect(sync.runs[0]).toMatchObject({ outcome: 'ok', unreadable: 2 });
    expect(sync.runs[0]!.message).toMatch(/2 rows of OpenAI's answer could not be read and were kept aside/);

    const status = await json<StatusDoc>(['status'], e);
    // 4.8213 + 2.25 ("2.25" as a string) + 0.75: the odd rows are neither $0 nor a refusal.
    expect(providerOf(status, 'openai')).toMatchObject({ monthSpentUsd: '7.8213', unreadableRows: 2 });
    expect(status.unreadableRows).toBe(2);
    const item = status.attention.find((a) => a.kind === 'unreadable');
    expect(item).toMatchObject({ provider: 'openai', severity: 'warning' });
    expect(item!.message).toMatch(/2 rows of OpenAI's answers could not be read .*Amount is missing/);

    // A line item without a model keeps its name: no nameless bucket in summary --by model.
    const summary = await json<{ groups: { key: string; costUsd: string }[] }>(['summary', '--by', 'model', '--from', '2026-11-02', '--to', '2026-11-02'], e);
    expect(summary.groups.map((g) => g.key).sort()).toEqual(['Text tokens', 'gpt-5.4']);
    expect(summary.groups.find((g) => g.key === 'Text tokens')!.costUsd).toBe('0.75');

    const test = await json<{ ok: boolean; kind: string }>(['keys', 'test', 'openai'], e);
    expect(test).toMatchObject({ ok: true, kind: 'admin' });

    // The provider fixes the rows: the next sync of that bucket clears what was kept aside.
    const fixed = answer('openai-costs-mixed.json') as { data: { results: Record<string, unknown>[] }[] };
    fixed.data[0]!.results = fixed.data[0]!.results.slice(0, 3);
    routes.set('/v1/organization/costs', fixed);
    await json(['sync', 'openai'], e);
    const after = await json<StatusDoc>(['status'], e);
    expect(after.unreadableRows).toBe(0);
    expect(after.attention.some((a) => a.kind === 'unreadable')).toBe(false);
  });

  it('OpenAI: a page whose envelope is wrong is refused whole with the field named', async () => {
    routes.set('/v1/organization/costs', { object: 'page', data: [{ start_time: 'yesterday', end_time: 1793664000, results: [] }], has_more: false });
    const e = env('2026-11-02T20:00:00Z', { BURNRATE_OPENAI_BASE_URL: replay.url, BURNRATE_OPENAI_KEY: 'sk-admin-TESTanswers0123456789' });
    const sync = await burnrateAsync(['sync', 'openai', '--json'], e);
    expect(sync.code).not.toBe(0);
    expect(sync.stderr).toMatch(/not the costs page in its documented shape \(data\.0\.start_time is \\"yesterday\\", not a number\)/);
  });

  it('Anthropic: an amount as a JSON number of cents is read exactly; a line without a model keeps its name', async () => {
    routes.set('/v1/organizations/cost_report', answer('anthropic-cost-number.json'));
    routes.set('/v1/organizations/usage_report/messages', answer('anthropic-usage-empty.json'));
    const e = env('2026-11-01T20:00:00Z', { BURNRATE_ANTHROPIC_BASE_URL: replay.url, BURNRATE_ANTHROPIC_KEY: 'sk-ant-admin01-TESTanswers0123' });
    const sync = await json<{ runs: { outcome: string; unreadable: number }[] }>(['sync', 'anthropic'], e);
    expect(sync.runs[0]).toMatchObject({ outcome: 'ok', unreadable: 0 });
    const status = await json<StatusDoc>(['status'], e);
    // 1287.504 cents + "45.5" cents = $12.87504 + $0.455.
    expect(providerOf(status, 'anthropic').monthSpentUsd).toBe('13.33004');
    const summary = await json<{ groups: { key: string }[] }>(['summary', '--by', 'model', '--from', '2026-11-01', '--to', '2026-11-01'], e);
    expect(summary.groups.map((g) => g.key).sort()).toEqual(['Code Execution Usage', 'claude-sonnet-4-6']);
  });

  it('DeepSeek: an answer without is_available is read; an empty balance_infos is reported, not $0', async () => {
    routes.set('/user/balance', answer('deepseek-balance-no-is-available.json'));
    const e = env('2026-11-01T20:00:00Z', { BURNRATE_DEEPSEEK_BASE_URL: replay.url, BURNRATE_DEEPSEEK_KEY: 'sk-TESTdeepseek0123456789' });
    expect((await json<{ runs: { outcome: string }[] }>(['sync', 'deepseek'], e)).runs[0]!.outcome).toBe('ok');
    expect(providerOf(await json<StatusDoc>(['status'], e), 'deepseek').balanceUsd).toBe('41.27');
    expect(await json<{ ok: boolean }>(['keys', 'test', 'deepseek'], e)).toMatchObject({ ok: true });

    routes.set('/user/balance', answer('deepseek-balance-empty-infos.json'));
    const later = env('2026-11-02T08:00:00Z', { BURNRATE_DEEPSEEK_BASE_URL: replay.url, BURNRATE_DEEPSEEK_KEY: 'sk-TESTdeepseek0123456789' });
    expect((await json<{ runs: { outcome: string; unreadable: number }[] }>(['sync', 'deepseek'], later)).runs[0]).toMatchObject({ outcome: 'ok', unreadable: 1 });
    const status = await json<StatusDoc>(['status'], later);
    // The last balance read stays the balance: an empty list is not a drop to $0.
    expect(providerOf(status, 'deepseek')).toMatchObject({ balanceUsd: '41.27', unreadableRows: 1 });
    expect(status.attention.find((a) => a.kind === 'unreadable')!.message).toMatch(/balance_infos is empty/);
    expect(await json<{ ok: boolean }>(['keys', 'test', 'deepseek'], later)).toMatchObject({ ok: true });
  });

  it('xAI: limitReached lands what came with a note; a positive total is money owed, shown in API mode', async () => {
    routes.set('/v1/billing/teams/t-answers/prepaid/balance', answer('xai-balance-owed.json'));
    routes.set('/v1/billing/teams/t-answers/usage', answer('xai-usage-limit-reached.json'));
    const e = env('2026-11-01T20:00:00Z', { BURNRATE_XAI_BASE_URL: replay.url, BURNRATE_XAI_KEY: 'xai-mgmt-TESTanswers0123456789', BURNRATE_XAI_TEAM_ID: 't-answers' });
    const sync = await json<{ runs: { outcome: string; unreadable: number }[] }>(['sync', 'xai'], e);
    expect(sync.runs[0]).toMatchObject({ outcome: 'ok', unreadable: 1 });
    const status = await json<StatusDoc>(['status'], e);
    expect(providerOf(status, 'xai')).toMatchObject({ mode: 'api', monthSpentUsd: '1.25', balanceUsd: '-25.00', runwayDays: 0, unreadableRows: 1 });
    expect(status.attention.find((a) => a.kind === 'runway' && a.provider === 'xai')!.message).toMatch(/\$25\.00 is owed/);
    const budget = await json<{ runway: { provider: string; balanceUsd: string; days: number | null }[] }>(['budget', 'show'], e);
    expect(budget.runway).toContainEqual(expect.objectContaining({ provider: 'xai', balanceUsd: '-25.00', days: 0 }));

    routes.set('/v1/billing/teams/t-answers/prepaid/balance', answer('xai-balance-credit.json'));
    await json(['sync', 'xai'], env('2026-11-01T21:00:00Z', { BURNRATE_XAI_BASE_URL: replay.url, BURNRATE_XAI_KEY: 'xai-mgmt-TESTanswers0123456789', BURNRATE_XAI_TEAM_ID: 't-answers' }));
    expect(providerOf(await json<StatusDoc>(['status'], env('2026-11-01T21:00:00Z')), 'xai').balanceUsd).toBe('10.00');
  });

  it('OpenRouter ordinary key: the month total always equals usage_monthly, days between syncs derived; BYOK apart', async () => {
    routes.set('/api/v1/key', answer('openrouter-key-ordinary.json'));
    const key = { BURNRATE_OPENROUTER_BASE_URL: replay.url, BURNRATE_OPENROUTER_KEY: 'sk-or-v1-TESTanswers0123456789' };
    // First sync mid-month: the whole month to date, not just today.
    await json(['sync', 'openrouter'], env('2026-11-10T12:00:00Z', key));
    const first = await json<StatusDoc>(['status'], env('2026-11-10T12:00:00Z'));
    expect(providerOf(first, 'openrouter')).toMatchObject({ monthSpentUsd: '12.58', byokMonthUsd: '3.10' });

    const later = answer('openrouter-key-ordinary.json') as { data: Record<string, number> };
    later.data.usage_monthly = 15;
    later.data.usage_daily = 0.6;
    routes.set('/api/v1/key', later);
    await json(['sync', 'openrouter'], env('2026-11-12T12:00:00Z', key));
    const second = await json<StatusDoc>(['status'], env('2026-11-12T12:00:00Z'));
    // BYOK is billed by the upstream provider: shown, never in OpenRouter's spend.
    expect(providerOf(second, 'openrouter')).toMatchObject({ monthSpentUsd: '15.00', byokMonthUsd: '3.10' });
    // The $2.42 between the syncs is spread over the 48 hours between them, as for Groq.
    const days = await json<{ groups: { key: string; costUsd: string }[] }>(['summary', '--by', 'day', '--from', '2026-11-10', '--to', '2026-11-12'], env('2026-11-12T12:00:00Z'));
    expect(days.groups.map((g) => [g.key, g.costUsd])).toEqual([
      ['2026-11-10', expect.any(String)],
      ['2026-11-11', '1.21'],
      ['2026-11-12', '0.605'],
    ]);
  });

  it('OpenRouter management key in API mode: billed spend and the credits balance with its runway', async () => {
    const server = await startOpenRouterServer();
    try {
      const e = env('2026-11-10T12:00:00Z', { BURNRATE_OPENROUTER_BASE_URL: server.url, BURNRATE_OPENROUTER_KEY: OPENROUTER_MANAGEMENT_KEY });
      await json(['sync', 'openrouter'], e);
      const p = providerOf(await json<StatusDoc>(['status'], e), 'openrouter');
      expect(p).toMatchObject({ mode: 'api', source: 'billed', balanceUsd: OPENROUTER_DOCUMENTED.balanceUsd });
      expect(p.monthSpentUsd).toBe(OPENROUTER_DOCUMENTED.activityWindowUsd);
      expect(p.runwayDays).toEqual(expect.any(Number));
      const budget = await json<{ runway: { provider: string; balanceUsd: string }[] }>(['budget', 'show'], e);
      expect(budget.runway).toContainEqual(expect.objectContaining({ provider: 'openrouter', balanceUsd: OPENROUTER_DOCUMENTED.balanceUsd }));
    } finally {
      await server.close();
    }
  });
});
