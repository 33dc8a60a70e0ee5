// Compiles the WebAssembly reader of Claude Code lines (src/agents/wasm/claude-line.ts, AssemblyScript)
// into each folder given. A plain npm dependency compiles it (assemblyscript, in JavaScript): no
// system toolchain, and the .wasm runs unchanged in Node, its workers and Electron on every platform.
import asc from 'assemblyscript/asc';
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = path.join('src', 'agents', 'wasm', 'claude-line.ts');
export const WASM_FILE = 'claude-line.wasm';

/**
 * Writes claude-line.wasm into each of `folders` (relative to `root`). SIMD is on: the string scan
 * reads 16 bytes per step (every engine Burnrate runs in has had it since 2021). The stub runtime
 * has no allocator or garbage collector: the module allocates nothing.
 */
export async function buildWasm(root, folders) {
  const outFile = path.join(root, folders[0], WASM_FILE);
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main(
    [path.join(root, SOURCE), '--outFile', outFile, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd'],
    { stdout: asc.createMemoryStream(), stderr },
  );
  if (error) throw new Error(`build: ${SOURCE} did not compile: ${error.message}\n${stderr.toString()}`);
  for (const folder of folders.slice(1)) {
    fs.mkdirSync(path.join(root, folder), { recursive: true });
    fs.copyFileSync(outFile, path.join(root, folder, WASM_FILE));
  }
}
