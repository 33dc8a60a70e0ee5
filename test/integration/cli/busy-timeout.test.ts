import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext, loadRuntime } from '../../../src/cli/context';
import { DEFAULT_BUSY_TIMEOUT_MS, ONE_SHOT_BUSY_TIMEOUT_MS } from '../../../src/ledger/busy';
import { tempHome } from '../../helpers/cli';

/**
 * A one-shot command (record, status…) has no one else to serve, so it waits out another process's
 * write lock for longer than a serving process (serve, proxy, mcp), whose event loop the wait would
 * freeze.
 */
describe('how long the CLI waits for another process holding the ledger', () => {
  const homes: string[] = [];
  afterEach(() => {
    for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
  });

  it('waits longer in a one-shot command than in a serving one', async () => {
    await loadRuntime();
    const busyOf = (serving: boolean) => {
      const home = tempHome('burnrate-busy-');
      homes.push(home);
      const ctx = createContext({ home, env: { TZ: 'UTC' } });
      try {
        return ctx.core(serving ? { serving } : {}).db.pragma('busy_timeout', { simple: true });
      } finally {
        ctx.close();
      }
    };
    expect(ONE_SHOT_BUSY_TIMEOUT_MS).toBeGreaterThan(DEFAULT_BUSY_TIMEOUT_MS);
    expect(busyOf(false)).toBe(ONE_SHOT_BUSY_TIMEOUT_MS);
    expect(busyOf(true)).toBe(DEFAULT_BUSY_TIMEOUT_MS);
  });
});
