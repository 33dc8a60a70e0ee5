import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../../src/api/contract';
import { openCore, type Core } from '../../../src/app/open';
import { callTool, TOOLS } from '../../../src/mcp';
import type { SecretStore } from '../../../src/secrets/store';
import { startServer, apiRoutes, type RunningServer } from '../../../src/server';
import { fixedClock } from '../../../src/time';
import { request } from './http';

/**
 * Issue 14's fuzz: every HTTP method and every MCP tool, with random dates (years 0–99 and 10000+
 * among them), random amounts and random junk. Nothing may hang (each case awaits its answer, and
 * the whole run has a bound), answer 5xx, or crash the process; afterwards the server still answers.
 */

const memoryKeychain = (): SecretStore => {
  const keys = new Map<string, string>();
  return {
    description: 'test keychain',
    get: async (k) => keys.get(k) ?? null,
    set: async (k, v) => void keys.set(k, v),
    delete: async (k) => keys.delete(k),
  };
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Dates of every kind: in range, impossible, years 0–99, years 10000+, with and without a time. */
const year = fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1900, max: 2300 }), fc.integer({ min: 10000, max: 275760 }));
const day = fc.record({ y: year, m: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }) }).map(({ y, m, d }) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const time = fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('Z', '', '+02:00', '-0530', '.123', '.123Z', '+24:00'));
const dateLike = fc.oneof(
  day,
  fc.tuple(day, time).map(([d, [h, mi, s, zone]]) => `${d}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${zone}`),
  day.map((d) => d.slice(0, 7)),
  fc.constantFrom('0042-01', '0050-06-01T00:00:00Z', '10000-01-01', '2026-02-31T00:00:00Z', '2199-12-31', '2000-01-01'),
);
const amountLike = fc.oneof(
  fc.constantFrom('1e2', '1e-7', '0.0000000001', '-1', '$1.06', '9007199.254740992', '99999999999999999999', 'none'),
  fc.double({ noNaN: false }),
  fc.integer({ min: -10, max: 1e12 }),
  fc.stringMatching(/^\d{1,12}(\.\d{1,12})?$/),
);
const junk = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('openai', 'groq', 'deepseek', 'csv', 'json', 'day'));

const DATE_FIELD = /^(at|from|to|since|month|date|day|before|until|asOf)$/i;
const AMOUNT_FIELD = /amount|cost|daily|monthly|price|input$|output$|cachedInput|cacheWrite|reservePct/i;

function valueFor(field: string): fc.Arbitrary<unknown> {
  if (DATE_FIELD.test(field)) return fc.oneof({ weight: 4, arbitrary: dateLike }, { weight: 1, arbitrary: junk });
  if (AMOUNT_FIELD.test(field)) return fc.oneof({ weight: 3, arbitrary: amountLike }, { weight: 1, arbitrary: junk });
  return junk;
}

function fieldsOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Random input for a schema: some of its own fields (filled by kind), now and then an unknown one. */
function inputFor(schema: z.ZodType): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(schema);
  const known = Object.fromEntries(fields.map((f) => [f, valueFor(f)]));
  return fc.tuple(fc.record(known, { requiredKeys: [] }), fc.option(fc.constantFrom('at', 'from', 'extra'), { nil: undefined })).map(([input, extra]) =>
    extra && !(extra in input) ? { ...input, [extra]: '0042-01-01' } : input,
  );
}

/** Plausible values for the fields a hostile date needs beside it to reach the handler. */
const PLAUSIBLE: Record<string, unknown> = { provider: 'groq', model: 'gpt-4o-mini', amount: '1', cost: '1', monthly: '5', daily: '2', name: 'x', input: '1', output: '2' };

/** Fixed cases run first for every method: each date field at years 0050 and 10000, the rest plausible. */
function hostileExamples(schema: z.ZodType): [Record<string, unknown>][] {
  const fields = fieldsOf(schema);
  return ['0050-06-01T00:00:00Z', '0042-01-01', '0042-01', '10000-01-01', '2026-02-31T00:00:00Z'].map((date) => [
    Object.fromEntries(fields.filter((f) => DATE_FIELD.test(f) || f in PLAUSIBLE).map((f) => [f, DATE_FIELD.test(f) ? date : PLAUSIBLE[f]])),
  ]);
}

function queryOf(input: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) if (v !== undefined) q.append(k, v === null ? '' : String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

let core: Core;
let server: RunningServer;
let bearer: Record<string, string>;

beforeAll(async () => {
  core = openCore({
    memory: true,
    clock: fixedClock('2026-03-10T12:00:00Z'),
    timeZone: 'Europe/Berlin',
    env: {},
    secrets: memoryKeychain(),
    // No network: a provider or webhook call gets a refusal, never a real request.
    fetch: async () => new Response('no network in this test', { status: 404 }),
  });
  server = await startServer(core, { port: 0, staticDir: '/nonexistent' });
  bearer = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server?.close();
  core?.close();
});

const RUNS_PER_METHOD = 12;

describe('fuzz: random dates, amounts and junk into every method', () => {
  it(
    'never answers 5xx over HTTP, and the server keeps answering',
    async () => {
      const routes = apiRoutes();
      expect(routes.length).toBe(Object.keys(contract).length);
      const failures: string[] = [];
      for (const route of routes) {
        const schema = contract[route.method as keyof typeof contract].input as z.ZodType;
        await fc.assert(
          fc.asyncProperty(inputFor(schema), async (input) => {
            const reply =
              route.verb === 'GET'
                ? await request(server.port, { path: `${route.path}${queryOf(input)}`, headers: bearer })
                : await request(server.port, { method: 'POST', path: route.path, headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
            if (reply.status >= 500) failures.push(`${route.verb} ${route.path} ${JSON.stringify(input)} → ${reply.status} ${reply.body}`);
            return reply.status < 500;
          }),
          { numRuns: RUNS_PER_METHOD, seed: 1414, endOnFailure: true, examples: hostileExamples(schema) },
        ).catch(() => undefined);
      }
      expect(failures).toEqual([]);
      expect((await request(server.port, { path: '/api/status', headers: bearer })).status).toBe(200);
    },
    240_000,
  );

  it(
    'never fails an MCP tool call with an internal error, and the tools keep answering',
    async () => {
      const failures: string[] = [];
      for (const tool of TOOLS) {
        await fc.assert(
          fc.asyncProperty(inputFor(tool.input), async (args) => {
            const result = await callTool(core, tool.name, args);
            const code = (result.structuredContent as { error?: { code?: string } } | undefined)?.error?.code;
            if (code === 'internal') failures.push(`${tool.name} ${JSON.stringify(args)} → ${JSON.stringify(result.content)}`);
            return code !== 'internal';
          }),
          { numRuns: RUNS_PER_METHOD, seed: 1414, endOnFailure: true, examples: hostileExamples(tool.input) },
        ).catch(() => undefined);
      }
      expect(failures).toEqual([]);
      const status = await callTool(core, 'budget_status', {});
      expect(status.isError).toBeFalsy();
    },
    240_000,
  );
});
