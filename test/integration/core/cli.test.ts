import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

const NOW = '2026-11-28T18:00:00Z';

describe('burnrate CLI: the foundation', () => {
  it('status --json carries the fields of design.md on an empty ledger', () => {
    const home = tempHome();
    const r = burnrate(['status', '--json'], { BURNRATE_HOME: home, BURNRATE_NOW: NOW, TZ: 'Europe/Berlin' });
    expect(r.code).toBe(0);
    const s = r.json();
    expect(s).toMatchObject({
      asOf: '2026-11-28T18:00:00.000Z',
      timezone: 'Europe/Berlin',
      day: { date: '2026-11-28', spentUsd: '0.00', budgetUsd: null, reserveUsd: null, health: null },
      month: { month: '2026-11', spentUsd: '0.00', budgetUsd: null, forecastUsd: '0.00', health: null },
      providers: [],
      reminders: [],
      alerts: [],
    });
  });

  it('records the same --id twice and counts it once', () => {
    const home = tempHome();
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW };
    const args = ['record', '--provider', 'openai', '--model', 'gpt-x', '--cost', '1.06', '--id', 'req-1', '--json'];
    const first = burnrate(args, env);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ outcome: 'inserted', costUsd: '1.06', localDay: '2026-11-28' });
    const second = burnrate(args, env);
    expect(second.json()).toMatchObject({ outcome: 'unchanged' });
    burnrate(['record', '--provider', 'openai', '--model', 'gpt-x', '--cost', '0.000075', '--at', '2026-11-28T10:00:00Z'], env);
    const status = burnrate(['status', '--json'], env).json();
    expect(status.day.spentUsd).toBe('1.060075');
    expect(status.month.spentUsd).toBe('1.060075');
    expect(status.providers).toEqual([
      expect.objectContaining({ provider: 'openai', monthSpentUsd: '1.060075', todaySpentUsd: '1.060075', source: 'estimate' }),
    ]);
  });

  it('exports what it recorded, money as decimal strings', () => {
    const home = tempHome();
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW };
    burnrate(['record', '--provider', 'openai', '--model', 'gpt-x', '--cost', '0.10', '--id', 'a', '--at', '2026-11-02T10:00:00Z'], env);
    burnrate(['record', '--provider', 'groq', '--model', 'llama', '--cost', '2', '--id', 'b', '--at', '2026-11-20T10:00:00Z', '--project', '=HYPERLINK("x")'], env);
    const csv = burnrate(['export', '--format', 'csv', '--from', '2026-11-01', '--to', '2026-11-10'], env);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',0.10,given,true,a');
    const json = JSON.parse(burnrate(['export', '--format', 'json'], env).stdout);
    expect(json.countedTotalUsd).toBe('2.10');
    expect(json.rows.map((r: { cost_usd: string }) => r.cost_usd)).toEqual(['0.10', '2.00']);
    const out = path.join(home, 'out.csv');
    expect(burnrate(['export', '--output', out], env).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain(`'=HYPERLINK`); // spreadsheet formula neutralised
  });

  it('refuses bad input with one sentence and a non-zero exit, changing nothing', () => {
    const home = tempHome();
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW };
    const cases: [string[], RegExp][] = [
      [['record', '--provider', 'openai', '--model', 'x', '--cost', '-1'], /cost must be an amount/],
      [['record', '--provider', 'openai', '--model', 'x', '--cost', 'ten'], /cost must be an amount/],
      [['record', '--provider', 'openai', '--model', 'no-such-model', '--input-tokens', '10'], /no price for model "no-such-model"/],
      [['record', '--provider', 'openai', '--model', 'x', '--cost', '1', '--at', 'last tuesday'], /at must be an ISO date/],
      [['record', '--provider', 'openai', '--model', 'x', '--cost', '1', '--at', '2026-12-25T00:00:00Z'], /in the future/],
      [['record', '--provider', 'openai', '--model', 'x', '--input-tokens', '1.5', '--cost', '1'], /whole number of tokens/],
    ];
    for (const [args, message] of cases) {
      const r = burnrate(args, env);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(burnrate(['status', '--json'], env).json().month.spentUsd).toBe('0.00');
  });

  it('says when BURNRATE_HOME is not writable', () => {
    const home = tempHome();
    const file = path.join(home, 'a-file');
    fs.writeFileSync(file, 'x');
    const r = burnrate(['status'], { BURNRATE_HOME: path.join(file, 'sub') });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot write to its data folder/);
  });

  it('refuses a corrupt ledger without touching it', () => {
    const home = tempHome();
    const file = path.join(home, 'ledger.sqlite');
    fs.writeFileSync(file, Buffer.alloc(8192, 7));
    const r = burnrate(['record', '--provider', 'openai', '--model', 'x', '--cost', '1'], { BURNRATE_HOME: home });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/damaged or is not a Burnrate database.*move it aside/);
    expect(fs.readFileSync(file).equals(Buffer.alloc(8192, 7))).toBe(true);
  });

  it('errors in --json mode are one JSON document on stderr', () => {
    const r = burnrate(['record', '--provider', 'openai', '--model', 'x', '--cost', 'nope', '--json'], { BURNRATE_HOME: tempHome() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.code).toBe('invalid_input');
  });
});
