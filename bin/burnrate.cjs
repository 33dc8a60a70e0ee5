#!/usr/bin/env node
'use strict';
// Thin launcher for the CLI bundle (dist/cli.cjs, built by `npm run build`, which `npm install` runs).
//
// It loads the bundle through V8's code cache: compiling the 1.4 MB bundle costs ~30 ms per run
// (a quarter of `burnrate status`), and V8 can skip that with the cached data of an earlier run.
// The cache sits beside the bundle (dist/cli.cjs.v8cache), is rebuilt whenever V8 rejects it (a
// new bundle or a new Node), and is simply skipped when dist/ is not writable.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = `${bundle}.v8cache`;

let code;
try {
  // Node's own loader drops a leading #! line; a wrapped script must too (keep the line count).
  code = fs.readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
} catch {
  process.stderr.write(`burnrate: the CLI is not built yet; run "npm run build" in ${path.join(__dirname, '..')}\n`);
  process.exit(1);
}

let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}

const script = new vm.Script(Module.wrap(code), {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (cachedData === undefined || script.cachedDataRejected) {
  // Written at exit, so the cache also holds the functions this run compiled lazily.
  process.once('exit', () => {
    try {
      fs.writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
      fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    } catch {
      // dist/ not writable: run without a cache.
    }
  });
}

const mod = new Module(bundle, module);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(path.dirname(bundle));
const requireFromBundle = Module.createRequire(bundle);
script.runInThisContext().call(mod.exports, mod.exports, requireFromBundle, mod, bundle, path.dirname(bundle));
