import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { fixedClock } from '../../../src/time';
import { burnrate, tempHome } from '../../helpers/cli';
import { BILLED, NOW } from '../../unit/reconcile/replay';

/**
 * Reconciliation through the real CLI: estimates recorded with `record --cost`, billed buckets written
 * by a small script using the library (as a sync would write them), then `reconcile` and `accuracy`.
 */
const home = tempHome('burnrate-reconcile-');
const env = { BURNRATE_HOME: home, BURNRATE_NOW: NOW, TZ: 'UTC' };
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function record(provider: string, cost: string, at: string, id: string) {
  const r = burnrate(['record', '--provider', provider, '--model', 'some-model', '--cost', cost, '--at', at, '--id', id, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
}

describe('burnrate reconcile / accuracy', () => {
  it('reconciles recorded estimates against billed days, idempotently, and summarises the drift', () => {
    record('anthropic', '12.61', '2026-03-06T15:00:00Z', 'a-06');
    record('anthropic', '21.00', '2026-03-07T15:00:00Z', 'a-07');
    record('anthropic', '3.00', '2026-03-09T09:00:00Z', 'a-09');
    record('openai', '2.70', '2026-03-08T10:00:00Z', 'o-08');
    expect(burnrate(['status', '--json'], env).json().month.spentUsd).toBe('39.31'); // estimates only

    // The billed buckets, written through the library as the sync writes them.
    const core = openCore({ home, env, clock: fixedClock(NOW), timeZone: 'UTC' });
    const written = core.billed.write(BILLED);
    core.spendChanged('sync', written.touched);
    core.close();

    // Totals: billed where billed (anthropic 13.00004 + 20 + 8.5025, openai 5.7945678 + 3), the
    // estimate where not (anthropic 03-09: 3.00) → 53.2971078.
    const status = burnrate(['status', '--json'], env).json();
    expect(status.month.spentUsd).toBe('53.2971078');

    const first = burnrate(['reconcile', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const r1 = first.json();
    expect(r1).toMatchObject({ changed: true, run: { id: 1, from: '2026-02-08', to: '2026-03-09', timezone: 'UTC' } });
    expect(r1.days).toHaveLength(5);
    // anthropic: (12.61 + 21.00) - (13.00004 + 20) = +0.60996 → +185 bp; coverage 33.00004 / 41.50254.
    // openai: only 03-08 had an estimate: 2.70 - 3.00 = -0.30 → -1000 bp; coverage 3 / 8.7945678 → 3411 bp.
    expect(r1.providers.map((p: any) => [p.provider, p.driftUsd, p.driftBp, p.coverageBp])).toEqual([
      ['anthropic', '0.60996', 185, 7951],
      ['openai', '-0.30', -1000, 3411],
    ]);

    // Re-running changes nothing.
    const r2 = burnrate(['reconcile', '--json'], env).json();
    expect(r2.changed).toBe(false);
    expect(r2.run.id).toBe(1);
    expect(r2.days).toEqual(r1.days);
    const human = burnrate(['reconcile'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/same figures as run 1/);
    expect(human.stdout).toMatch(/openai\s+1\/2\s+\$8\.7945678\s+\$2\.70\s+-10\.00% \(-\$0\.30\)/);

    const acc = burnrate(['accuracy', '--json'], env);
    expect(acc.code, acc.stderr).toBe(0);
    const a = acc.json();
    expect(a.providers.map((p: any) => [p.provider, p.last7.driftBp, p.exceedsThreshold])).toEqual([
      ['anthropic', 185, false],
      ['openai', -1000, true],
    ]);
    expect(a.attention).toHaveLength(1);
    expect(a.attention[0].message).toMatch(/^OpenAI estimates ran 10% below the bill over the last 7 days/);
    expect(burnrate(['reconcile', '--summary', '--json'], env).json()).toEqual(a);
    const accHuman = burnrate(['accuracy'], env).stdout;
    expect(accHuman).toMatch(/Needs attention:\n {2}! OpenAI estimates ran 10% below/);
    expect(accHuman).toMatch(/Worst days:/);
    // Each worst day names the tier its estimate came from (a `record` is one of our own estimates).
    expect(accHuman).toMatch(/2026-03-08\s+openai\s+billed \$3\.00\s+estimated \$2\.70 \(our estimates\)\s+-10\.00%/);
  });

  it('explains a bad range on stderr with a non-zero exit', () => {
    const bad = burnrate(['reconcile', '--from', '2026-03-09', '--to', '2026-03-01'], env);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/burnrate: The range starts \(2026-03-09\) after it ends \(2026-03-01\); give --from before --to\./);
    const badJson = burnrate(['reconcile', '--to', '2026-13-01', '--json'], env);
    expect(badJson.code).toBe(2);
    expect(JSON.parse(badJson.stderr).error.code).toBe('invalid_input');
  });
});
