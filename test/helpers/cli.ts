import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'burnrate.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/** A fresh BURNRATE_HOME in the temp folder. */
export function tempHome(prefix = 'burnrate-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Run the built CLI as a user runs it (node bin/burnrate.cjs …). */
export function burnrate(args: string[], env: Record<string, string | undefined> = {}, input?: string): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, TZ: 'UTC', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    json() {
      return JSON.parse(result.stdout);
    },
  };
}
