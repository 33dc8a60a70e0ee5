import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { measure } from '../../../scripts/deps.mjs';

/**
 * The floors of docs/architecture.md hold: no import circle in src/, nothing looks up from the
 * domain or src/model into src/api or src/app, and ESLint refuses a new such import.
 */
const ROOT = path.resolve(__dirname, '../../..');


describe('the import graph of src/ (madge)', () => {
  it('has no circle and no upward import', async () => {
    const graph = await measure(ROOT);
    expect(graph.files).toBeGreaterThan(100); // the graph really read src/
    expect(graph.circles).toEqual([]);
    expect(graph.upward).toEqual([]);
  }, 120_000);
});

describe('the lint rule that holds the floors', () => {
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: path.join(ROOT, 'eslint.config.js') });

  async function restricted(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  it('refuses a domain file importing src/api or src/app', async () => {
    const api = await restricted('src/budget/example.ts', "import { conflict } from '../api/errors';\nexport const e = conflict;\n");
    expect(api).toHaveLength(1);
    expect(api[0]).toMatch(/Only the transports import src\/api/);
    const app = await restricted('src/ledger/migrations/example.ts', "import type { Core } from '../../app/open';\nexport type C = Core;\n");
    expect(app).toHaveLength(1);
    expect(app[0]).toMatch(/open the core/);
  });

  it('lets a domain file import src/model, and a transport import src/app and src/api', async () => {
    expect(await restricted('src/budget/example.ts', "import type { AlertView } from '../model/views';\nexport type A = AlertView;\n")).toEqual([]);
    const transport = "import { openCore } from '../app/open';\nimport { dispatch } from '../api/dispatch';\nexport const x = [openCore, dispatch];\n";
    expect(await restricted('src/cli/example.ts', transport)).toEqual([]);
  });

  it('keeps src/model on the bottom floor: money and time only', async () => {
    const up = await restricted('src/model/example.ts', "import type { UsageWriter } from '../ledger/usage';\nexport type U = UsageWriter;\n");
    expect(up).toHaveLength(1);
    expect(up[0]).toMatch(/imports only src\/money.ts and src\/time.ts/);
    expect(await restricted('src/model/example.ts', "import { parseUsd } from '../money';\nimport type { Clock } from '../time';\nexport const p = parseUsd;\nexport type C = Clock;\n")).toEqual([]);
  });
});
