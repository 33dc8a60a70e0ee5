// `npm start`: the desktop app when Electron can run here, else the headless dashboard.
//
// Electron needs its binary (downloaded on first use from GitHub) and, on Linux, a display. When
// either is missing this prints ONE line saying why and runs `burnrate serve` instead (jobs + HTTP
// API + dashboard on 127.0.0.1; it prints the URL). Otherwise: build (CLI, main, preload,
// renderer), make sure an Electron-ABI better-sqlite3 exists in native/electron/, start Electron.
//
//   BURNRATE_HEADLESS=1 npm start     always run the headless dashboard
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Why Electron cannot run here, or null when it can. */
export function electronUnavailable(env = process.env, platform = process.platform) {
  if (env.BURNRATE_HEADLESS === '1') return 'BURNRATE_HEADLESS=1 is set';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  // require('electron') resolves the binary, downloading it on first use; where GitHub is
  // unreachable it throws within a second. Asked in a child so its download noise stays there.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...env, ELECTRON_RUN_AS_NODE: undefined },
  });
  const binary = probe.status === 0 ? probe.stdout.trim() : '';
  if (!binary || !fs.existsSync(binary)) return "Electron's binary is not installed and could not be downloaded";
  return null;
}

function run(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reason = electronUnavailable();
  if (reason) {
    console.log(`burnrate: the desktop app cannot start here (${reason}); running the headless dashboard instead (burnrate serve).`);
    if (!fs.existsSync(path.join(root, 'dist', 'cli.cjs'))) spawnSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: root, stdio: 'inherit' });
    run(process.execPath, [path.join(root, 'bin', 'burnrate.cjs'), 'serve', ...process.argv.slice(2)]);
  } else {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
    const { ensureElectronNative } = await import('./electron-native.mjs');
    await ensureElectronNative(root);
    const { createRequire } = await import('node:module');
    const electron = createRequire(import.meta.url)('electron');
    run(electron, [root, ...process.argv.slice(2)], { env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  }
}
