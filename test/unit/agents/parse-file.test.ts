import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_EVENTS, parseLogFile, type FileTask, type ParsedChunk } from '../../../src/agents/parse-file';
import { writeClaudeCorpus } from '../../helpers/claude-corpus';

/**
 * A file read in chunks: each chunk's state is a point the import can resume from (after a commit
 * and a kill -9), and resuming there gives exactly the rest of the rows.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-parse-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function taskOf(file: string, state?: ParsedChunk['state']): FileTask {
  const stat = fs.statSync(file);
  return { agent: 'claude-code', file, size: stat.size, mtime: Math.floor(stat.mtimeMs), state };
}

/** Each response's largest output over the chunks: what the importer keeps. */
function largest(chunks: ParsedChunk[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const { event } of chunks.flatMap((c) => c.events)) out.set(event.externalId, Math.max(out.get(event.externalId) ?? 0, event.outputTokens ?? 0));
  return out;
}

describe('parseLogFile', () => {
  it('gives resumable chunks: a state before the last chunk claims only what was read, and resuming there yields the rest', () => {
    const facts = writeClaudeCorpus(dir, { files: 1, linesPerFile: 40_000, toolResultBytes: 20 });
    const file = path.join(dir, '-home-dev-project0', 'session-00000.jsonl');
    const size = fs.statSync(file).size;
    const whole = [...parseLogFile(taskOf(file), {})];
    expect(whole.length).toBeGreaterThanOrEqual(2);
    expect(whole.slice(0, -1).every((c) => c.events.length >= CHUNK_EVENTS && !c.done)).toBe(true);
    expect(whole.at(-1)!.done).toBe(true);
    expect(whole.at(-1)!.state).toMatchObject({ offset: size, size });
    for (const chunk of whole.slice(0, -1)) {
      // A state saved here must not look like the whole, unchanged file to the next import.
      expect(chunk.state.size).toBe(chunk.state.offset);
      expect(chunk.state.offset).toBeLessThan(size);
    }
    expect(new Set(whole.flatMap((c) => c.events.map((e) => e.event.externalId))).size).toBe(facts.responses);

    // Resume after each chunk: the chunks before it plus the resumed read give every response with
    // the same largest output as the whole read (the importer keeps the largest reading).
    for (let k = 0; k < whole.length - 1; k++) {
      const rest = [...parseLogFile(taskOf(file, whole[k]!.state), {})];
      expect(rest.at(-1)!.state).toMatchObject({ offset: size, size });
      expect(largest([...whole.slice(0, k + 1), ...rest])).toEqual(largest(whole));
    }
  });
});
