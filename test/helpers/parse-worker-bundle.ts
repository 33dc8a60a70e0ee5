import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundle the agent-log parse worker into `dir`, as scripts/build.mjs does for dist/: the parse
 * pool runs workers only from a bundle (never TypeScript sources), so a test of the pooled path
 * needs one. Returns the script's path.
 */
export async function bundleParseWorker(dir: string): Promise<string> {
  const outfile = path.join(dir, 'agent-parse-worker.cjs');
  await build({ entryPoints: [path.resolve(__dirname, '../../src/agents/parse-worker.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  // Its line reader beside it, as in dist/ (the test run's global set-up built it).
  fs.copyFileSync(path.resolve(__dirname, '../../dist/claude-line.wasm'), path.join(dir, 'claude-line.wasm'));
  return outfile;
}
