// Inlined by scripts/build.mjs into dist/cli.cjs as the body of `import('./runtime')`: loads the
// runtime bundle (dist/cli-runtime.cjs) through V8's code cache. Compiling the 1.2 MB bundle and
// the functions `status` calls costs a good part of a command's start; V8 skips that with the
// cached data of an earlier run. The cache sits beside the bundle (cli-runtime.cjs.v8cache), is
// rebuilt whenever V8 rejects it (a new bundle or a new Node), and is skipped when dist/ is not
// writable. The bundle holds no real import() (Node 20's vm.Script cannot run one without a flag):
// scripts/build.mjs turns the one of @napi-rs/keyring into a require.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const bundle = path.join(__dirname, 'cli-runtime.cjs');
const cacheFile = `${bundle}.v8cache`;
const code = fs.readFileSync(bundle, 'utf8');
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(code), { filename: bundle, cachedData });
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
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
module.exports = mod.exports;
