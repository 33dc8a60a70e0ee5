import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import type { UsageEventInput } from '../../../src/model/ledger';
import { Journal } from '../../../src/proxy/journal';
import { Recorder } from '../../../src/proxy/recorder';
import { startProxy } from '../../../src/proxy/server';

/**
 * The row journal's leftovers (src/proxy/journal.ts, recorder.ts): whose files are replayed, by
 * whom and when, and that a replay changes nothing already in the ledger.
 */
const opened: Core[] = [];
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const c of opened.splice(0)) c.close();
});

function open(home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-journal-'))): Core {
  const core = openCore({ home, env: {}, timeZone: 'UTC' });
  opened.push(core);
  return core;
}

function row(id: string, metadata: Record<string, unknown> = {}): UsageEventInput {
  return { source: 'proxy', provider: 'openai', externalId: id, model: 'gpt-4o', inputTokens: 100, outputTokens: 10, occurredAt: new Date('2026-12-02T10:00:00Z'), metadata: { kind: 'chat', stream: false, ...metadata } };
}

const journalDir = (core: Core) => path.join(core.home, 'proxy-journal');
/** A journal file as a proxy that is gone left it. */
function leave(core: Core, name: string, rows: UsageEventInput[]): void {
  fs.mkdirSync(journalDir(core), { recursive: true });
  fs.writeFileSync(path.join(journalDir(core), name), rows.map((r) => JSON.stringify(r) + '\n').join(''));
}
const ids = (core: Core) => (core.db.prepare(`SELECT external_id FROM usage_events WHERE source = 'proxy' ORDER BY external_id`).pluck().all() as string[]);

function recorder(core: Core, log?: (line: string) => void): Recorder {
  const r = new Recorder(core, { journal: Journal.open(core.home), ...(log ? { log } : {}) });
  closers.push(() => r.close());
  return r;
}

describe('the row journal', () => {
  it("a proxy restarted with the same pid as a killed one replays that one's rows instead of erasing them", () => {
    const core = open();
    // What the killed proxy left: its first journal, named as the first journal of this pid.
    leave(core, `${process.pid}-1.jsonl`, [row('chatcmpl-killed-1'), row('chatcmpl-killed-2')]);
    const r = recorder(core);
    expect(r.replayLeftovers()).toBe(2);
    expect(ids(core)).toEqual(['chatcmpl-killed-1', 'chatcmpl-killed-2']);
    // The new journal is a file of its own, never the killed one's.
    r.record(row('chatcmpl-new'));
    r.flush();
    expect(fs.readdirSync(journalDir(core)).filter((n) => n === `${process.pid}-1.jsonl`)).toEqual([]);
  });

  it('an append after the journal was emptied is its only line (appends go to the end, never after a hole)', () => {
    const core = open();
    const journal = Journal.open(core.home)!;
    closers.push(() => journal.close(true));
    journal.append(row('chatcmpl-before'));
    journal.write();
    journal.clear();
    journal.append(row('chatcmpl-after'));
    journal.write();
    expect(fs.readFileSync(journal.file, 'utf8')).toBe(JSON.stringify(row('chatcmpl-after')) + '\n');
  });

  it('rows of a proxy switched off here while the ledger was busy are replayed by the next proxy of this process', () => {
    const core = open();
    const other = open(core.home);
    const first = new Recorder(core, { journal: Journal.open(core.home) });
    other.db.exec('BEGIN IMMEDIATE'); // a long import holds the write lock
    try {
      first.record(row('chatcmpl-waiting'));
      first.flush();
      expect(first.close()).toBe(1); // kept in its journal
    } finally {
      other.db.exec('ROLLBACK');
    }
    expect(ids(core)).toEqual([]);
    const second = recorder(core);
    expect(second.replayLeftovers()).toBe(1);
    expect(ids(core)).toEqual(['chatcmpl-waiting']);
  });

  it('a running proxy replays a journal left while it runs, without a restart', async () => {
    const core = open();
    const proxy = await startProxy(core, core.prices, { port: 0, leftoverCheckMs: 20 });
    closers.push(() => proxy.close());
    // Not open in this process: a proxy that stopped with rows in it (the pid is this one's, so it is not "alive elsewhere").
    leave(core, `${process.pid}-deadbeef.jsonl`, [row('chatcmpl-left-behind')]);
    await expect.poll(() => ids(core), { timeout: 5_000, interval: 20 }).toEqual(['chatcmpl-left-behind']);
    expect(fs.existsSync(path.join(journalDir(core), `${process.pid}-deadbeef.jsonl`))).toBe(false);
  });

  it('replaying a row already in the ledger keeps the Codex pairing mark on it', () => {
    const core = open();
    const codexRow = row('resp_paired', { client: 'codex' });
    core.usage.write([codexRow]);
    // An old Codex log's import paired it (codex-twins.ts) after the row was journaled.
    core.db.prepare(`UPDATE usage_events SET metadata = json_set(metadata, '$.twinOf', 'codex:2026-12-02T10:00:01Z:100:0:10') WHERE external_id = 'resp_paired'`).run();
    const dead = spawnSync(process.execPath, ['-e', '']).pid; // a proxy process that is gone
    leave(core, `${dead}-1.jsonl`, [codexRow]);
    recorder(core).replayLeftovers();
    const meta = JSON.parse(core.db.prepare(`SELECT metadata FROM usage_events WHERE external_id = 'resp_paired'`).pluck().get() as string) as Record<string, unknown>;
    expect(meta.twinOf).toBe('codex:2026-12-02T10:00:01Z:100:0:10');
  });

  it('a leftover that cannot be read is said once and skipped; the others are replayed and the proxy starts', async () => {
    const core = open();
    // A journal that cannot be read as a file (EISDIR here; EACCES for another user's file behaves the same).
    fs.mkdirSync(path.join(journalDir(core), `${process.pid}-bad.jsonl`), { recursive: true });
    leave(core, `${process.pid}-good.jsonl`, [row('chatcmpl-readable')]);
    const lines: string[] = [];
    const proxy = await startProxy(core, core.prices, { port: 0, log: (l) => lines.push(l) });
    closers.push(() => proxy.close());
    expect(ids(core)).toEqual(['chatcmpl-readable']);
    const said = lines.filter((l) => l.includes('cannot be read'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`${process.pid}-bad.jsonl`);
  });
});
