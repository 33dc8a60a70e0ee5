import { build } from 'esbuild';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `burnrate status` must not run zod's module set-up (src/model/zod.ts): the CLI runtime bundle
// initialises, at load, every module reached from src/cli/runtime.ts by static imports, and zod
// with them if one of those imports 'zod' as a value. A dynamic import() or a require is lazy.
const root = path.resolve(__dirname, '../../..');

async function staticallyLoaded(entry: string): Promise<{ loaded: Set<string>; importsZod: (file: string) => boolean }> {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    external: ['better-sqlite3', '@napi-rs/keyring', 'electron', 'playwright-core', 'node-cron', '@modelcontextprotocol/sdk', 'nodemailer'],
  });
  const inputs = result.metafile.inputs;
  const loaded = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (loaded.has(file)) continue;
    loaded.add(file);
    for (const imported of inputs[file]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) queue.push(imported.path);
  }
  const importsZod = (file: string) => !file.includes('node_modules') && (inputs[file]?.imports ?? []).some((i) => i.kind === 'import-statement' && /node_modules[\\/]zod[\\/]/.test(i.path));
  return { loaded, importsZod };
}

describe('the CLI runtime loads zod on first use only', () => {
  it('no module loaded with src/cli/runtime.ts imports zod', async () => {
    const { loaded, importsZod } = await staticallyLoaded('src/cli/runtime.ts');
    expect(loaded.has('src/api/dispatch.ts')).toBe(true);
    expect(loaded.has('src/api/contract/core.ts')).toBe(true);
    expect([...loaded].filter(importsZod)).toEqual([]);
    expect([...loaded].filter((file) => /node_modules[\\/]zod[\\/]/.test(file))).toEqual([]);
  });

  it('sees a module that does import zod (the check can fail)', async () => {
    const { loaded, importsZod } = await staticallyLoaded('src/providers/openai.ts');
    expect([...loaded].filter(importsZod)).toContain('src/providers/openai.ts');
  });
});
