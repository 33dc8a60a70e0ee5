import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../../helpers/cli';

// bin/code-cache.cjs loads both CLI bundles through V8's code cache. A cache file that is damaged,
// left over from another build, or made by V8 for other source must never change what the CLI
// answers (V8 itself crashes on some damaged caches it accepts): the CLI compiles from source and
// writes a good cache. The bundles run from a copy of bin/ and dist/ inside the repository (so
// node_modules resolves), and the tests compare the copy's files, never timings.
const ROOM = 120_000;
const NOW = '2026-11-28T18:00:00Z';

interface Copy {
  bin: string;
  front: string;
  runtime: string;
}

function copyOfCli(): Copy {
  const dir = fs.mkdtempSync(path.join(ROOT, 'dist', 'code-cache-test-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'dist'));
  for (const file of ['burnrate.cjs', 'code-cache.cjs']) fs.copyFileSync(path.join(ROOT, 'bin', file), path.join(dir, 'bin', file));
  for (const file of ['cli.cjs', 'cli-runtime.cjs']) fs.copyFileSync(path.join(ROOT, 'dist', file), path.join(dir, 'dist', file));
  return { bin: path.join(dir, 'bin', 'burnrate.cjs'), front: path.join(dir, 'dist', 'cli.cjs'), runtime: path.join(dir, 'dist', 'cli-runtime.cjs') };
}

/** The cache file's header fields and its data, as bin/code-cache.cjs writes them. */
function readCache(file: string): { identity: string; crc: number; depth: number; data: Buffer } {
  const bytes = fs.readFileSync(file);
  const eol = bytes.indexOf(10);
  const fields = bytes.toString('latin1', 0, eol).split(' ');
  return { identity: fields.slice(0, -2).join(' '), crc: Number(fields.at(-2)), depth: Number(fields.at(-1)), data: bytes.subarray(eol + 1) };
}

/** A cache as the loader would accept it: the header matches `bundle` and the CRC matches the data. */
function expectGoodCache(file: string, bundle: string): void {
  const cache = readCache(file);
  const stat = fs.statSync(bundle);
  expect(cache.identity).toBe(`burnrate-v8cache 1 ${stat.size} ${stat.mtimeMs} ${process.version} ${process.arch}`);
  expect(cache.data.length).toBeGreaterThan(1000);
  expect(crc32(cache.data)).toBe(cache.crc);
}

describe('the CLI through V8 code caches', () => {
  let copy: Copy;
  let home: string;
  let expected: string;
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [copy.bin, ...args], { env: { ...process.env, TZ: 'UTC', BURNRATE_HOME: home, BURNRATE_NOW: NOW, ...env }, encoding: 'utf8', timeout: 60_000 });
  const status = (env: Record<string, string> = {}) => {
    const result = run(['status', '--json'], env);
    expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    return result.stdout;
  };

  beforeAll(() => {
    copy = copyOfCli();
    home = tempHome('burnrate-code-cache-');
    expect(run(['reading', 'groq', '0.80']).status).toBe(0);
    fs.rmSync(`${copy.front}.v8cache`, { force: true });
    fs.rmSync(`${copy.runtime}.v8cache`, { force: true });
    expected = status(); // compiled from source: no cache existed
    expect(JSON.parse(expected).month).toBeDefined();
  }, ROOM);

  afterAll(() => {
    fs.rmSync(path.dirname(path.dirname(copy.bin)), { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('the first run writes a cache for each bundle; the next run answers the same through them', () => {
    expectGoodCache(`${copy.front}.v8cache`, copy.front);
    expectGoodCache(`${copy.runtime}.v8cache`, copy.runtime);
    const before = fs.readFileSync(`${copy.runtime}.v8cache`);
    expect(status()).toBe(expected);
    expect(fs.readFileSync(`${copy.runtime}.v8cache`).equals(before)).toBe(true); // a good cache is kept
  }, ROOM);

  it('a cache with damaged data is not used, and is rewritten', () => {
    for (const bundle of [copy.front, copy.runtime]) {
      const file = `${bundle}.v8cache`;
      const bytes = fs.readFileSync(file);
      const eol = bytes.indexOf(10);
      // Bytes 40–50 of V8's data: a flip at 40 that V8 accepts ends in a fatal error (tried).
      for (let i = eol + 41; i < eol + 51; i++) bytes[i] = bytes[i]! ^ 0x5a;
      fs.writeFileSync(file, bytes);
    }
    expect(status()).toBe(expected);
    expectGoodCache(`${copy.front}.v8cache`, copy.front);
    expectGoodCache(`${copy.runtime}.v8cache`, copy.runtime);
  }, ROOM);

  it('a truncated cache, or one that is not a cache at all, is not used, and is rewritten', () => {
    const runtimeCache = `${copy.runtime}.v8cache`;
    fs.writeFileSync(runtimeCache, fs.readFileSync(runtimeCache).subarray(0, 5000));
    fs.writeFileSync(`${copy.front}.v8cache`, 'not a cache\n\u0000\u0001');
    expect(status()).toBe(expected);
    expectGoodCache(`${copy.front}.v8cache`, copy.front);
    expectGoodCache(runtimeCache, copy.runtime);
  }, ROOM);

  it('a cache of an earlier build of the bundle is not used, and is rewritten for this one', () => {
    const runtimeCache = `${copy.runtime}.v8cache`;
    const old = readCache(runtimeCache);
    // The bundle is rebuilt: same text here, a new modification time.
    const later = new Date(fs.statSync(copy.runtime).mtimeMs + 60_000);
    fs.utimesSync(copy.runtime, later, later);
    expect(status()).toBe(expected);
    expectGoodCache(runtimeCache, copy.runtime);
    expect(readCache(runtimeCache).identity).not.toBe(old.identity);
  }, ROOM);

  it('a cache whose header is right but whose data V8 made for other source is rejected by V8, and rewritten', () => {
    const runtimeCache = `${copy.runtime}.v8cache`;
    const own = readCache(runtimeCache);
    const foreign = readCache(`${copy.front}.v8cache`).data;
    fs.writeFileSync(runtimeCache, Buffer.concat([Buffer.from(`${own.identity} ${crc32(foreign)} ${own.depth}\n`, 'latin1'), foreign]));
    expect(status()).toBe(expected);
    expectGoodCache(runtimeCache, copy.runtime);
    expect(readCache(runtimeCache).data.equals(foreign)).toBe(false);
  }, ROOM);

  it('`--version` caches the front bundle alone; the next command replaces that cache with a fuller one', () => {
    const frontCache = `${copy.front}.v8cache`;
    fs.rmSync(frontCache);
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(readCache(frontCache).depth).toBe(1);
    expect(status()).toBe(expected);
    expectGoodCache(frontCache, copy.front);
    expect(readCache(frontCache).depth).toBe(2);
  }, ROOM);

  it('where dist/ cannot hold the cache, it goes to the user cache folder and is used from there', () => {
    const userCache = tempHome('burnrate-xdg-cache-');
    const runtimeCache = `${copy.runtime}.v8cache`;
    fs.rmSync(runtimeCache);
    fs.mkdirSync(runtimeCache); // neither readable nor replaceable as a file, even for root
    expect(status({ XDG_CACHE_HOME: userCache })).toBe(expected);
    const folder = path.join(userCache, 'burnrate', 'code-cache');
    const files = fs.readdirSync(folder).filter((f) => f.startsWith('cli-runtime.cjs-'));
    expect(files).toHaveLength(1);
    const file = path.join(folder, files[0]!);
    expectGoodCache(file, copy.runtime);
    const written = fs.readFileSync(file);
    expect(status({ XDG_CACHE_HOME: userCache })).toBe(expected);
    expect(fs.readFileSync(file).equals(written)).toBe(true); // read from there, not rewritten
    fs.rmSync(runtimeCache, { recursive: true });
    fs.rmSync(userCache, { recursive: true, force: true });
  }, ROOM);
});
