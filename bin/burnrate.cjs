#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled to dist/cli.cjs by `npm run build` (run by `npm install`), and
// loaded through V8's code cache (bin/code-cache.cjs says how, and why a bad cache is harmless).
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('burnrate: the CLI is not built yet; run "npm run build" in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
require('./code-cache.cjs').loadThroughCodeCache(bundle, module);
