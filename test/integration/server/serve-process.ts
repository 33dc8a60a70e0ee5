import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, tempHome } from '../../helpers/cli';

/** `burnrate serve` run as a user runs it, for the tests of the command and of live updates. */

export const NOW = '2026-11-28T18:00:00Z';
export const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/;

export interface Served {
  child: ChildProcess;
  line: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** Kill every server a test left running (call from afterEach). */
export function killServed(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Start `burnrate serve` as a user does and wait for its one stdout line (never a sleep). */
export function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, TZ: 'UTC', BURNRATE_NOW: NOW, BURNRATE_HOME: tempHome(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, line: out.slice(0, nl), stdout: () => out, stderr: () => err, exited });
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    void exited.then(({ code }) => reject(new Error(`burnrate serve exited with ${code} before printing its URL: ${err}`)));
  });
}

