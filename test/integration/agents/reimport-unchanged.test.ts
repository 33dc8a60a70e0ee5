import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importAgentLogs } from '../../../src/agents/importer';
import { dispatch } from '../../../src/api/dispatch';
import { openCore } from '../../../src/app/open';
import { unchangedImport } from '../../../src/cli/quick-import';
import { burnrate } from '../../helpers/cli';

/**
 * `burnrate import` of logs that did not change since the last import is answered by
 * src/cli/quick-import.ts without the runtime (issue 16: a re-import costs a stat per file). Its
 * answer must be the full import's answer, it must write nothing (no other process sees a change),
 * and it must leave every other case to the full import.
 */

const FIXTURES = path.resolve(__dirname, '../../fixtures/agents');
const CLAUDE_LOG = path.join('.claude', 'projects', '-home-dev-shop', '5f0c7a2e-1111-4c2b-9a55-0d3c2f6a7b01.jsonl');

let dir: string;
let home: string;
let burnrateHome: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-reimport-'));
  home = path.join(dir, 'home');
  burnrateHome = path.join(dir, 'burnrate');
  for (const agent of ['claude', 'codex', 'gemini']) fs.cpSync(path.join(FIXTURES, agent), path.join(home, `.${agent}`), { recursive: true });
  env = { HOME: home, TZ: 'UTC' };
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A full import through the core, as agentsImport runs it. */
function fullImport(timeZone = 'UTC') {
  const core = openCore({ home: burnrateHome, env, timeZone });
  try {
    return { agents: importAgentLogs(core).agents };
  } finally {
    core.close();
  }
}

/** A line Claude Code appends: one more response. */
function appendResponse(): void {
  const line = JSON.stringify({
    type: 'assistant',
    timestamp: '2026-11-21T10:00:00.000Z',
    sessionId: '5f0c7a2e-1111-4c2b-9a55-0d3c2f6a7b01',
    cwd: '/home/dev/shop',
    requestId: 'req_new',
    message: { id: 'msg_new', model: 'claude-sonnet-4-5', role: 'assistant', usage: { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
  });
  fs.appendFileSync(path.join(home, CLAUDE_LOG), `${line}\n`);
}

describe('the quick answer for unchanged logs (in process)', () => {
  it('equals the full import of the same unchanged logs, for every agent and for one agent with --path', () => {
    const first = fullImport();
    expect(first.agents.map((a) => a.added).reduce((s, n) => s + n, 0)).toBeGreaterThan(0); // the premise: logs were read
    const quick = unchangedImport({}, { home: burnrateHome, env });
    const quickOne = unchangedImport({ agent: 'claude-code', path: path.join(home, '.claude') }, { home: burnrateHome, env });
    expect(quick).toBeDefined();
    expect(quick!.agents.every((a) => a.files > 0 && a.filesRead === 0 && a.added === 0)).toBe(true);
    expect(quick).toEqual(fullImport());
    const core = openCore({ home: burnrateHome, env, timeZone: 'UTC' });
    try {
      expect(quickOne).toEqual({ agents: importAgentLogs(core, { agents: ['claude-code'], path: path.join(home, '.claude') }).agents });
    } finally {
      core.close();
    }
  });

  it('leaves a grown or new log to the full import, which then reads it', () => {
    fullImport();
    appendResponse();
    expect(unchangedImport({}, { home: burnrateHome, env })).toBeUndefined();
    expect(fullImport().agents.find((a) => a.agent === 'claude-code')).toMatchObject({ filesRead: 1, added: 1 });
    expect(unchangedImport({}, { home: burnrateHome, env })).toBeDefined();
    fs.copyFileSync(path.join(home, CLAUDE_LOG), path.join(path.dirname(path.join(home, CLAUDE_LOG)), 'copy.jsonl'));
    expect(unchangedImport({}, { home: burnrateHome, env })).toBeUndefined();
  });

  it('leaves to the full import what only it may answer: bad input, no ledger, a schema to migrate, another time zone', () => {
    fullImport();
    const options = { home: burnrateHome, env };
    expect(unchangedImport({}, options)).toBeDefined(); // the premise: everything below differs by one thing
    expect(unchangedImport({ path: home }, options)).toBeUndefined(); // a folder without its agent is refused there
    expect(unchangedImport({ agent: 'cursor' }, options)).toBeUndefined();
    expect(unchangedImport({ agent: 'claude-code', path: path.join(dir, 'absent') }, options)).toBeUndefined();
    expect(unchangedImport({}, { ...options, home: path.join(dir, 'no-ledger-here') })).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'no-ledger-here'))).toBe(false); // and nothing was created
    expect(unchangedImport({}, { ...options, timeZone: 'Europe/Berlin' })).toBeUndefined(); // opening the core re-files the days
    expect(unchangedImport({}, { ...options, env: { ...env, TZ: 'Europe/Berlin' } })).toBeUndefined();
    expect(unchangedImport({}, { ...options, memory: true })).toBeUndefined();
    const db = new BetterSqlite3(path.join(burnrateHome, 'ledger.sqlite'));
    db.prepare('DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)').run();
    db.close();
    expect(unchangedImport({}, options)).toBeUndefined();
  });
});

