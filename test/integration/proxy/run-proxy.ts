import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../../helpers/cli';

export interface ProxyProcess {
  child: ChildProcess;
  /** Its one stdout line: the base URL. */
  line: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/**
 * `burnrate proxy --port 0` as a user runs it; resolves with its one stdout line (readiness, never
 * a sleep). The caller keeps `children` to kill what is left after each test.
 */
export function runProxy(env: Record<string, string>, children: ChildProcess[]): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0'], { env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n')) resolve({ child, line: out.split('\n')[0]!, stdout: () => out, exited });
    });
    child.on('exit', (code) => reject(new Error(`burnrate proxy exited with ${code}`)));
  });
}
