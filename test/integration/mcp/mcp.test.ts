import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAI_ADMIN_KEY, OPENAI_DOCUMENTED, startOpenAIServer, type OpenAIServer } from '../../fixtures/servers';
import { tempHome } from '../../helpers/cli';
import { addNano, formatUsd, parseUsd } from '../../../src/money';
import { cli, cliJson, startMcp, textOf, withoutCurrency, type Env, type McpSession } from './helpers';

// `burnrate mcp` as an MCP client runs it: spawned over stdio, driven by the SDK's own Client, on
// a ledger seeded through the CLI, with a fake OpenAI billing API on 127.0.0.1 for sync. Every
// figure is checked against what `burnrate … --json` says about the same ledger.

const NOW = '2026-11-11T12:00:00Z';
const sumUsd = (values: readonly string[]) => formatUsd(values.map((v) => parseUsd(v, { allowNegative: true })).reduce(addNano, 0));

let openai: OpenAIServer;
let home: string;
let env: Env;
let mcp: McpSession;

async function seed(args: string[], extra: Env = {}): Promise<void> {
  const r = await cli(args, { ...env, ...extra });
  if (r.code !== 0) throw new Error(`seeding with burnrate ${args.join(' ')} failed: ${r.stderr}`);
}

beforeAll(async () => {
  openai = await startOpenAIServer();
  home = tempHome('burnrate-mcp-');
  env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW, TZ: 'UTC', BURNRATE_OPENAI_BASE_URL: openai.url, BURNRATE_OPENAI_KEY: OPENAI_ADMIN_KEY };
  // A Groq reading nine days ago (so a reminder to read it again is due), budgets, and a few usage rows.
  await seed(['reading', 'groq', '0.40'], { BURNRATE_NOW: '2026-11-02T10:00:00Z' });
  await seed(['budget', 'set', '--daily', '2', '--monthly', '100']);
  await seed(['provider', 'set', 'groq', '--mode', 'odometer']);
  await seed(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', '0.25', '--project', 'alpha', '--at', '2026-11-11T09:00:00Z', '--id', 'a1']);
  await seed(['record', '--provider', 'anthropic', '--model', 'claude-sonnet-4-5', '--cost', '1.10', '--project', 'beta', '--at', '2026-11-10T15:00:00Z', '--id', 'b1']);
  await seed(['record', '--provider', 'anthropic', '--model', 'claude-sonnet-4-5', '--cost', '0.05', '--at', '2026-11-11T08:00:00Z', '--id', 'b2']);
  mcp = await startMcp(env);
});

