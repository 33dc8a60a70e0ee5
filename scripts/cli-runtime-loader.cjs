// Inlined by scripts/build.mjs into dist/cli.cjs as the body of `import('./runtime')`: loads the
// runtime bundle (dist/cli-runtime.cjs) through V8's code cache with bin/code-cache.cjs, the module
// bin/burnrate.cjs loaded dist/cli.cjs with (required at run time, not bundled, so both bundles
// share its record of what this process loaded). Compiling the 1.3 MB bundle and the functions
// `status` calls costs a good part of a command's start; V8 skips that with the cached data of an
// earlier run. The bundle holds no real import() (Node 20's vm.Script cannot run one without a
// flag): scripts/build.mjs turns those of external packages into a require.
'use strict';
const path = require('node:path');

module.exports = require('../bin/code-cache.cjs').loadThroughCodeCache(path.join(__dirname, 'cli-runtime.cjs'), module);
