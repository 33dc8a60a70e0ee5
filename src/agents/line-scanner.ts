import fs from 'node:fs';
import path from 'node:path';
import { lendReadBuffer } from './lines';

/**
 * The WebAssembly reader of Claude Code lines (src/agents/wasm/claude-line.ts, built into
 * dist/claude-line.wasm): JSON.parse's answer for the fields the Claude parser reads, at about a
 * third of its cost, since nothing is built but the strings asked for. Every line it cannot prove
 * it reads exactly as JSON.parse would is answered `fallback`, and the parser reads that one with
 * JSON.parse; test/unit/agents/line-scanner.test.ts holds the two to the same rows, line by line,
 * on real and damaged lines.
 *
 * Without the .wasm (a source checkout before `npm run build`), `claudeLineScanner()` is undefined
 * and every line goes through JSON.parse: slower, the same rows.
 */

export const Answer = { ignore: 0, malformed: 1, fallback: 2, assistant: 3 } as const;
export type Answer = (typeof Answer)[keyof typeof Answer];

/** String fields, in the module's slot order. */
export const Text = { type: 0, cwd: 1, session: 2, request: 3, timestamp: 4, model: 5, id: 6 } as const;
export type Text = (typeof Text)[keyof typeof Text];

/** Usage counts, in the module's order. */
export const Count = { input: 0, output: 1, cacheWrite: 2, cacheRead: 3, cacheWrite1h: 4 } as const;
export type Count = (typeof Count)[keyof typeof Count];

// Slots of the module's result (i32), as src/agents/wasm/claude-line.ts lays them out.
const SIDECHAIN = 21;
const SPLIT_OBJECT = 24;
const COUNT_STATE = 25;
const SAME = 30;
const TIME_MS = 33;
const TIME_NUMBER = 5;
/** The fields the module compares with the previous answer's, and their index among SAME. */
const REPEATING: readonly (readonly [Text, number])[] = [[Text.cwd, 0], [Text.session, 1], [Text.model, 2]];
const REPEAT_INDEX: Partial<Record<Text, number>> = Object.fromEntries(REPEATING);

interface Exports {
  memory: { buffer: ArrayBuffer };
  readPointer(): number;
  copyPointer(): number;
  blockBytes(): number;
  slotsPointer(): number;
  numbersPointer(): number;
  scan(at: number, length: number): number;
  findUsage(from: number, to: number): number;
}

const USAGE = Buffer.from('"usage"');

export class ClaudeLineScanner {
  private readonly bytes: Buffer;
  private readonly slots: Int32Array;
  private readonly numbers: Float64Array;
  /** The module's read block (the thread's chunk buffer once lent) and its block for other lines. */
  private readonly read: number;
  private readonly copy: number;
  private readonly capacity: number;
  /** The strings of the last answer's repeating fields, reused while the module says they are the same. */
  private readonly previous: (string | undefined)[] = [undefined, undefined, undefined];

  constructor(private readonly wasm: Exports) {
    // The module never grows its memory (it allocates nothing), so these views stay valid.
    this.bytes = Buffer.from(wasm.memory.buffer);
    this.slots = new Int32Array(wasm.memory.buffer, wasm.slotsPointer(), 64);
    this.numbers = new Float64Array(wasm.memory.buffer, wasm.numbersPointer(), 8);
    this.read = wasm.readPointer();
    this.copy = wasm.copyPointer();
    this.capacity = wasm.blockBytes();
  }

  /**
   * The module's read block as a Buffer, for src/agents/lines.ts to read files into: a line read
   * there is scanned in place, without a copy.
   */
  readBuffer(): Buffer {
    return this.bytes.subarray(this.read, this.read + this.capacity);
  }

  private inReadBlock(view: Buffer): boolean {
    return view.buffer === this.bytes.buffer && view.byteOffset >= this.read && view.byteOffset + view.length <= this.read + this.capacity;
  }

  /** `view.indexOf('"usage"', from)`, by the module's search when the view is in its read block. */
  findUsage(view: Buffer, from: number): number {
    if (!this.inReadBlock(view)) return view.indexOf(USAGE, from);
    const at = this.wasm.findUsage(view.byteOffset + from, view.byteOffset + view.length);
    return at < 0 ? -1 : at - view.byteOffset;
  }

