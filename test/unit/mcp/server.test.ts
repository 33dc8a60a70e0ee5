import fc from 'fast-check';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { CHECK_IN_PROMPT, createMcpServer, STATUS_URI, TOOLS } from '../../../src/mcp';
import type { SecretStore } from '../../../src/secrets/store';
import { fixedClock } from '../../../src/time';

// The server in process, driven by the SDK's own Client over its in-memory transport: fast enough
// to throw hundreds of random arguments at every tool. The stdio process is tested in
// test/integration/mcp.

/** A keychain with nothing in it, so sync never finds a key (and never reaches a network). */
const emptyKeychain: SecretStore = {
  description: 'test keychain',
  get: async () => null,
  set: async () => undefined,
  delete: async () => false,
};

let core: Core;
let client: Client;

beforeEach(async () => {
  core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone: 'UTC', env: {}, secrets: emptyKeychain });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(core, { version: 'test' });
  await server.connect(serverSide);
  client = new Client({ name: 'unit', version: '1' });
  await client.connect(clientSide);
});

afterEach(async () => {
  await client.close();
  core.close();
});

const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const text = (r: CallToolResult) => (r.content[0] as { type: 'text'; text: string }).text;

describe('the MCP server in process', () => {
  it('answers budget_status with the contract status plus the currency, as JSON text and as structured content', async () => {
    await dispatch(core, 'budgetSet', { daily: '2', monthly: '50' });
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '0.000075', id: 'r1' });
    const r = await call('budget_status');
    expect(r.isError).toBeFalsy();
    const expected = { ...(await dispatch(core, 'status', {})), currency: 'USD' };
    expect(r.structuredContent).toEqual(expected);
    expect(JSON.parse(text(r))).toEqual(expected);
    expect((r.structuredContent as { day: { spentUsd: string } }).day.spentUsd).toBe('0.000075');
  });

  it("words a refused reading in the tool's arguments (replace: true), never as a CLI flag", async () => {
    await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
    await call('record_reading', { provider: 'groq', amount: '2.00', at: '2026-03-05T10:00:00Z' });
    const lower = await call('record_reading', { provider: 'groq', amount: '1.00' });
    expect(lower.isError).toBe(true);
    expect(text(lower)).toMatch(/lower than \$2\.00.*Nothing was changed\. If \$2\.00 was mistyped, call record_reading again with replace: true to correct it/);
    expect(lower.structuredContent).toMatchObject({ error: { code: 'conflict', reason: 'reading_lower_than_previous', facts: { provider: 'groq', previousUsd: '2.00' } } });
    const final = await call('record_reading', { provider: 'groq', amount: '2.50', final: true });
    expect(text(final)).toMatch(/needs the month it closes; pass month \(YYYY-MM, for example 2026-02\) with final: true\.$/);
    const future = await call('record_reading', { provider: 'groq', amount: '2.50', at: '2026-04-01T00:00:00Z' });
    expect(text(future)).toMatch(/leave out at for now\.$/);
    for (const r of [lower, final, future]) expect(text(r)).not.toMatch(/--[a-z]|burnrate [a-z]/);
  });

  it('turns contract errors and bad arguments into tool errors carrying the one sentence', async () => {
    const badAmount = await call('record_reading', { provider: 'groq', amount: 'about two dollars' });
    expect(badAmount.isError).toBe(true);
    expect(text(badAmount)).toBe('Invalid input: amount must be an amount in US dollars such as 1.06, zero or more, with at most 9 decimals and no exponent.');
    expect(badAmount.structuredContent).toEqual({ error: { code: 'invalid_input', reason: 'bad_input', message: text(badAmount), facts: { fields: ['amount'] } } });

    const unknownField = await call('list_readings', { provider: 'groq', colour: 'blue' });
    expect(unknownField.isError).toBe(true);
    expect(text(unknownField)).toMatch(/unknown field colour/);

    const missing = await call('record_usage', { model: 'gpt-4o-mini' });
    expect(text(missing)).toMatch(/^Invalid input: provider /);

    const badGroup = await call('spend_summary', { groupBy: 'week' });
    expect(text(badGroup)).toBe('Invalid input: groupBy must be one of provider, model, project, agent, day.');

    const noTool = await call('delete_everything');
    expect(noTool.isError).toBe(true);
    expect(text(noTool)).toMatch(/^There is no tool named "delete_everything"; Burnrate's tools are budget_status, /);

    // An error from the handler itself (not the schema): a model Burnrate has no price for.
    const unpriced = await call('record_usage', { provider: 'openai', model: 'my-finetune-xyz', inputTokens: 10 });
    expect(unpriced.isError).toBe(true);
    expect(text(unpriced)).toMatch(/no price for model "my-finetune-xyz".*cost/);
  });

  it('never fails a call or stops answering, whatever the arguments (property)', async () => {
    const day = fc.integer({ min: -70, max: 3 }).map((n) => new Date(Date.parse('2026-03-10T12:00:00Z') + n * 86_400_000).toISOString());
    /** Values a model might plausibly send for each field, right and wrong. */
    const plausible: Record<string, fc.Arbitrary<unknown>> = {
      provider: fc.constantFrom('openai', 'groq', 'anthropic', 'deepseek', 'mistral', 'OpenAI', 'no such', ''),
      amount: fc.oneof(fc.constantFrom('1.42', '0', '-1', '$3.50', '1e3', '0.0000000001', 'abc'), fc.double({ noNaN: false })),
      cost: fc.constantFrom('0.0042', '12', '-0.01', 'free', 0.1),
      at: fc.oneof(day, day.map((d) => d.slice(0, 10)), fc.constant('yesterday')),
      month: fc.constantFrom('2026-02', '2026-03', '2026-13', '2025-12'),
      final: fc.boolean(),
      replace: fc.boolean(),
      from: day.map((d) => d.slice(0, 10)),
      to: day.map((d) => d.slice(0, 10)),
      groupBy: fc.constantFrom('provider', 'model', 'project', 'day', 'week'),
      model: fc.constantFrom('gpt-4o-mini', 'claude-sonnet-4-5', 'llama-3.3-70b-versatile', 'unknown-model', ''),
      inputTokens: fc.oneof(fc.nat(), fc.integer(), fc.constant('12')),
      outputTokens: fc.nat(),
      cachedInputTokens: fc.nat(),
      cacheWriteTokens: fc.nat(),
      id: fc.string({ maxLength: 6 }),
      project: fc.constantFrom('alpha', ''),
      note: fc.string({ maxLength: 20 }),
      source: fc.constantFrom('manual', 'proxy', 'billing_api'),
    };
    const toolArgs = fc.constantFrom(...TOOLS).chain((t) =>
      fc.tuple(
        fc.constant(t.name),
        fc.oneof(
          { weight: 3, arbitrary: fc.record(Object.fromEntries(Object.keys(t.fields).map((f) => [f, plausible[f] ?? fc.jsonValue()])), { requiredKeys: [] }) },
          { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
        ),
      ),
    );
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(toolArgs, async ([name, a]) => {
        const r = await call(name, a as Record<string, unknown>);
        expect(Array.isArray(r.content)).toBe(true);
        const t = text(r);
        if (r.isError) {
          // One sentence a model can relay: no stack trace, no "[object Object]", no internals.
          expect(t).toMatch(/[.!?)]$/);
          expect(t).not.toMatch(/\n\s+at |\[object Object\]|unexpected error/);
        } else {
          expect(() => JSON.parse(t)).not.toThrow();
          answered++;
        }
      }),
      { numRuns: 300 },
    );
    // The generator reaches the handlers, not only the schemas.
    expect(answered).toBeGreaterThan(30);
    expect((await call('budget_status')).isError).toBeFalsy();
  });

  it('serves the status resource and the daily check-in prompt', async () => {
    await dispatch(core, 'budgetSet', { daily: '2' });
    const resources = await client.listResources();
    expect(resources.resources.map((r) => r.uri)).toEqual([STATUS_URI]);
    const read = await client.readResource({ uri: STATUS_URI });
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(content.text)).toEqual(await dispatch(core, 'status', {}));
    await expect(client.readResource({ uri: 'burnrate://nothing' })).rejects.toThrow(/no resource burnrate:\/\/nothing/);

    const prompts = await client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toEqual([CHECK_IN_PROMPT]);
    const prompt = await client.getPrompt({ name: CHECK_IN_PROMPT });
    const first = prompt.messages[0]!.content as { type: 'text'; text: string };
    expect(first.text).toContain("Burnrate's narrator");
    expect(first.text).toContain('Today: $0.00 of $1.60 spendable, comfortably on track.');
    expect(prompt.messages[1]!.content).toMatchObject({ type: 'resource', resource: { uri: STATUS_URI, mimeType: 'application/json' } });
    await expect(client.getPrompt({ name: 'weekly' })).rejects.toThrow(/no prompt named "weekly"/);
  });
});
