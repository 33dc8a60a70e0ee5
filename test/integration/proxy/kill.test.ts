import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

/**
 * The promise: "a kill -9 of the proxy mid-run: every request whose response completed to
 * the client is in the ledger after restart". The client keeps the id of every answer it received
 * whole; the proxy is killed with requests still in flight; after a restart every kept id is a row.
 * Half the answers complete while another process holds the ledger's write lock, so their rows can
 * only have survived through the row journal.
 */
let fake: FakeUpstream;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream({ keepBodies: false });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fake.release();
  await fake.close();
});

/** `burnrate proxy` as a user runs it; resolves once it prints its URL (it listens from then on). */
function runProxy(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0'], { env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n')) resolve({ child, url: out.split('\n')[0]!, exited });
    });
    child.once('exit', (code) => reject(new Error(`burnrate proxy exited with ${code}`)));
  });
}

/** One chat completion, JSON or streamed; resolves with the answer's id once the client has it all. */
async function complete(url: string, stream: boolean, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-kill-test', 'content-type': 'application/json', 'x-fake-output': '5', ...headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'count to five' }] }),
  });
  const text = await res.text(); // the whole body: the response completed to the client
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  if (!stream) return (JSON.parse(text) as { id: string }).id;
  expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  return (JSON.parse(/^data: (.*)$/m.exec(text)![1]!) as { id: string }).id;
}

describe('kill -9 of the proxy mid-run', () => {
  it('every answer that completed to the client is in the ledger after a restart, also those a locked ledger had not taken', async () => {
    const home = tempHome('burnrate-proxy-kill-');
    const env = { BURNRATE_HOME: home, BURNRATE_OPENAI_BASE_URL: fake.url };
    const first = await runProxy(env);
    const received: string[] = [];

    // Answers with a free ledger.
    received.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => complete(first.url, i % 2 === 0)))));
    // Requests still at the upstream when the proxy dies: never completed, so nothing is promised for them.
    const inFlight = Array.from({ length: 4 }, (_, i) => complete(first.url, i % 2 === 0, { 'x-fake-hold': '1' }).catch(() => 'cut'));

    // Another process holds the write lock: the proxy cannot commit, and still answers.
    const ledgerFile = path.join(home, 'ledger.sqlite');
    const other = new Database(ledgerFile);
    other.prepare('BEGIN IMMEDIATE').run();
    const locked = await Promise.all(Array.from({ length: 20 }, (_, i) => complete(first.url, i % 2 === 0)));
    received.push(...locked);
    while (fake.held() < 4) await new Promise((r) => setImmediate(r)); // the held ones reached the upstream

    first.child.kill('SIGKILL');
    await first.exited;
    other.prepare('ROLLBACK').run();
    other.close();
    expect(await Promise.all(inFlight)).toEqual(['cut', 'cut', 'cut', 'cut']);

    const ids = (): string[] => {
      const db = new Database(ledgerFile, { readonly: true });
      try {
        return (db.prepare(`SELECT external_id FROM usage_events WHERE source = 'proxy'`).pluck().all() as string[]).sort();
      } finally {
        db.close();
      }
    };
    // Before the restart the locked-out rows are not in the ledger: only the journal has them.
    const beforeRestart = ids();
    for (const id of locked) expect(beforeRestart).not.toContain(id);

    const second = await runProxy(env);
    expect(new Set(received).size).toBe(40);
    expect(ids()).toEqual([...received].sort()); // each once, none missing, nothing extra
    second.child.kill('SIGKILL');
    await second.exited;
  });
});
