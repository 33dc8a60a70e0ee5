import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../../helpers/cli';

/**
 * An unreadable log or log folder is named in one sentence and the import goes on with the other
 * files (issue 16, "Bad input never stops an import").
 *
 * The tests run as root, and root reads a file whatever its mode: chmod 000 alone proves nothing.
 * So the CLI runs as an unprivileged user (nobody, uid 65534) through util-linux's setpriv, with
 * every group dropped, exactly as a user's own process meets a file it may not read. Not as root,
 * it runs the CLI directly.
 */

const FIXTURE = path.resolve(__dirname, '../../fixtures/agents/claude/projects/-home-dev-shop');
const SESSION = '5f0c7a2e-1111-4c2b-9a55-0d3c2f6a7b01.jsonl';
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

let dir: string;

/** Run the built CLI as a user without root's pass over file modes. */
function cliAsUser(args: string[]): { code: number; stdout: string; stderr: string } {
  const env = { ...process.env, TZ: 'UTC', HOME: dir, BURNRATE_HOME: path.join(dir, 'burnrate') };
  const cmd = asRoot
    ? [setpriv!, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, BIN, ...args]
    : [process.execPath, BIN, ...args];
  const r = spawnSync(cmd[0]!, cmd.slice(1), { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Give the whole tree to the user the CLI runs as (only needed when the test itself is root). */
function handOver(p: string): void {
  if (!asRoot) return;
  fs.chownSync(p, NOBODY, NOBODY);
  if (fs.lstatSync(p).isDirectory()) for (const e of fs.readdirSync(p)) handOver(path.join(p, e));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-unreadable-'));
  fs.chmodSync(dir, 0o755);
});
afterEach(() => {
  for (const p of [path.join(dir, 'logs', 'locked'), path.join(dir, 'logs', 'ok', 'locked.jsonl')]) if (fs.existsSync(p)) fs.chmodSync(p, 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(asRoot && !setpriv)('unreadable logs and log folders (run as an unprivileged user)', () => {
  it('names the unreadable folder and file in one sentence each, and imports the readable log', () => {
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(path.join(logs, 'ok'), { recursive: true });
    fs.mkdirSync(path.join(logs, 'locked'));
    fs.copyFileSync(path.join(FIXTURE, SESSION), path.join(logs, 'ok', SESSION));
    // Another session's responses in a file the user may not read, and in a folder they may not list.
    // (msg_01A, msg_02B, msg_03C renamed; the subagent's msg_S1 stays the same response.)
    const other = (prefix: string) => fs.readFileSync(path.join(FIXTURE, SESSION), 'utf8').replaceAll('"msg_0', `"${prefix}`);
    fs.writeFileSync(path.join(logs, 'ok', 'locked.jsonl'), other('msg_X'));
    fs.writeFileSync(path.join(logs, 'locked', 'hidden.jsonl'), other('msg_Y'));
    handOver(dir);
    fs.chmodSync(path.join(logs, 'ok', 'locked.jsonl'), 0o000);
    fs.chmodSync(path.join(logs, 'locked'), 0o000);
    // The premise: the user the CLI runs as really cannot read them (root could).
    const probe = cliAsUser(['import', 'claude-code', '--path', logs, '--json']);
    expect(probe.code, probe.stderr).toBe(0);
    const report = JSON.parse(probe.stdout) as { agents: { files: number; filesRead: number; added: number; problems: string[] }[] };
    expect(report.agents[0]!.problems).toEqual([
      `The folder ${path.join(logs, 'locked')} could not be read (EACCES); check its permissions.`,
      `The log ${path.join(logs, 'ok', 'locked.jsonl')} could not be opened (EACCES); check its permissions.`,
    ]);
    // The readable log is imported all the same: its four responses (test/integration/agents/import.test.ts).
    expect(report.agents[0]).toMatchObject({ files: 2, filesRead: 1, added: 4 });
    const text = cliAsUser(['import', 'claude-code', '--path', logs]);
    expect(text.stdout).toContain(`  ! The log ${path.join(logs, 'ok', 'locked.jsonl')} could not be opened (EACCES); check its permissions.`);

    // Once readable, the next import reads what was skipped (nothing was marked as done): three new
    // responses in each, their msg_S1 already counted.
    fs.chmodSync(path.join(logs, 'ok', 'locked.jsonl'), 0o644);
    fs.chmodSync(path.join(logs, 'locked'), 0o755);
    const after = JSON.parse(cliAsUser(['import', 'claude-code', '--path', logs, '--json']).stdout) as typeof report;
    expect(after.agents[0]).toMatchObject({ files: 3, filesRead: 2, added: 6, problems: [] });
  });

  it('a log that is a FIFO is passed over (never opened, so never waited on), and a root that is a file is named', () => {
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    fs.copyFileSync(path.join(FIXTURE, SESSION), path.join(logs, SESSION));
    expect(spawnSync('mkfifo', [path.join(logs, 'pipe.jsonl')]).status).toBe(0);
    handOver(dir);
    const r = cliAsUser(['import', 'claude-code', '--path', logs, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).agents[0]).toMatchObject({ files: 1, added: 4, problems: [] });

    const file = path.join(logs, SESSION);
    const asRootFolder = cliAsUser(['import', 'claude-code', '--path', file, '--json']);
    expect(JSON.parse(asRootFolder.stdout).agents[0].problems).toEqual([`The log folder ${file} is a file, not a folder; move it away or import from the folder that holds the logs.`]);
    const missing = cliAsUser(['import', 'claude-code', '--path', path.join(dir, 'nowhere')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe(`burnrate: There is no folder ${path.join(dir, 'nowhere')}; name the folder that holds the Claude Code logs. Nothing was imported.`);
  });
});
