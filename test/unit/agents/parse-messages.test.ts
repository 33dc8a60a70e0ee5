import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentName } from '../../../src/ledger/agent-billing';
import { parseLogFile, type ParsedChunk } from '../../../src/agents/parse-file';
import { fromWire, toWire } from '../../../src/agents/parse-messages';
import { shapeChunk } from '../../../src/agents/row-chunk';
import { shapeRowValues } from '../../../src/ledger/usage-row';
import { fixedPrices } from '../../../src/pricing/fixed-prices';

/**
 * A parse worker hands its chunks over as JSON arrays of the rows' values (parse-messages.ts): what
 * arrives must be the chunk the worker shaped, value for value, for every agent's rows (the
 * fixtures hold real-shaped logs of all three, with and without the optional fields).
 */

const FIXTURES = path.resolve(__dirname, '../../fixtures/agents');

function logsOf(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(folder, f))
    .filter((f) => fs.statSync(f).isFile() && /\.jsonl?$/.test(f));
}

function chunksOf(agent: AgentName, folder: string): ParsedChunk[] {
  return logsOf(folder).flatMap((file) => {
    const stat = fs.statSync(file);
    return [...parseLogFile({ agent, file, size: stat.size, mtime: Math.floor(stat.mtimeMs), state: undefined }, {})];
  });
}

describe('worker chunks on the wire', () => {
  it.each([
    ['claude-code', 'claude'],
    ['codex', 'codex'],
    ['gemini', 'gemini'],
  ] as const)('a %s chunk arrives as it was parsed', (agent, folder) => {
    const chunks = chunksOf(agent, path.join(FIXTURES, folder));
    const events = chunks.flatMap((c) => c.events);
    expect(events.length).toBeGreaterThan(0);
    const prices = fixedPrices([]);
    for (const chunk of chunks) {
      const shaped = shapeChunk(chunk, (event) => shapeRowValues(event, prices, 'Europe/Paris', ''));
      expect(shaped.rows).toHaveLength(chunk.events.length);
      const arrived = fromWire(structuredClone(toWire(shaped)));
      expect(arrived).toStrictEqual(shaped);
    }
  });
});
