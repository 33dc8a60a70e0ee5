import { describe, expect, it } from 'vitest';
import { burnrate, burnrateAsync, tempHome } from '../../helpers/cli';

/**
 * Issue 13: "Parallel first use loses writes". Twelve `record` processes start on an empty data
 * folder at the same moment; each must migrate-or-wait and land its record.
 */
describe('parallel first use of a fresh data folder', () => {
  it('lands all 12 parallel records, round after round', { timeout: 180_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const home = tempHome('burnrate-first-use-');
      const env = { BURNRATE_HOME: home };
      const runs = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          burnrateAsync(['record', '--provider', 'openai', '--model', 'gpt-4o-mini', '--cost', `${i + 1}`, '--at', '2026-11-10T12:00:00Z', '--id', `r${round}-${i}`], env),
        ),
      );
      const failures = runs.filter((r) => r.code !== 0).map((r) => r.stderr.trim());
      expect(failures).toEqual([]);
      const summary = burnrate(['summary', '--from', '2026-11-01', '--to', '2026-11-30', '--json'], env);
      expect(summary.code, summary.stderr).toBe(0);
      // 1 + 2 + … + 12 dollars
      expect(summary.json<{ totalUsd: string }>().totalUsd).toBe('78.00');
    }
  });
});
