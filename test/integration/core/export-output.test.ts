import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

/** Issues 13 and 14 through the real CLI: one date parser, export --output, an empty TZ. */

const HEADER = 'kind,local_day,occurred_at,provider,source,model,project,line_item,input_tokens,output_tokens,cached_input_tokens,cache_write_tokens,cost_usd,cost_origin,counted,external_id';
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  home = tempHome('burnrate-export-');
  env = { BURNRATE_HOME: home, BURNRATE_NOW: '2026-11-28T18:00:00Z' };
  expect(burnrate(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', '1.05', '--at', '2026-11-02T10:00:00.250'], env).code).toBe(0);
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('burnrate export', () => {
  it('refuses impossible and out-of-range dates with exit 2, as summary does', () => {
    for (const args of [['--from', '2026-02-30'], ['--to', '2026-11-31'], ['--from', '0042-01-01']]) {
      const r = burnrate(['export', ...args], env);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^burnrate: Invalid input: (from|to) must be a real calendar date from 2000-01-01 to 2199-12-31, such as 2026-11-28\.\n$/);
    }
  });

  it('writes the header row of an empty CSV export', () => {
    const r = burnrate(['export', '--from', '2026-10-01', '--to', '2026-10-31'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${HEADER}\r\n`);
  });

  it('says in one sentence that a missing folder cannot be written, and writes nothing', () => {
    const target = path.join(home, 'no-such-folder', 'x.csv');
    const r = burnrate(['export', '--output', target], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`burnrate: Burnrate cannot write ${target}: its folder does not exist; create the folder or choose another file.\n`);
    expect(fs.existsSync(path.dirname(target))).toBe(false);
  });

  it('keeps a symbolic link a link and writes its target; keeps a regular file\'s permissions', () => {
    const real = path.join(home, 'real.csv');
    const link = path.join(home, 'link.csv');
    fs.writeFileSync(real, 'old');
    fs.chmodSync(real, 0o640);
    fs.symlinkSync(real, link);
    const r = burnrate(['export', '--output', link], env);
    expect(r.code).toBe(0);
    // Without --from, the export starts at the first day the ledger holds.
    expect(r.stderr).toBe(`Wrote 1 row (2026-11-02 to 2026-11-28) to ${link}.\n`);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8').startsWith(`${HEADER}\r\nusage,2026-11-02,2026-11-02T10:00:00.250Z,`)).toBe(true);
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes to devices in place: /dev/stdout works, /dev/full is a sentence and stays a device', () => {
    const out = burnrate(['export', '--format', 'json', '--output', '/dev/stdout'], env);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ rowCount: 1, countedTotalUsd: '1.05' });
    if (fs.existsSync('/dev/full')) {
      const full = burnrate(['export', '--output', '/dev/full'], env);
      expect(full.code).toBe(1);
      expect(full.stderr).toBe('burnrate: Burnrate cannot write /dev/full: the disk is full; free some space or choose another disk.\n');
      expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
    }
  });
});

describe('dates and zones everywhere', () => {
  it('reads an empty TZ as UTC instead of failing', () => {
    const r = burnrate(['status', '--json'], { ...env, TZ: '' });
    expect(r.code).toBe(0);
    expect(r.json().timezone).toBe('UTC');
  });

  it('refuses years 0–99 and impossible date-times at once, and amounts with an exponent', () => {
    expect(burnrate(['reading', 'groq', '1', '--month', '0042-01', '--final'], env).stderr).toBe('burnrate: Invalid input: month must be a month from 2000-01 to 2199-12, such as 2026-11.\n');
    const at = burnrate(['reading', 'groq', '1', '--at', '0050-06-01T00:00:00Z'], env);
    expect(at.code).toBe(2);
    const impossible = burnrate(['record', '--provider', 'openai', '--model', 'x', '--cost', '1', '--at', '2026-02-31T00:00:00Z'], env);
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toBe('burnrate: Invalid input: at must be a real date and time from 2000-01-01 to 2199-12-31, such as 2026-11-28T18:00:00Z.\n');
    for (const args of [['record', '--provider', 'openai', '--model', 'x', '--cost', '1e2'], ['budget', 'set', '--daily', '1e2']]) {
      const r = burnrate(args, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no exponent/);
    }
  });
});
