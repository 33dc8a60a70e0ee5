// Builds an Electron-ABI copy of better-sqlite3's native binary into native/electron/, WITHOUT
// touching node_modules (whose Node build the CLI and the tests keep using). The desktop app passes
// the file to better-sqlite3 as `nativeBinding` (main/lib/native-binding.ts); `npm run dist` ships
// it as an extra resource.
//
// Uses @electron/rebuild (a dependency of electron-builder), which first tries better-sqlite3's
// prebuilt binary for this Electron version (prebuild-install) and else compiles from source with
// Electron's headers. Both need the internet, so this runs from `npm start` and `npm run dist`
// only, never from `npm install` or `npm test`. Rebuilt only when Electron, better-sqlite3, the
// platform or the architecture changed (native/electron/stamp.json).
import fs from 'node:fs';
import path from 'node:path';

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

export function electronNativePaths(root) {
  const dir = path.join(root, 'native', 'electron');
  return { dir, binary: path.join(dir, 'better_sqlite3.node'), stamp: path.join(dir, 'stamp.json') };
}

export function wantedStamp(root, arch = process.arch, platform = process.platform) {
  return {
    electron: readJson(path.join(root, 'node_modules/electron/package.json')).version,
    betterSqlite3: readJson(path.join(root, 'node_modules/better-sqlite3/package.json')).version,
    platform,
    arch,
  };
}

export function isCurrent(root, arch = process.arch, platform = process.platform) {
  const { binary, stamp } = electronNativePaths(root);
  if (!fs.existsSync(binary) || !fs.existsSync(stamp)) return false;
  try {
    return JSON.stringify(readJson(stamp)) === JSON.stringify(wantedStamp(root, arch, platform));
  } catch {
    return false;
  }
}

export async function ensureElectronNative(root, { arch = process.arch, log = console.log } = {}) {
  const paths = electronNativePaths(root);
  if (isCurrent(root, arch)) return paths.binary;
  const want = wantedStamp(root, arch);
  log(`native: building better-sqlite3 ${want.betterSqlite3} for Electron ${want.electron} (${want.platform}-${arch}) into native/electron/`);

  const stage = path.join(paths.dir, '.build');
  fs.rmSync(stage, { recursive: true, force: true });
  const moduleDir = path.join(stage, 'node_modules', 'better-sqlite3');
  fs.mkdirSync(path.dirname(moduleDir), { recursive: true });
  // The sources only: the Node build in build/ must not be mistaken for the Electron one.
  fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), moduleDir, {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(root, 'node_modules', 'better-sqlite3', 'build')),
  });
  fs.writeFileSync(
    path.join(stage, 'package.json'),
    JSON.stringify({ name: 'burnrate-native-stage', version: '0.0.0', private: true, dependencies: { 'better-sqlite3': want.betterSqlite3 } }, null, 2),
  );

  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: stage, electronVersion: want.electron, arch, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });

  const built = path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(built)) throw new Error(`native: @electron/rebuild finished but ${built} is missing`);
  fs.copyFileSync(built, paths.binary);
  fs.writeFileSync(paths.stamp, JSON.stringify(want, null, 2) + '\n');
  fs.rmSync(stage, { recursive: true, force: true });
  log(`native: ${path.relative(root, paths.binary)} ready`);
  return paths.binary;
}