afterAll(async () => {
  await mcp?.close();
  await openai?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('burnrate mcp over stdio', () => {
  it('lists its tools with described schemas, the status resource and the check-in prompt', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['budget_status', 'coding_agents', 'import_agent_logs', 'list_providers', 'list_readings', 'needs_attention', 'reconcile', 'record_reading', 'record_usage', 'spend_summary', 'sync_now'].sort(),
    );
    const reading = tools.find((t) => t.name === 'record_reading')!;
    expect(reading.inputSchema.required).toEqual(['provider', 'amount']);
    expect(reading.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (const t of tools) {
      for (const [field, schema] of Object.entries(t.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${t.name}.${field}`).toBeTruthy();
      }
    }
    expect((await mcp.client.listResources()).resources).toEqual([expect.objectContaining({ uri: 'burnrate://status', mimeType: 'application/json' })]);
    expect((await mcp.client.listPrompts()).prompts).toEqual([expect.objectContaining({ name: 'daily-check-in' })]);
    expect(mcp.client.getServerVersion()).toMatchObject({ name: 'burnrate' });
  });

  it('budget_status, needs_attention and the status resource say exactly what burnrate status --json says', async () => {
    const status = await cliJson(['status'], env);
    const tool = await mcp.call('budget_status');
    expect(tool.isError).toBeFalsy();
    expect(withoutCurrency(tool.structuredContent)).toEqual(status);
    expect(JSON.parse(textOf(tool))).toEqual(tool.structuredContent);
    expect(status.day).toMatchObject({ date: '2026-11-11', spentUsd: '0.30', budgetUsd: '2.00', spendableUsd: '1.60', health: 'good' });

    const attention = await mcp.call('needs_attention');
    expect(attention.structuredContent).toEqual({ asOf: status.asOf, timezone: 'UTC', attention: status.attention, reminders: status.reminders, alerts: status.alerts });
    expect(status.reminders).toEqual([expect.objectContaining({ kind: 'stale_reading', provider: 'groq' })]);

    const resource = await mcp.client.readResource({ uri: 'burnrate://status' });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toEqual(status);
  });

  it('the daily check-in prompt speaks of the same figures and the reading that is due', async () => {
    const status = await cliJson(['status'], env);
    const prompt = await mcp.client.getPrompt({ name: 'daily-check-in' });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    expect(text).toContain(`Today: $${status.day.spentUsd} of $${status.day.spendableUsd} spendable`);
    expect(text).toContain(`This month: $${status.month.spentUsd} of $${status.month.budgetUsd}, heading for about $${status.month.forecastUsd}`);
    expect(text).toContain(status.reminders[0].message);
    expect(JSON.parse((prompt.messages[1]!.content as { resource: { text: string } }).resource.text)).toEqual(status);
  });

  it('sync_now fetches the bill from the provider API with the key in the environment', async () => {
    const sync = await mcp.call('sync_now', { provider: 'openai' });
    expect(sync.isError, textOf(sync)).toBeFalsy();
    const result = sync.structuredContent as { runs: { provider: string; outcome: string; rows: number }[] };
    expect(result.runs).toEqual([expect.objectContaining({ provider: 'openai', outcome: 'ok' })]);
    expect(result.runs[0]!.rows).toBeGreaterThan(0);
    expect(openai.requests.some((r) => r.path.includes('/v1/organization/costs'))).toBe(true);

    const status = await cliJson(['status'], env);
    expect(withoutCurrency((await mcp.call('budget_status')).structuredContent)).toEqual(status);
    // The ten billed days count exactly; today's estimate stays (nothing is billed for today yet).
    const openaiStatus = status.providers.find((p: { provider: string }) => p.provider === 'openai');
    expect(openaiStatus.monthSpentUsd).toBe(sumUsd([OPENAI_DOCUMENTED.costTotalUsd, '0.25']));
  });

  it('spend_summary groups the counted spend by provider, day, model and project, agreeing with status', async () => {
    const status = await cliJson(['status'], env);
    const range = { from: '2026-11-01', to: '2026-11-11' };
    const summary = async (args: Record<string, unknown>) => withoutCurrency<any>((await mcp.call('spend_summary', args)).structuredContent);
    const sameFigures = { from: '2026-11-01', to: '2026-11-11', timezone: 'UTC', totalUsd: status.month.spentUsd, unpricedEvents: status.unpricedEvents };

    const byProvider = await summary({ ...range, groupBy: 'provider' });
    expect(byProvider).toMatchObject({ ...sameFigures, groupBy: 'provider' });
    // The tool is the contract method, as it is: the same document `burnrate summary --json` prints.
    expect(byProvider).toEqual(await cliJson(['summary', '--from', range.from, '--to', range.to, '--by', 'provider'], env));
    const monthByProvider = Object.fromEntries(status.providers.filter((p: any) => p.monthSpentUsd !== '0.00').map((p: any) => [p.provider, p.monthSpentUsd]));
    expect(Object.fromEntries(byProvider.groups.map((g: any) => [g.key, g.costUsd]))).toEqual(monthByProvider);
    expect(byProvider.groups[0].key).toBe('openai'); // largest first
    expect(sumUsd(byProvider.groups.map((g: any) => g.costUsd))).toBe(status.month.spentUsd);

    const byDay = await summary({ ...range, groupBy: 'day' });
    expect(byDay).toMatchObject({ ...sameFigures, groupBy: 'day' });
    expect(byDay.groups).toHaveLength(11);
    const today = byDay.groups.at(-1);
    expect(today.key).toBe('2026-11-11');
    expect(today.costUsd).toBe(status.day.spentUsd);
    expect(sumUsd(byDay.groups.map((g: any) => g.costUsd))).toBe(status.month.spentUsd);
    // Each provider's share of today, as status gives it.
    const todayByProvider = Object.fromEntries(status.providers.filter((p: any) => p.todaySpentUsd !== '0.00').map((p: any) => [p.provider, p.todaySpentUsd]));
    const todayOnly = await summary({ from: '2026-11-11', to: '2026-11-11', groupBy: 'provider' });
    expect(Object.fromEntries(todayOnly.groups.map((g: any) => [g.key, g.costUsd]))).toEqual(todayByProvider);

    const byModel = await summary({ ...range, groupBy: 'model' });
    expect(byModel).toMatchObject({ ...sameFigures, groupBy: 'model' });
    expect(sumUsd(byModel.groups.map((g: any) => g.costUsd))).toBe(status.month.spentUsd);
    expect(byModel.groups).toContainEqual({ key: 'claude-sonnet-4-5', provider: 'anthropic', costUsd: '1.15', events: 2, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 });

    const byProject = await summary({ ...range, groupBy: 'project' });
    expect(byProject).toMatchObject({ ...sameFigures, groupBy: 'project' });
    expect(sumUsd(byProject.groups.map((g: any) => g.costUsd))).toBe(status.month.spentUsd);
    const projects = Object.fromEntries(byProject.groups.map((g: any) => [g.key, g.costUsd]));
    expect(projects.alpha).toBe('0.25');
    expect(projects.beta).toBe('1.10');
    expect(projects['']).toBeDefined(); // spend without a project
    expect(Object.keys(projects)).toEqual(expect.arrayContaining(['proj_abc', 'proj_xyz'])); // the bill's own projects

    // Every grouping counts the same rows.
    const events = (s: any) => s.groups.reduce((n: number, g: any) => n + g.events, 0);
    expect(new Set([byProvider, byDay, byModel, byProject].map(events)).size).toBe(1);

    // The default range is this month to today.
    const defaults = await summary({});
    expect(defaults).toMatchObject({ ...sameFigures, from: '2026-11-01', to: '2026-11-11', groupBy: 'provider' });
  });

  it('reconcile stores the same run burnrate reconcile then finds unchanged', async () => {
    const tool = await mcp.call('reconcile');
    expect(tool.isError, textOf(tool)).toBeFalsy();
    const viaMcp = withoutCurrency<any>(tool.structuredContent);
    expect(viaMcp.changed).toBe(true);
    expect(viaMcp.run).toMatchObject({ from: '2026-10-12', to: '2026-11-10' });
    expect(viaMcp.providers).toEqual([expect.objectContaining({ provider: 'openai', billedUsd: OPENAI_DOCUMENTED.costTotalUsd, days: 10 })]);
    const viaCli = await cliJson(['reconcile'], env);
    expect(viaCli.changed).toBe(false);
    expect(viaCli.run.id).toBe(viaMcp.run.id);
    expect(viaCli.providers).toEqual(viaMcp.providers);
    expect(viaCli.days).toEqual(viaMcp.days);
  });

  it('record_reading takes "Groq shows $1.42 this month", answers the reminder, and list_readings matches burnrate readings', async () => {
    const tool = await mcp.call('record_reading', { provider: 'groq', amount: '1.42', note: 'from the console' });
    expect(tool.isError, textOf(tool)).toBeFalsy();
    const result = withoutCurrency<any>(tool.structuredContent);
    expect(result.mode).toBe('odometer');
    expect(result.reading).toMatchObject({ provider: 'groq', kind: 'odometer', amountUsd: '1.42', spendUsd: '1.02', billingMonth: '2026-11', note: 'from the console' });
    expect(result.month).toMatchObject({ month: '2026-11', totalUsd: '1.42' });

    const status = await cliJson(['status'], env);
    expect(status.providers.find((p: any) => p.provider === 'groq').monthSpentUsd).toBe('1.42');
    expect(status.reminders).toEqual([]);
    expect(withoutCurrency((await mcp.call('budget_status')).structuredContent)).toEqual(status);

    const readings = await mcp.call('list_readings', { provider: 'groq' });
    expect(withoutCurrency(readings.structuredContent)).toEqual(await cliJson(['readings', 'groq'], env));
    expect((readings.structuredContent as any).readings.map((r: any) => r.amountUsd)).toEqual(['1.42', '0.40']);

    const providers = withoutCurrency<any>((await mcp.call('list_providers')).structuredContent);
    expect(providers.providers.find((p: any) => p.provider === 'groq')).toMatchObject({ mode: 'odometer', monthToDateUsd: '1.42' });
  });

  it('record_usage records a row once per id, and the CLI sees it', async () => {
    const before = await cliJson(['status'], env);
    const args = { provider: 'anthropic', model: 'claude-sonnet-4-5', cost: '0.000075', id: 'mcp-1', project: 'gamma', at: '2026-11-11T11:00:00Z' };
    const first = withoutCurrency<any>((await mcp.call('record_usage', args)).structuredContent);
    expect(first).toMatchObject({ id: 'mcp-1', outcome: 'inserted', costUsd: '0.000075', priced: 'given', localDay: '2026-11-11' });
    const again = withoutCurrency<any>((await mcp.call('record_usage', args)).structuredContent);
    expect(again.outcome).toBe('unchanged');
    const after = await cliJson(['status'], env);
    expect(after.day.spentUsd).toBe(sumUsd([before.day.spentUsd, '0.000075']));

    // Tokens without a cost are priced from the catalogue.
    const priced = withoutCurrency<any>((await mcp.call('record_usage', { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 100, id: 'mcp-2' })).structuredContent);
    expect(priced).toMatchObject({ outcome: 'inserted', priced: 'catalogue' });
    expect(parseUsd(priced.costUsd)).toBeGreaterThan(0);
  });

  it('sees what the CLI writes to the same ledger while it runs', async () => {
    await seed(['record', '--provider', 'deepseek', '--model', 'deepseek-chat', '--cost', '0.33', '--id', 'cli-while-mcp', '--at', '2026-11-11T10:00:00Z']);
    const status = withoutCurrency<any>((await mcp.call('budget_status')).structuredContent);
    expect(status.providers.find((p: any) => p.provider === 'deepseek')).toMatchObject({ todaySpentUsd: '0.33' });
    expect(status).toEqual(await cliJson(['status'], env));
  });

  it('answers bad arguments and failed operations with tool errors, one sentence each, and keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['record_reading', { provider: 'groq', amount: 'one forty-two' }, /^Invalid input: amount must be an amount in US dollars such as 1\.06/],
      ['record_reading', { provider: 'groq' }, /^Invalid input: amount /],
      ['record_reading', { provider: 'groq', amount: '1.50', colour: 'red' }, /unknown field colour/],
      ['record_usage', { provider: 'openai', model: 'gpt-4o-mini', inputTokens: -5 }, /inputTokens must be zero or more/],
      ['record_usage', { provider: 'openai', model: 'gpt-4o-mini', cost: '1', at: '2027-01-01T00:00:00Z' }, /in the future/],
      ['spend_summary', { groupBy: 'week' }, /groupBy must be one of provider, model, project, agent, day/],
      ['spend_summary', { from: '2026-11-10', to: '2026-11-01' }, /starts \(2026-11-10\) after it ends/],
      ['list_readings', { provider: 'Not A Provider!' }, /^Invalid input: provider must be a provider name/],
      ['reconcile', { to: '2027-01-01' }, /after today/],
      ['no_such_tool', {}, /^There is no tool named "no_such_tool"/],
    ];
    for (const [name, args, message] of cases) {
      const r = await mcp.call(name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(r)).toMatch(message);
      expect(textOf(r)).not.toMatch(/\n\s+at /);
    }
    // A contract error from the handler (a second reading at the same moment conflicts) is a tool error too.
    const twice = await mcp.call('record_reading', { provider: 'groq', amount: '0.10' });
    expect(twice.isError).toBe(true);
    expect(textOf(twice)).toMatch(/^Groq already has a reading at .*nothing was changed/);
    expect(twice.structuredContent).toMatchObject({ error: { code: 'conflict' } });

    expect((await mcp.call('budget_status')).isError).toBeFalsy();
    // Stdout carried protocol messages only; the diagnostics went to stderr.
    expect(mcp.transportErrors).toEqual([]);
    expect(mcp.stderr()).toContain(`burnrate mcp: serving the ledger in ${home} over stdio`);
  });
});
