import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CountedOnce } from '../../../src/agents/counted-once';
import type { AgentEvent } from '../../../src/agents/parsers/types';
import { openCore, type Core } from '../../../src/app/open';
import type { RowValues } from '../../../src/ledger/usage-row';

/**
 * A first import asks the ledger only about responses it may have written itself
 * (src/agents/own-log-rows.ts). What it skips asking must never hide a stored log row: one written
 * by another process or by other code on the same connection between two of its batches, one left
 * by an earlier import, or its own from an earlier batch. Each case runs batches the way the
 * importer does: look-up, decision, write, in one transaction.
 */

let home: string;
let cores: Core[];

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-own-rows-'));
  cores = [];
});
afterEach(() => {
  for (const core of cores) core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** A connection to the ledger in `home`, as a process opens it. */
function connect(): Core {
  const core = openCore({ home, env: { HOME: home }, timeZone: 'UTC', clock: { now: () => new Date('2026-11-22T12:00:00Z') } });
  cores.push(core);
  return core;
}

function reading(id: string, output: number): AgentEvent {
  return { source: 'agent_log', provider: 'anthropic', externalId: id, model: 'claude-sonnet-4-5', project: 'p', inputTokens: 10, outputTokens: output, occurredAt: new Date('2026-11-20T10:00:00Z'), metadata: { agent: 'claude-code' } };
}

/** One importer batch of Claude readings: which of them were news (and so written). */
function batch(core: Core, once: CountedOnce, readings: AgentEvent[]): string[] {
  return core.db.transaction(() => {
    const rows = readings.map((r) => core.usage.shape(r));
    once.begin(rows, rows.map(() => 'largest-output'));
    const news: RowValues[] = rows.filter((row) => once.isNews(row, 'largest-output'));
    core.usage.writeValues(news);
    once.wrote(news);
    once.settle();
    return news.map((row) => row[3]);
  })();
}

function storedOutput(core: Core, id: string): number | undefined {
  return (core.db.prepare("SELECT output_tokens AS o FROM usage_events WHERE source = 'agent_log' AND external_id = ?").get(id) as { o: number } | undefined)?.o;
}

describe('an import asks only about responses that may be stored', () => {
  it('a smaller reading of its own response from an earlier batch is not news; a larger one is', () => {
    const core = connect();
    const once = new CountedOnce(core);
    once.startRun();
    expect(batch(core, once, [reading('a', 10), reading('b', 10)])).toEqual(['a', 'b']);
    expect(batch(core, once, [reading('a', 5), reading('c', 1)])).toEqual(['c']);
    expect(batch(core, once, [reading('b', 20)])).toEqual(['b']);
    expect(storedOutput(core, 'a')).toBe(10);
    expect(storedOutput(core, 'b')).toBe(20);
  });

  it('sees a log row another process wrote between two of its batches', () => {
    const core = connect();
    const other = connect();
    const once = new CountedOnce(core);
    once.startRun();
    expect(batch(core, once, [reading('a', 10)])).toEqual(['a']);
    other.usage.write([reading('x', 100)]);
    expect(batch(core, once, [reading('x', 50), reading('y', 1)])).toEqual(['y']);
    expect(storedOutput(core, 'x')).toBe(100);
  });

  it('sees a log row other code wrote on the same connection between two of its batches', () => {
    const core = connect();
    const once = new CountedOnce(core);
    once.startRun();
    expect(batch(core, once, [reading('a', 10)])).toEqual(['a']);
    core.usage.write([reading('x', 100)]);
    expect(batch(core, once, [reading('x', 50)])).toEqual([]);
    expect(storedOutput(core, 'x')).toBe(100);
  });

  it('sees the rows an earlier import left', () => {
    const core = connect();
    core.usage.write([reading('x', 100)]);
    const once = new CountedOnce(core);
    once.startRun();
    expect(batch(core, once, [reading('x', 50), reading('y', 1)])).toEqual(['y']);
    expect(storedOutput(core, 'x')).toBe(100);
  });
});