describe('the full import of unchanged logs (serve, the app, and the CLI when the quick answer declines)', () => {
  it('changes no row and tells no window anything', async () => {
    fullImport();
    const core = openCore({ home: burnrateHome, env, timeZone: 'UTC' });
    try {
      const events: string[] = [];
      core.events.onAny((name) => events.push(name));
      const changes = () => (core.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
      const before = changes();
      const report = await dispatch(core, 'agentsImport', {});
      expect(report.agents.every((a) => a.files > 0 && a.filesRead === 0)).toBe(true);
      expect(changes()).toBe(before);
      expect(events).toEqual([]);
    } finally {
      core.close();
    }
  });
});

describe('burnrate import of unchanged logs (the built CLI)', () => {
  it('reports every file unchanged and writes nothing: data_version and the file stay; a grown log is then imported', () => {
    const cliEnv = { HOME: home, BURNRATE_HOME: burnrateHome };
    const logs = path.join(home, '.claude');
    const first = burnrate(['import', 'claude-code', '--path', logs, '--json'], cliEnv);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().agents[0].added).toBeGreaterThan(0);
    const file = path.join(burnrateHome, 'ledger.sqlite');
    // A connection held open across the re-import sees any other process's commit in data_version
    // (the change watcher of every window works this way).
    const watcher = new BetterSqlite3(file, { readonly: true });
    const version = () => watcher.pragma('data_version', { simple: true }) as number;
    const before = { version: version(), mtimeMs: fs.statSync(file).mtimeMs, bytes: fs.readFileSync(file) };

    const again = burnrate(['import', 'claude-code', '--path', logs, '--json'], cliEnv);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.json()).toEqual({
      agents: [{ agent: 'claude-code', roots: [path.join(logs, 'projects')], files: first.json().agents[0].files, filesRead: 0, bytesRead: 0, added: 0, updated: 0, skipped: 0, unpriced: 0, problems: [] }],
    });
    const text = burnrate(['import', 'claude-code', '--path', logs], cliEnv);
    expect(text.stdout.trim()).toBe(`claude-code  ${first.json().agents[0].files} files (0 read, 0.0 MB): 0 responses added, 0 updated`);
    expect(version()).toBe(before.version);
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(fs.readFileSync(file).equals(before.bytes)).toBe(true);

    appendResponse();
    const grown = burnrate(['import', 'claude-code', '--path', logs, '--json'], cliEnv);
    expect(grown.code, grown.stderr).toBe(0);
    expect(grown.json().agents[0]).toMatchObject({ filesRead: 1, added: 1 });
    expect(version()).not.toBe(before.version); // the premise of the check above: a write is seen
    watcher.close();
  });
});
