'use strict';
// Loads a CommonJS bundle of dist/ through V8's code cache, so a command skips compiling the
// functions an earlier run compiled. bin/burnrate.cjs loads dist/cli.cjs this way, and dist/cli.cjs
// loads dist/cli-runtime.cjs the same way (scripts/cli-runtime-loader.cjs), through this one module.
//
// A cache file is `<header>\n<V8's cached data>`. The header names the bundle it was made from (size
// and modification time), the Node version and architecture, a CRC-32 of the data, and how many
// bundles the run that wrote it had loaded. V8 checks its own version and flags but not the data's
// integrity: a flipped byte that passes V8's header checks crashes the process. So a cache whose
// header does not match, or whose CRC does not, is ignored, and the bundle is compiled from source;
// a cache V8 rejects is ignored the same way. Either way the run writes a fresh cache at exit.
//
// The cache sits beside the bundle (`cli.cjs.v8cache`); when dist/ is not writable (an install
// owned by another user) it goes to the user's cache folder instead; when neither is writable the
// CLI runs without one.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { crc32 } = require('node:zlib');

const FORMAT = 'burnrate-v8cache 1';
/** Every bundle loaded in this process, in order: a run that loads more writes a richer cache. */
const loaded = [];

/** Where a bundle's cache lives when dist/ is not writable: one file per bundle path. */
function userCacheFile(bundle) {
  const env = process.env;
  const base = env.XDG_CACHE_HOME || env.LOCALAPPDATA || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  if (!base) return undefined;
  const name = `${path.basename(bundle)}-${crc32(bundle).toString(16)}.v8cache`;
  return path.join(base, 'burnrate', 'code-cache', name);
}

/** The header's first fields, which must match for the data to be tried at all. */
function identity(stat) {
  return `${FORMAT} ${stat.size} ${stat.mtimeMs} ${process.version} ${process.arch}`;
}

/** The cached data of `file` if its header matches and its CRC is right; else undefined. */
function readCache(file, id) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const eol = bytes.indexOf(10);
  if (eol < 0 || eol > 512) return undefined;
  const header = bytes.toString('latin1', 0, eol);
  if (!header.startsWith(`${id} `)) return undefined;
  const [crc, depth] = header.slice(id.length + 1).split(' ').map(Number);
  const data = bytes.subarray(eol + 1);
  if (data.length === 0 || crc32(data) !== crc) return undefined;
  return { data, depth };
}

function writeCache(file, id, data, depth) {
  const temp = `${file}.${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, Buffer.concat([Buffer.from(`${id} ${crc32(data)} ${depth}\n`, 'latin1'), data]));
    fs.renameSync(temp, file); // atomic: a concurrent run reads the old file or the new one
    return true;
  } catch {
    fs.rmSync(temp, { force: true });
    return false;
  }
}

/**
 * Run `bundle` as the CommonJS module it is (its own require, module, __filename, __dirname) and
 * return its exports. `parent` is the module that loads it.
 */
function loadThroughCodeCache(bundle, parent) {
  const stat = fs.statSync(bundle);
  const id = identity(stat);
  const beside = `${bundle}.v8cache`;
  let cache = readCache(beside, id);
  let cacheFile = beside;
  if (!cache) {
    const elsewhere = userCacheFile(bundle);
    const found = elsewhere && readCache(elsewhere, id);
    if (found) [cache, cacheFile] = [found, elsewhere];
  }
  const code = fs.readFileSync(bundle, 'utf8');
  const script = new vm.Script(Module.wrap(code), { filename: bundle, cachedData: cache?.data });
  loaded.push(bundle);
  const depthHere = loaded.length;
  // Written at exit, so the cache also holds the functions this run compiled lazily. A cache
  // written by a run that loaded fewer bundles (`--version` loads only the front one) misses the
  // functions commands use, so a command's run replaces it.
  const stale = !cache || script.cachedDataRejected === true;
  process.once('exit', () => {
    if (!stale && cache.depth >= loaded.length - depthHere + 1) return;
    const data = script.createCachedData();
    const depth = loaded.length - depthHere + 1;
    if (writeCache(cacheFile, id, data, depth)) return;
    const elsewhere = userCacheFile(bundle);
    if (elsewhere && elsewhere !== cacheFile) writeCache(elsewhere, id, data, depth);
  });
  const mod = new Module(bundle, parent);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  return mod.exports;
}

module.exports = { loadThroughCodeCache };
