// Builds everything `npm install` must leave ready: the CLI bundle, the renderer, main and preload.
// Steps whose inputs do not exist yet are skipped with a line saying so.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './build-wasm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

// Native modules and Electron stay outside the bundles: they are loaded from node_modules at run time.
const external = ['better-sqlite3', '@napi-rs/keyring', 'electron', 'playwright-core', 'node-cron', '@modelcontextprotocol/sdk', 'nodemailer', 'undici'];
// nodemailer is loaded from node_modules only when an email is sent (src/notify/email.ts).
// undici (1 MB bundled) is loaded from node_modules only when the metering proxy starts (src/proxy/server.ts).
// The MCP SDK is loaded from node_modules only by `burnrate mcp`, keeping the CLI bundle small for status.
// node-cron 4's ESM build reads import.meta.url, which a CJS bundle leaves empty: load it from node_modules.

// The CLI is two bundles, so `burnrate --version` and `--help` load only the argument parser:
// dist/cli.cjs (commander and the commands' definitions) and dist/cli-runtime.cjs (the core, the
// contract with its zod schemas, the handlers and transports), which src/cli/context.ts loads
// just before a command's action runs. Both stay CommonJS on purpose: esbuild wraps each module
// of a CJS bundle in a function, so V8 only pre-parses code that a command never calls (an ESM
// chunk's top level is compiled in full, which made `status` slower when tried).
// src/cli/context.ts's import('./quick-import') is a third bundle the same way: `burnrate import` of
// unchanged logs loads it instead of the runtime (src/cli/quick-import.ts).
const LAZY_BUNDLES = { './runtime': 'cli-runtime', './quick-import': 'cli-quick-import' };
const RUNTIME_IMPORT = /^\.\/(runtime|quick-import)$/;
const runtimeAsExternal = {
  name: 'cli-runtime-external',
  setup(b) {
    // import('./runtime') becomes a plain require of the other bundle: a dynamic import() of a CJS
    // file would start Node's ESM loader and lex the whole 1.2 MB file for its export names.
    b.onResolve({ filter: RUNTIME_IMPORT }, (args) =>
      args.importer.endsWith(path.join('src', 'cli', 'context.ts')) ? { path: LAZY_BUNDLES[args.path], namespace: 'cli-runtime' } : undefined,
    );
    // The loader goes through V8's code cache (see scripts/cli-runtime-loader.cjs).
    // The loader requires bin/code-cache.cjs at run time (the module bin/burnrate.cjs loaded), not a copy.
    b.onResolve({ filter: /[\\/]bin[\\/]code-cache\.cjs$/, namespace: 'cli-runtime' }, () => ({ path: '../bin/code-cache.cjs', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'cli-runtime' }, (args) => {
      // One loader for each lazy bundle: the runtime's, naming the bundle it loads.
      const loader = fs.readFileSync(path.join(root, 'scripts', 'cli-runtime-loader.cjs'), 'utf8');
      if (!loader.includes("'cli-runtime.cjs'")) throw new Error("build: scripts/cli-runtime-loader.cjs no longer names 'cli-runtime.cjs'; update LAZY_BUNDLES' loader in scripts/build.mjs.");
      return { contents: loader.replace("'cli-runtime.cjs'", `'${args.path}.cjs'`), loader: 'js', resolveDir: path.join(root, 'scripts') };
    });
  },
};

// Both bundles are run through vm.Script (for the code cache), where Node 20 cannot run a real
// import(): load these external packages with require, as esbuild does for bundled modules (the
// keychain binding; nodemailer, which an email channel's sender imports on demand; playwright-core,
// which `report --pdf` imports on demand; undici, which the proxy imports as it starts).
const REQUIRED_AT_RUN_TIME = /^(@napi-rs\/keyring|nodemailer|playwright-core|undici)$/;
const externalsByRequire = {
  name: 'externals-by-require',
  setup(b) {
    b.onResolve({ filter: REQUIRED_AT_RUN_TIME, namespace: 'file' }, (args) => ({ path: args.path, namespace: 'by-require' }));
    b.onLoad({ filter: /.*/, namespace: 'by-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    b.onResolve({ filter: REQUIRED_AT_RUN_TIME, namespace: 'by-require' }, (args) => ({ path: args.path, external: true }));
  },
};

// commander requires node:child_process at its top only to spawn executable sub-commands, which
// burnrate has none of; loading that module (and node:net under it) cost every command ~15 ms of
// start-up. In the entry bundle commander gets a stand-in that loads the real module on first use.
const commanderChildProcessOnUse = {
  name: 'commander-child-process-on-use',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'child-process-on-use' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'child-process-on-use' }, () => ({
      contents: 'module.exports = { spawn: (...args) => require("node:child_process").spawn(...args) };',
      loader: 'js',
    }));
  },
};

// zod's namespace re-exports its ~40 message locales (`z.locales`), 400 KB of the 1.3 MB runtime
// bundle that every command read and kept in memory. Burnrate's messages are English (zod's
// default, which zod's schemas import directly), so the bundle's `z.locales` holds English only.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: path.join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-english-only' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

// src/model/zod.ts loads zod with a require on first use, so that zod's set-up stays off the path
// of a command that builds no schema. A require would pick zod's CommonJS build, a second copy of
// zod beside the ES module build the other modules import: resolve it to the same module, which
// esbuild then initialises on that first require.
const zodOneCopy = {
  name: 'zod-one-copy',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, (args) =>
      args.kind === 'require-call' ? b.resolve('zod', { kind: 'import-statement', resolveDir: args.resolveDir, importer: args.importer }) : undefined,
    );
  },
};

