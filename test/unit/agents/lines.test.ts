import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LineReader, readLines } from '../../../src/agents/lines';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-lines-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const MARK = Buffer.from('"usage"');

/** What readLines must return, from the whole text: complete lines (with the mark) and the offset after the last. */
function expected(text: string, mark: boolean): { lines: string[]; offset: number } {
  const last = text.lastIndexOf('\n');
  const complete = last < 0 ? [] : text.slice(0, last).split('\n');
  return { lines: mark ? complete.filter((l) => l.includes('"usage"')) : complete, offset: Buffer.byteLength(text.slice(0, last + 1)) };
}

function read(file: string, start: number, mark: boolean): { lines: string[]; offset: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const lines: string[] = [];
    const ends: number[] = [];
    const offset = readLines(fd, start, fs.fstatSync(fd).size, (line, end) => {
      lines.push(line.toString('latin1'));
      ends.push(end);
    }, mark ? MARK : undefined);
    // Each line's end offset points just past its own newline.
    const text = fs.readFileSync(file, 'latin1');
    ends.forEach((e) => expect(text[e - 1]).toBe('\n'));
    return { lines, offset };
  } finally {
    fs.closeSync(fd);
  }
}

// Lines around and across the 1 MiB chunk, some with the mark (possibly split by a chunk boundary).
const lineArb = fc.record({
  size: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1_048_000, max: 1_049_000 }), fc.integer({ min: 2_000_000, max: 2_200_000 })),
  mark: fc.boolean(),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  // Near misses of the mark (a part of it, or its bytes run together) at the line start and before it.
  decoy: fc.constantFrom('', 'usage"', 'xusage"', '"usage', '""usage"', 'usage"usage"'),
});

describe('readLines', () => {
  it('hands over exactly the complete lines (all, or those with the mark) and stops after the last newline', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 0, maxLength: 6 }), fc.string({ maxLength: 30 }), fc.boolean(), (specs, tail, mark) => {
        const lines = specs.map(({ size, mark: m, at, decoy }) => {
          const body = 'x'.repeat(size);
          const cut = Math.floor(at * body.length);
          const near = decoy + body.slice(0, cut) + decoy; // at the line's start, and before the mark
          return m ? near + '"usage"' + body.slice(cut) + decoy : near + body.slice(cut);
        });
        const text = lines.map((l) => l + '\n').join('') + tail.replace(/\n/g, '');
        const file = path.join(dir, 'log.jsonl');
        fs.writeFileSync(file, text, 'latin1');
        expect(read(file, 0, mark)).toEqual(expected(text, mark));
      }),
      { numRuns: 25 },
    );
  });

  it('gives two readers stepping in turn (one shared read buffer) each exactly its own lines', () => {
    // Lines longer than a chunk, so each reader carries an unfinished line between its steps.
    const texts = ['a', 'b'].map((c) => [10, 1_500_000, 30, 2_100_000, 5].map((n, i) => `${c}${i} "usage" ${c.repeat(n)}`).join('\n') + '\n');
    const files = texts.map((text, i) => {
      const file = path.join(dir, `turn-${i}.jsonl`);
      fs.writeFileSync(file, text, 'latin1');
      return file;
    });
    const fds = files.map((f) => fs.openSync(f, 'r'));
    try {
      const got: string[][] = [[], []];
      const readers = fds.map((fd, i) => new LineReader(fd, 0, fs.fstatSync(fd).size, (line) => void got[i]!.push(line.toString('latin1')), MARK));
      const going = [true, true];
      while (going.some(Boolean)) readers.forEach((r, i) => void (going[i] = going[i]! && r.step()));
      got.forEach((lines, i) => expect(lines).toEqual(expected(texts[i]!, true).lines));
      readers.forEach((r, i) => expect(r.consumed).toBe(Buffer.byteLength(texts[i]!)));
    } finally {
      fds.forEach((fd) => fs.closeSync(fd));
    }
  });

  it('finds any mark, also where its tail repeats or overlaps itself, as a plain substring search would', () => {
    // Small alphabets make near misses and overlapping occurrences (`"aa` in `""aaa`) common.
    const text = fc.array(fc.constantFrom('a', 'b', '"', '\n'), { maxLength: 300 }).map((cs) => cs.join(''));
    const mark = fc.array(fc.constantFrom('a', 'b', '"'), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, mark, (body, m) => {
        const file = path.join(dir, 'marks.jsonl');
        fs.writeFileSync(file, body, 'latin1');
        const fd = fs.openSync(file, 'r');
        try {
          const got: string[] = [];
          readLines(fd, 0, body.length, (line) => void got.push(line.toString('latin1')), Buffer.from(m, 'latin1'));
          const last = body.lastIndexOf('\n');
          expect(got).toEqual(last < 0 ? [] : body.slice(0, last).split('\n').filter((l) => l.includes(m)));
        } finally {
          fs.closeSync(fd);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads from an offset and leaves a partial last line for later', () => {
    const file = path.join(dir, 'grow.jsonl');
    fs.writeFileSync(file, 'a "usage" 1\nb\nc "usa');
    const first = read(file, 0, true);
    expect(first).toEqual({ lines: ['a "usage" 1'], offset: 14 });
    fs.appendFileSync(file, 'ge" 3\n');
    expect(read(file, first.offset, true)).toEqual({ lines: ['c "usage" 3'], offset: 26 });
  });
});
