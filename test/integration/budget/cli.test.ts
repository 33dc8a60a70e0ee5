import { execFile } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, burnrate, tempHome } from '../../helpers/cli';
import { WebhookServer } from './webhook-server';

/** The example through the real CLI: $5.00/day with a 20 % reserve. */
describe('burnrate budget, record, status, alerts (CLI)', () => {
  it('holds the issue example: good, warning, critical, exceeded; a new local day starts at zero', () => {
    const home = tempHome();
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: '2026-03-10T09:00:00Z', TZ: 'Europe/Berlin' };
    const run = (args: string[], over: Record<string, string> = {}) => burnrate(args, { ...env, ...over });

    const set = run(['budget', 'set', '--daily', '5.00', '--reserve-pct', '20', '--json']);
    expect(set.code).toBe(0);
    expect(set.json().day).toMatchObject({ budgetUsd: '5.00', spendableUsd: '4.00', reserveUsd: '1.00', health: 'good' });

    const steps: [string, string, string][] = [
      ['1.00', '1.00', 'good'],
      ['2.20', '3.20', 'warning'],
      ['1.30', '4.50', 'critical'],
      ['0.60', '5.10', 'exceeded'],
    ];
    for (const [cost, total, health] of steps) {
      const rec = run(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', cost, '--json']);
      expect(rec.code).toBe(0);
      expect(rec.json().costUsd).toBe(cost);
      const status = run(['status', '--json']);
      expect(status.code).toBe(0);
      const s = status.json();
      expect(s.day).toMatchObject({ date: '2026-03-10', spentUsd: total, budgetUsd: '5.00', reserveUsd: '1.00', health });
      expect(s.timezone).toBe('Europe/Berlin');
    }
    const exceeded = run(['status', '--json']).json();
    expect(exceeded.attention[0]).toMatchObject({ kind: 'budget_day', severity: 'critical' });
    expect(exceeded.alerts.map((a: { message: string }) => a.message)).toEqual(["Today's spend exceeded the daily budget: $5.10 of $5.00."]);

    // 23:30 in Berlin is still the 10th; 00:30 is the 11th: the day starts at zero, the month keeps the total.
    expect(run(['status', '--json'], { BURNRATE_NOW: '2026-03-10T22:30:00Z' }).json().day.spentUsd).toBe('5.10');
    const next = run(['status', '--json'], { BURNRATE_NOW: '2026-03-10T23:30:00Z' }).json();
    expect(next.day).toMatchObject({ date: '2026-03-11', spentUsd: '0.00', health: 'good' });
    expect(next.month).toMatchObject({ month: '2026-03', spentUsd: '5.10' });

    // Alerts fired once each (one per threshold crossed), listed and acknowledged through the CLI.
    const all = run(['alerts', '--all', '--json']).json();
    expect(all.alerts.map((a: { rule: string }) => a.rule).sort()).toEqual(['day_50', 'day_80', 'day_exceeded', 'day_reserve']);
    const open = run(['alerts', '--json']).json();
    expect(open.open).toBe(1);
    const id = String(open.alerts[0].id);
    const ack = run(['alerts', 'ack', id, '--json']);
    expect(ack.code).toBe(0);
    expect(ack.json()).toMatchObject({ id: Number(id), acknowledged: true });
    expect(run(['alerts', '--json']).json()).toEqual({ alerts: [], open: 0 });
    expect(run(['alerts']).stdout).toContain('No open alerts.');

    // The same record again (same id) and more checks: still four alerts.
    run(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '0.10', '--id', 'again']);
    run(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '0.10', '--id', 'again']);
    expect(run(['alerts', '--all', '--json']).json().alerts).toHaveLength(4);

    const unknown = run(['alerts', 'ack', '999']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no alert 999/);
    expect(unknown.stdout).toBe('');
  });

  it('refuses bad budgets with a clear error and changes nothing', () => {
    const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: '2026-03-10T09:00:00Z' };
    expect(burnrate(['budget', 'set', '--daily', '5', '--monthly', '100'], env).code).toBe(0);
    const before = burnrate(['budget', 'show', '--json'], env).stdout;
    const bad: [string[], RegExp][] = [
      [['--daily', '-1'], /negative/],
      [['--daily', 'abc'], /not a number/],
      [['--monthly', '12,50'], /not a number/],
      [['--reserve-pct', '150'], /0 to 100/],
      [['--reserve-pct', '-5'], /0 to 100/],
      [['--provider', 'nosuchai', '--monthly', '5'], /does not know the provider "nosuchai"/],
    ];
    for (const [args, message] of bad) {
      const r = burnrate(['budget', 'set', ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const json = burnrate(['budget', 'set', '--reserve-pct', '101', '--json'], env);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'invalid_input' } });
    expect(burnrate(['budget', 'show', '--json'], env).stdout).toBe(before);
    const show = burnrate(['budget', 'show'], env);
    expect(show.stdout).toContain('$5.00 ($4.00 spendable, $1.00 reserve)');
  });

  it('shows the budget as set and what follows from spend to the cent; --json keeps every digit', () => {
    const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: '2026-03-10T09:00:00Z' };
    expect(burnrate(['budget', 'set', '--daily', '6.005'], env).code).toBe(0);
    expect(burnrate(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '4.325389153'], env).code).toBe(0);
    const show = burnrate(['budget', 'show'], env).stdout;
    expect(show).toContain('$6.005 ($4.80 spendable, $1.20 reserve); spent $4.33 on 2026-03-10, $0.48 left');
    expect(JSON.parse(burnrate(['budget', 'show', '--json'], env).stdout).day).toMatchObject({ spentUsd: '4.325389153', leftUsd: '0.478610847' });
  });

  describe('webhooks from the CLI', () => {
    const hook = new WebhookServer();
    afterEach(() => hook.stop());

    /** Async, so the server in this process can answer while the CLI runs. */
    function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        execFile(process.execPath, [BIN, ...args], { env: { ...process.env, TZ: 'UTC', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
      });
    }

    it('delivers an alert fired by `record` to the channel; after a failure, a later command delivers it once', async () => {
      await hook.start(0);
      hook.answer = { status: 503, body: 'down for maintenance' };
      const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: '2026-03-10T09:00:00Z' };
      expect((await cli(['alerts', 'channel', 'add', 'ntfy', hook.url('/burnrate-alerts')], env)).code).toBe(0);
      await cli(['budget', 'set', '--daily', '2'], env);
      const rec = await cli(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '3', '--json'], env);
      expect(rec.code).toBe(0);
      expect(JSON.parse(rec.stdout).costUsd).toBe('3.00'); // stdout stays one JSON document
      expect(rec.stderr).toContain("Today's spend exceeded the daily budget"); // the log notifier
      expect(hook.received).toHaveLength(1); // tried, 503

      const list = JSON.parse((await cli(['alerts', 'channel', 'list', '--json'], env)).stdout);
      expect(list.channels[0]).toMatchObject({ kind: 'ntfy', pending: 1, delivered: 0, lastError: 'HTTP 503: down for maintenance' });
      expect(list.channels[0].url).not.toContain('burnrate-alerts');

      hook.answer = { status: 200, body: '{}' };
      // Not due yet at the same instant: nothing is sent.
      await cli(['status'], env);
      expect(hook.received).toHaveLength(1);
      // Half a minute later any command sends it, once.
      const later = { ...env, BURNRATE_NOW: '2026-03-10T09:00:31Z' };
      await cli(['status'], later);
      await cli(['status'], later);
      expect(hook.received).toHaveLength(2);
      expect(hook.received[1]!.body).toBe("Today's spend exceeded the daily budget: $3.00 of $2.00.");
      const after = JSON.parse((await cli(['alerts', 'channel', 'list', '--json'], later)).stdout);
      expect(after.channels[0]).toMatchObject({ pending: 0, delivered: 1 });
      expect((await cli(['alerts', 'channel', 'remove', String(after.channels[0].id)], later)).code).toBe(0);
    });
  });
});
