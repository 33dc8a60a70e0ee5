import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { startServer, type RunningServer } from '../../../src/server';
import { ROOT } from '../../helpers/cli';

/**
 * docs/proxy.md promises its JavaScript and Python examples for POST /api/events run as written:
 * each block is taken from the page, given an answer shaped as its SDK's, and run against a real
 * server, as an app would run it.
 */
const page = fs.readFileSync(path.join(ROOT, 'docs', 'proxy.md'), 'utf8');
const section = page.slice(page.indexOf('## Usage events from your own apps'), page.indexOf('## Benchmarks'));
const block = (lang: string) => {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!m) throw new Error(`docs/proxy.md has no ${lang} example under "Usage events from your own apps"`);
  return m[1]!;
};

let core: Core;
let server: RunningServer;
let dir: string;
beforeAll(async () => {
  core = openCore({ memory: true, timeZone: 'UTC' });
  server = await startServer(core, { port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-docs-events-'));
});
afterAll(async () => {
  await server.close();
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Run a script as its own process (not spawnSync: the server answering it lives in this one). */
function run(command: string, file: string, text: string): Promise<{ status: number | null; stderr: string }> {
  fs.writeFileSync(path.join(dir, file), text);
  const env = { ...process.env, BURNRATE_URL: `http://127.0.0.1:${server.port}`, BURNRATE_TOKEN: server.token };
  const child = spawn(command, [path.join(dir, file)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const row = (id: string) =>
  core.db.prepare(`SELECT provider, model, project, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, cost_total_nano, local_day FROM usage_events WHERE external_id = ?`).get(`event:my-app#${id}`);

describe('the usage-event examples of docs/proxy.md', () => {
  it('JavaScript: an OpenAI completion with cached input is recorded with its cache apart, priced to the nano-dollar', async () => {
    // As the openai SDK returns it: prompt_tokens counts the cached ones too.
    const completion = { id: 'chatcmpl-docs1', created: Date.parse('2026-11-20T10:00:00Z') / 1000, model: 'gpt-4o-mini', usage: { prompt_tokens: 1200, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1000 } } };
    const ran = await run(process.execPath, 'report.mjs', `${block('js')}\nawait report(${JSON.stringify(completion)});\n`);
    expect(ran.status, ran.stderr).toBe(0);
    // gpt-4o-mini: 150 nano-USD per fresh input token, 75 per cached one, 600 per output token.
    expect(row('chatcmpl-docs1')).toEqual({ provider: 'openai', model: 'gpt-4o-mini', project: 'checkout', input_tokens: 200, cached_input_tokens: 1000, cache_write_tokens: 0, output_tokens: 300, cost_total_nano: 200 * 150 + 1000 * 75 + 300 * 600, local_day: '2026-11-20' });
    // Run again (a retry): counted once.
    expect((await run(process.execPath, 'report.mjs', `${block('js')}\nawait report(${JSON.stringify(completion)});\n`)).status).toBe(0);
    expect((core.db.prepare(`SELECT COUNT(*) AS n FROM usage_events WHERE external_id LIKE 'event:my-app#chatcmpl-docs1'`).get() as { n: number }).n).toBe(1);
    // A refusal reaches the app as an error with Burnrate's sentence.
    const refused = await run(process.execPath, 'refused.mjs', `${block('js')}\nawait report({ ...${JSON.stringify(completion)}, model: '' });\n`);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/data\.model must name the model/);
  });

  it('Python: an Anthropic message with cache reads is recorded and priced to the nano-dollar', async () => {
    const stub = `\nfrom types import SimpleNamespace as NS\nreport(NS(id="msg_docs1", model="claude-sonnet-4-5", usage=NS(input_tokens=50, output_tokens=100, cache_read_input_tokens=2000, cache_creation_input_tokens=None)))\n`;
    const ran = await run('python3', 'report.py', block('python') + stub);
    expect(ran.status, ran.stderr).toBe(0);
    // claude-sonnet-4-5: 3,000 nano-USD per input token, 300 per cache read, 15,000 per output token.
    expect(row('msg_docs1')).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', input_tokens: 50, cached_input_tokens: 2000, cache_write_tokens: 0, output_tokens: 100, cost_total_nano: 50 * 3000 + 2000 * 300 + 100 * 15_000 });
  });
});
