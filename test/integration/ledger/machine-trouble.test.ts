import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { openCore, type Core } from '../../../src/app/open';
import { startServer } from '../../../src/server';
import { fixedClock } from '../../../src/time';
import { tempHome } from '../../helpers/cli';
import { request } from '../server/http';

/**
 * Issue 14, "machine trouble is reported as a bug". A full disk is produced for real: SQLite's
 * max_page_count makes the ledger file unable to grow, and SQLite answers SQLITE_FULL exactly as
 * on a full disk. The answer is its own code with a sentence saying what to do; the server logs
 * one line for the repeated failure, without a stack trace.
 */
let core: Core | undefined;
afterEach(() => core?.close());

function fullLedger(): Core {
  core = openCore({ home: tempHome('burnrate-full-'), clock: fixedClock('2026-11-20T12:00:00Z'), timeZone: 'UTC' });
  const pages = core.db.pragma('page_count', { simple: true }) as number;
  core.db.pragma(`max_page_count = ${pages}`);
  return core;
}

const bigRecord = (i: number) => ({ provider: 'openai', model: 'gpt-4o', cost: '1', at: '2026-11-19T10:00:00Z', id: `full-${i}`, project: 'p'.repeat(150) });

describe('machine trouble', () => {
  it('a full disk is its own error with a sentence that says what to do, not a bug report', async () => {
    const c = fullLedger();
    let refusal: unknown;
    for (let i = 0; i < 200 && refusal === undefined; i++) await call(c, 'record', bigRecord(i)).catch((e: unknown) => (refusal = e));
    expect(refusal).toBeInstanceOf(ApiError);
    const e = refusal as ApiError;
    expect(e.code).toBe('unavailable');
    expect(e.facts).toEqual({ ledger: 'disk_full' });
    expect(e.reason).toBe('ledger_disk_full');
    expect(e.message).toMatch(/disk holding .*ledger\.sqlite is full; free some space/);
    expect(e.message).not.toMatch(/report it/i);
  });

  it('burnrate serve answers 503 with the sentence and logs one line for many identical failures', async () => {
    const c = fullLedger();
    const lines: string[] = [];
    const server = await startServer(c, { port: 0, token: 'machine-trouble-token-0123456789abcdef', log: (l) => lines.push(l) });
    try {
      const headers = { Host: `127.0.0.1:${server.port}`, Authorization: 'Bearer machine-trouble-token-0123456789abcdef', 'Content-Type': 'application/json' };
      const statuses: number[] = [];
      for (let i = 0; i < 120; i++) {
        const reply = await request(server.port, { method: 'POST', path: '/api/record', headers, body: JSON.stringify(bigRecord(i)) });
        statuses.push(reply.status);
        if (reply.status !== 200) expect(reply.json<{ error: { message: string } }>().error.message).toMatch(/is full; free some space/);
      }
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(5);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^burnrate serve: The disk holding .* is full/);
      expect(lines[0]).not.toMatch(/\n\s+at /);
    } finally {
      await server.close();
    }
  });
});