  /** Reads one line; after `assistant`, the accessors below give its fields until the next scan. */
  scan(line: Buffer): Answer {
    let at = line.byteOffset;
    if (!this.inReadBlock(line)) {
      if (line.length > this.capacity) return Answer.fallback; // a line of several megabytes: JSON.parse
      line.copy(this.bytes, this.copy);
      at = this.copy;
    }
    const answer = this.wasm.scan(at, line.length) as Answer;
    if (answer === Answer.assistant) this.keepRepeating();
    return answer;
  }

  /**
   * The module compares the repeating fields with the previous `assistant` answer's, so their
   * strings are decoded here at every such answer (whether or not anyone asks for them), never
   * later: the cache and the module's copy always describe the same line.
   */
  private keepRepeating(): void {
    for (const [field, repeat] of REPEATING) {
      if (this.slots[field * 3] !== 0 && this.slots[SAME + repeat] !== 1) this.previous[repeat] = this.decode(field);
    }
  }

  private decode(field: Text): string {
    const start = this.slots[field * 3 + 1]!;
    const end = start + this.slots[field * 3 + 2]!;
    // Escapes are rare in these fields (a Windows cwd): JSON.parse of the quoted string alone.
    return this.slots[field * 3] === 1 ? this.bytes.toString('utf8', start, end) : (JSON.parse(this.bytes.toString('utf8', start - 1, end + 1)) as string);
  }

  /** A string field, or undefined when absent or not a string (as `typeof x === 'string'` would say). */
  text(field: Text): string | undefined {
    if (this.slots[field * 3] === 0) return undefined;
    const repeat = REPEAT_INDEX[field];
    return repeat === undefined ? this.decode(field) : this.previous[repeat];
  }

  /** A usage count as the parser's count() gives it: 0 when absent or null, null when not a count. */
  count(which: Count): number | null {
    if (which === Count.cacheWrite1h && this.slots[SPLIT_OBJECT] !== 1) return 0; // no cache_creation object
    const state = this.slots[COUNT_STATE + which]!;
    return state === 0 ? 0 : state === 1 ? this.numbers[which]! : null;
  }

  /** The timestamp's instant, or null when it is not a valid date (as `new Date(text)` would say). */
  timestamp(): Date | null {
    if (this.slots[TIME_MS] === 1) return new Date(this.numbers[TIME_NUMBER]!);
    const text = this.text(Text.timestamp);
    if (text === undefined) return null;
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  sidechain(): boolean {
    return this.slots[SIDECHAIN] === 1;
  }
}

const WASM_FILE = 'claude-line.wasm';

/** The built module beside the running bundle (dist/), or in dist/ of a source checkout (tests). */
export function lineScannerFile(): string | undefined {
  for (const candidate of [path.join(__dirname, WASM_FILE), path.join(__dirname, '..', '..', 'dist', WASM_FILE)]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The part of the WebAssembly global used here (the project's types leave out the DOM's, which declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export function loadClaudeLineScanner(file: string): ClaudeLineScanner {
  const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  const instance = new Instance(new Module(fs.readFileSync(file)), {
    env: {
      abort: () => {
        throw new Error(`${WASM_FILE} stopped on an internal check`);
      },
    },
  });
  return new ClaudeLineScanner(instance.exports as unknown as Exports);
}

let loaded: ClaudeLineScanner | null | undefined;
let problem: string | undefined;

/**
 * This thread's scanner, loaded on first use; undefined when the module is not built or this
 * machine's WebAssembly refuses it (SIMD needs SSE4.1 on x64): the import then reads every line
 * with JSON.parse, slower and the same.
 */
export function claudeLineScanner(): ClaudeLineScanner | undefined {
  if (loaded === undefined) {
    const file = lineScannerFile();
    try {
      loaded = file ? loadClaudeLineScanner(file) : null;
      if (loaded) lendReadBuffer(loaded.readBuffer());
    } catch (error) {
      problem = `${file}: ${(error as Error).message}`;
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** Why the built module could not be loaded, if it could not (for tests and diagnostics). */
export function lineScannerProblem(): string | undefined {
  return problem;
}
