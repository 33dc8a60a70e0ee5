import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { testCore, type TestCore } from '../budget/helpers';

let t: TestCore;
afterEach(() => t?.core.close());

describe('a range of local days', () => {
  it('reversed, is refused in one sentence by history, export and the summary alike', async () => {
    t = testCore();
    for (const method of ['history', 'export', 'spendSummary'] as const) {
      const error = await dispatch(t.core, method, { from: '2026-03-10', to: '2026-03-01' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      const { code, reason, message } = error as ApiError;
      expect([method, code, reason, message]).toEqual([method, 'invalid_input', 'range_reversed', 'The range starts (2026-03-10) after it ends (2026-03-01).']);
    }
  });
});
