// `npm run dist`: installers for this platform with electron-builder (electron-builder.yml).
//
// 1. build everything (CLI, main, preload, renderer) into dist/;
// 2. build the Electron-ABI better-sqlite3 into native/electron/ (scripts/electron-native.mjs),
//    which electron-builder ships as an extra resource; node_modules keeps its Node build
//    (electron-builder's own rebuild is off: it would rebuild node_modules in place and break the
//    CLI and the tests);
// 3. electron-builder for the current platform (mac: dmg; win: nsis; linux: AppImage + deb), with
//    Electron's fuses flipped (electronFuses in electron-builder.yml).
//
// Needs the internet (Electron's binary, headers or prebuilt binaries) and each platform's own
// machine (a dmg is built on macOS, and so on). Extra arguments go to electron-builder, e.g.
// `npm run dist -- --linux deb`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronNative } from './electron-native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const step = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

step(['scripts/build.mjs']);
await ensureElectronNative(root);
step([path.join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
