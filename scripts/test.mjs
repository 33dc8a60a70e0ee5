// npm test: everything CI runs, in order, failing fast on the first red stage.
//   typecheck → lint → build → unit + integration (vitest) → keychain (real Secret Service)
//   → browser end-to-end (Chromium) → Electronegativity
// Stages that need a system package (Secret Service, Chromium) run whenever it is installed and are
// REQUIRED under CI (CI=true): .ci/run installs them. Locally a missing one is skipped with a line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'test', 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const ci = process.env.CI === 'true' || process.env.CI === '1';
const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();

function run(label, command, args, options = {}) {
  const t = Date.now();
  process.stdout.write(`\n=== ${label}\n`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  const seconds = ((Date.now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`\n=== ${label}: FAILED after ${seconds}s\n`);
    finish(1);
  }
  process.stdout.write(`=== ${label}: ok (${seconds}s)\n`);
}

function vitest(label, config, extraEnv = {}, wrap = null) {
  const out = path.join(artifacts, `${label}-results.json`);
  fs.rmSync(out, { force: true });
  const args = ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`];
  if (config) args.push('--config', config);
  const env = { ...process.env, ...extraEnv };
  if (wrap) run(label, 'bash', [wrap, process.execPath, ...args], { env });
  else run(label, process.execPath, args, { env });
  count(out);
}

function count(file) {
  if (!fs.existsSync(file)) return;
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}

function have(file) {
  return fs.existsSync(file);
}

function finish(code) {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(`\nnpm test finished in ${seconds}s\n`);
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  process.exit(code);
}

function requireOrSkip(label, ok, why) {
  if (ok) return true;
  if (ci) {
    process.stdout.write(`\n=== ${label}: REQUIRED under CI but ${why}\n`);
    finish(1);
  }
  process.stdout.write(`\n=== ${label}: skipped (${why}; .ci/run installs it)\n`);
  return false;
}

run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
run('lint', 'npm', ['run', '--silent', 'lint']);
run('build', process.execPath, ['scripts/build.mjs']);
vitest('unit-integration', null);

const keychainScript = path.join(root, 'scripts', 'test-keychain.sh');
if (have(keychainScript) && process.platform === 'linux') {
  const ready = have('/usr/bin/dbus-run-session') && have('/usr/bin/gnome-keyring-daemon');
  if (requireOrSkip('keychain', ready, 'gnome-keyring and dbus are not installed')) {
    const out = path.join(artifacts, 'keychain-results.json');
    fs.rmSync(out, { force: true });
    run('keychain', 'bash', [keychainScript, '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
    count(out);
  }
}

if (have(path.join(root, 'vitest.e2e.config.ts')) && fs.readdirSync(path.join(root, 'test', 'e2e')).some((f) => f.endsWith('.test.ts'))) {
  if (requireOrSkip('e2e', have('/usr/bin/chromium'), 'Chromium (/usr/bin/chromium) is not installed')) {
    vitest('e2e', 'vitest.e2e.config.ts');
  }
}

if (have(path.join(root, 'scripts', 'electronegativity.mjs'))) {
  run('electronegativity', process.execPath, ['scripts/electronegativity.mjs']);
}

finish(totals.failed > 0 ? 1 : 0);