// better-sqlite3's eleven JavaScript files are bundled into the runtime (resolving and compiling
// them one by one from node_modules cost every command ~25 M instructions); its native addon stays
// in node_modules, loaded from the package's own build/Release folder (where its install puts it)
// instead of through the \`bindings\` package, which searches several folders by throwing.
const sqliteBundled = {
  name: 'better-sqlite3-bundled',
  setup(b) {
    b.onResolve({ filter: /^bindings$/ }, (args) =>
      /[\\/]better-sqlite3[\\/]lib[\\/]/.test(args.importer) ? { path: 'better-sqlite3-addon', namespace: 'better-sqlite3-addon' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'better-sqlite3-addon' }, () => ({
      contents: `const path = require("node:path");
const manifest = "better-sqlite3/package.json"; // resolved at run time, from dist/
module.exports = (name) => require(path.join(path.dirname(require.resolve(manifest)), "build", "Release", name));`,
      loader: 'js',
    }));
  },
};

function cliBundle(entry, outfile, plugins = [], bundled = []) {
  return build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: external.filter((name) => !bundled.includes(name)),
    plugins,
    metafile: true,
    sourcemap: 'linked',
    legalComments: 'none',
    define: { __BURNRATE_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
}

/**
 * Shapes a bundle for bin/code-cache.cjs. (1) It compiles the bundle as a function body, where
 * src/cli.ts's `#!` line would be a syntax error; the bundles are never run as programs themselves
 * (bin/burnrate.cjs is), so that line becomes a comment of the same length and the source map stays
 * right. (2) A file with even one non-ASCII character is decoded by V8 into a two-byte string: twice
 * the memory and ~10 M more instructions per `status` than a one-byte one (callgrind, 1.3 MB
 * bundle). esbuild escapes strings and identifiers already; what is left (comments, a character in
 * a regular expression) is written as a \u escape, which means the same in each of those places.
 */
function shapeForCodeCache(file) {
  const original = fs.readFileSync(file, 'utf8');
  const shaped = (original.startsWith('#!') ? `//${original.slice(2)}` : original).replace(/[^\t\n\r\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (shaped !== original) fs.writeFileSync(file, shaped);
}

async function buildCli() {
  const [front, runtime, quick] = await Promise.all([
    cliBundle('src/cli.ts', 'dist/cli.cjs', [runtimeAsExternal, commanderChildProcessOnUse, externalsByRequire, zodOneCopy]),
    cliBundle('src/cli/runtime.ts', 'dist/cli-runtime.cjs', [externalsByRequire, zodEnglishOnly, sqliteBundled, zodOneCopy], ['better-sqlite3']),
    // Its own copy of better-sqlite3's JavaScript (the addon is one): no object of it reaches the
    // runtime, and Burnrate tells SQLite's errors by their code, never by instanceof SqliteError.
    cliBundle('src/cli/quick-import.ts', 'dist/cli-quick-import.cjs', [sqliteBundled], ['better-sqlite3']),
    // The agent-log parse worker (src/agents/parse-pool.ts looks for it beside the runtime bundle).
    cliBundle('src/agents/parse-worker.ts', 'dist/agent-parse-worker.cjs', [zodOneCopy]),
    // Its line reader (src/agents/line-scanner.ts looks for it beside the running bundle).
    buildWasm(root, ['dist']),
  ]);
  // A module in both bundles would exist twice at run time: `instanceof ApiError` (or MoneyError)
  // would then fail across them. Command files reach shared code through loadedRuntime() instead.
  const inputs = (result) => new Set(Object.keys(result.metafile.inputs));
  for (const [other, name] of [[runtime, 'dist/cli-runtime.cjs'], [quick, 'dist/cli-quick-import.cjs']]) {
    const otherInputs = inputs(other);
    const shared = [...inputs(front)].filter((file) => otherInputs.has(file));
    if (shared.length > 0) {
      throw new Error(`build: dist/cli.cjs and ${name} both contain ${shared.join(', ')}; import it in src/cli/runtime.ts and reach it through loadedRuntime().`);
    }
  }
  for (const bundle of ['cli.cjs', 'cli-runtime.cjs', 'cli-quick-import.cjs']) {
    shapeForCodeCache(path.join(root, 'dist', bundle));
    fs.rmSync(path.join(root, 'dist', `${bundle}.v8cache`), { force: true }); // the next run writes a fresh one
  }
  console.log('build: dist/cli.cjs, dist/cli-runtime.cjs, dist/cli-quick-import.cjs, dist/agent-parse-worker.cjs, dist/claude-line.wasm');
}

async function buildMain() {
  if (!fs.existsSync(path.join(root, 'main/main.ts'))) return console.log('build: main/ not present yet, skipped');
  for (const [entry, out] of [
    ['main/main.ts', 'dist/main/main.cjs'],
    ['main/preload.ts', 'dist/main/preload.cjs'],
    ['src/agents/parse-worker.ts', 'dist/main/agent-parse-worker.cjs'],
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
      plugins: [zodOneCopy],
      sourcemap: 'linked',
      define: { __BURNRATE_VERSION__: JSON.stringify(pkg.version) },
      logLevel: 'warning',
    });
    console.log(`build: ${out}`);
  }
  await buildWasm(root, ['dist/main']); // beside main.cjs and its parse worker
  console.log('build: dist/main/claude-line.wasm');
}

async function buildRenderer() {
  if (!fs.existsSync(path.join(root, 'renderer/vite.config.ts'))) return console.log('build: renderer/ not present yet, skipped');
  // renderer/vite.config.ts imports the contract's TypeScript (scripts/method-kinds-plugin.ts) on
  // purpose; Vite's bundled config loader handles that, and its note about a future native loader
  // would only be noise on every build.
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  console.log('build: dist/renderer');
}

if (want('cli')) await buildCli();
if (want('main')) await buildMain();
if (want('renderer')) await buildRenderer();
