import { describe, expect, it } from 'vitest';
import { HAVE_PG, IN_CI } from '../../helpers/team-pg';

// Under CI the team tests must run: a run without PostgreSQL fails here instead of passing quietly.
describe('team tests have PostgreSQL', () => {
  it.runIf(IN_CI)('BURNRATE_TEST_PG_URL is set under CI (.ci/run starts PostgreSQL and exports it)', () => {
    expect(HAVE_PG, 'CI=true but BURNRATE_TEST_PG_URL is empty: the team tests would be skipped').toBe(true);
  });
});
