// Builds everything `npm install` must leave ready: the CLI bundle, the renderer, main and preload.
// Steps whose inputs do not exist yet are skipped with a line saying so.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

// Native modules and Electron stay outside the bundles: they are loaded from node_modules at run time.
const external = ['better-sqlite3', '@napi-rs/keyring', 'electron', 'playwright-core', 'node-cron', '@modelcontextprotocol/sdk'];
// The MCP SDK is loaded from node_modules only by `burnrate mcp`, keeping the CLI bundle small for status.
// node-cron 4's ESM build reads import.meta.url, which a CJS bundle leaves empty: load it from node_modules.

async function buildCli() {
  await build({
    entryPoints: [path.join(root, 'src/cli.ts')],
    outfile: path.join(root, 'dist/cli.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    sourcemap: 'linked',
    legalComments: 'none',
    define: { __BURNRATE_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  console.log('build: dist/cli.cjs');
}

async function buildMain() {
  if (!fs.existsSync(path.join(root, 'main/main.ts'))) return console.log('build: main/ not present yet, skipped');
  for (const [entry, out] of [
    ['main/main.ts', 'dist/main/main.cjs'],
    ['main/preload.ts', 'dist/main/preload.cjs'],
  ]) {
    if (!fs.existsSync(path.join(root, entry))) continue;
    await build({
      entryPoints: [path.join(root, entry)],
      outfile: path.join(root, out),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external,
      sourcemap: 'linked',
      define: { __BURNRATE_VERSION__: JSON.stringify(pkg.version) },
      logLevel: 'warning',
    });
    console.log(`build: ${out}`);
  }
}

async function buildRenderer() {
  if (!fs.existsSync(path.join(root, 'renderer/vite.config.ts'))) return console.log('build: renderer/ not present yet, skipped');
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  console.log('build: dist/renderer');
}

if (want('cli')) await buildCli();
if (want('main')) await buildMain();
if (want('renderer')) await buildRenderer();
