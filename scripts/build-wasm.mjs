// Compiles the WebAssembly reader of Claude Code lines (src/agents/wasm/claude-line.ts, AssemblyScript)
// into each folder given. A plain npm dependency compiles it (assemblyscript, in JavaScript): no
// system toolchain, and the .wasm runs unchanged in Node, its workers and Electron on every platform.
import asc from 'assemblyscript/asc';
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = path.join('src', 'agents', 'wasm', 'claude-line.ts');
export const WASM_FILE = 'claude-line.wasm';

/** The module this build already compiled (the CLI's and main's steps both want it): compiled once. */
let compiled;

/**
 * Writes claude-line.wasm into each of `folders` (relative to `root`). SIMD is on: the string scan
 * reads 16 bytes per step (every engine Burnrate runs in has had it since 2021). The stub runtime
 * has no allocator or garbage collector: the module allocates nothing.
 */
export async function buildWasm(root, folders) {
  compiled ??= compile(root, path.join(root, folders[0], WASM_FILE));
  const outFile = await compiled;
  for (const folder of folders) {
    const target = path.join(root, folder, WASM_FILE);
    if (target === outFile) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(outFile, target);
  }
}

async function compile(root, outFile) {
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main(
    [path.join(root, SOURCE), '--outFile', outFile, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd'],
    { stdout: asc.createMemoryStream(), stderr },
  );
  if (error) throw new Error(`build: ${SOURCE} did not compile: ${error.message}\n${stderr.toString()}`);
  return outFile;
}
