import fs from 'node:fs';
import path from 'node:path';

/**
 * A synthetic Claude Code corpus shaped like real transcripts: per response 1–3 assistant lines with
 * growing output, user turns with tool results of varied size, summaries and progress lines in
 * between. Deterministic (seeded), so two runs write the same bytes. Used by the crash test and
 * the agents bench.
 */

export interface CorpusShape {
  files: number;
  /** Target lines per file; a few files get many more (the long tail of real sessions). */
  linesPerFile: number;
  /** Filler bytes of tool results, on average. */
  toolResultBytes: number;
  seed?: number;
}

export interface CorpusFacts {
  files: number;
  lines: number;
  bytes: number;
  /** Distinct responses (message ids): what an import must count. */
  responses: number;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-5', 'claude-haiku-4-5', 'claude-sonnet-4-5'];

export function writeClaudeCorpus(projectsDir: string, shape: CorpusShape): CorpusFacts {
  const rand = prng(shape.seed ?? 42);
  const facts: CorpusFacts = { files: 0, lines: 0, bytes: 0, responses: 0 };
  const filler = 'lorem ipsum dolor sit amet, consectetur adipiscing elit; '.repeat(Math.ceil((shape.toolResultBytes * 8) / 56));
  const start = Date.parse('2026-10-01T08:00:00Z');
  for (let f = 0; f < shape.files; f++) {
    const project = path.join(projectsDir, `-home-dev-project${f % 40}`);
    fs.mkdirSync(project, { recursive: true });
    const session = `session-${f.toString().padStart(5, '0')}`;
    const cwd = `/home/dev/project${f % 40}`;
    // Real sizes are skewed: most files short, a few long.
    const r = rand();
    const target = Math.max(4, Math.round(shape.linesPerFile * (r < 0.5 ? 0.5 + r : r < 0.9 ? 1.5 + r * 2 : 6 + r * 8) * 0.45));
    const parts: string[] = [JSON.stringify({ type: 'summary', summary: `Work on project ${f}`, leafUuid: `leaf-${f}` })];
    let t = start + f * 3_600_000;
    let n = 0;
    while (parts.length < target) {
      t += 1000 + Math.floor(rand() * 60_000);
      const ts = new Date(t).toISOString();
      const toolBytes = Math.floor(rand() * 2 * shape.toolResultBytes);
      parts.push(JSON.stringify({ parentUuid: null, isSidechain: false, cwd, sessionId: session, type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${n}`, content: filler.slice(0, toolBytes) }] }, uuid: `u${f}-${n}`, timestamp: ts }));
      const id = `msg_${f}_${n++}`;
      const model = MODELS[Math.floor(rand() * MODELS.length)]!;
      const input = 1 + Math.floor(rand() * 50);
      const write = Math.floor(rand() * 20_000);
      const read = Math.floor(rand() * 150_000);
      const write1h = rand() < 0.3 ? Math.floor(write / 2) : 0;
      const steps = 1 + Math.floor(rand() * 3);
      let output = 1 + Math.floor(rand() * 40);
      for (let s = 0; s < steps; s++) {
        parts.push(
          JSON.stringify({
            parentUuid: `u${f}-${n}`, isSidechain: false, userType: 'external', cwd, sessionId: session, version: '2.1.197', gitBranch: 'main',
            message: { id, type: 'message', role: 'assistant', model, content: [{ type: 'text', text: filler.slice(0, 200 + output) }], stop_reason: null, stop_sequence: null,
              usage: { input_tokens: input, cache_creation_input_tokens: write, cache_read_input_tokens: read, cache_creation: { ephemeral_5m_input_tokens: write - write1h, ephemeral_1h_input_tokens: write1h }, output_tokens: output, service_tier: 'standard' } },
            requestId: `req_${f}_${n}`, type: 'assistant', uuid: `a${f}-${n}-${s}`, timestamp: ts,
          }),
        );
        output += Math.floor(rand() * 800);
      }
      facts.responses++;
      if (rand() < 0.05) parts.push(JSON.stringify({ type: 'progress', cwd, sessionId: session, data: { type: 'hook_progress', hookEvent: 'PostToolUse' }, uuid: `p${f}-${n}`, timestamp: ts }));
    }
    const text = parts.join('\n') + '\n';
    fs.writeFileSync(path.join(project, `${session}.jsonl`), text);
    facts.files++;
    facts.lines += parts.length;
    facts.bytes += Buffer.byteLength(text);
  }
  return facts;
}
