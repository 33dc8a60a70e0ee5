import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Integration tests run the CLI as users do, so build its bundle first (a fraction of a second). */
export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build.mjs'), 'cli'], { stdio: 'inherit' });
}
