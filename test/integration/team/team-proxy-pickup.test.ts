import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { teamSpendForEnforcement } from '../../../src/team/enforcement';
import { fixedClock } from '../../../src/time';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';
import { HAVE_PG, useTeamDatabase } from '../../helpers/team-pg';

// A machine that joins (or leaves) a team while its metering proxy runs: the proxy enforces (or
// stops enforcing) the team's budget without a restart. The join and the leave go through ANOTHER
// connection to the same ledger, as `burnrate team join` in a second process does.
const NOW = '2026-03-20T15:00:00Z';

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});

async function chat(proxy: RunningProxy): Promise<{ status: number; message: string | null }> {
  const res = await fetch(`${proxy.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-team-key', 'x-fake-output': '20' },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 4096, messages: [{ role: 'user', content: 'hello' }] }),
  });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message ?? null };
}

/** The proxy's log, and a wait for its next line matching `pattern` (the readiness signal; no sleeps). */
function logLines() {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    lines,
    log: (line: string) => {
      lines.push(line);
      for (const w of waiting.splice(0)) {
        if (w.pattern.test(line)) w.resolve(line);
        else waiting.push(w);
      }
    },
    next: (pattern: RegExp) => new Promise<string>((resolve) => waiting.push({ pattern, resolve })),
  };
}

describe.skipIf(!HAVE_PG)('a join or leave reaches a running metering proxy', () => {
  const bed = useTeamDatabase(NOW);

  it('enforces the team budget after a join, and only the personal lines after a leave, without a restart', async () => {
    // A has spent the team's whole day; the team budget is enforced.
    const a = bed.member();
    await dispatch(a, 'teamJoin', { url: bed.url(), team: 'live', member: 'ann' });
    a.usage.write([{ source: 'manual', provider: 'openai', externalId: 'a1', model: 'gpt-4o-mini', costNano: 50_000_000, occurredAt: new Date('2026-03-20T09:00:00Z') }]);
    await dispatch(a, 'teamPush', {});
    await dispatch(a, 'teamBudgetSet', { daily: '0.05', reservePct: 0, enforce: true });

    // B's proxy starts outside any team, with the source the CLI injects.
    const b = bed.member();
    const out = logLines();
    const proxy = await startProxy(b, b.prices, { port: 0, env: { BURNRATE_OPENAI_BASE_URL: fake.url }, log: out.log, team: teamSpendForEnforcement(b, { refreshMs: 0 }) });
    // Another connection to B's ledger: what a second process (`burnrate team join`) writes through.
    const other: Core = openCore({ home: b.home, clock: fixedClock(NOW), timeZone: 'UTC', env: {}, secrets: b.secrets! });
    try {
      expect((await chat(proxy)).status).toBe(200);

      const joined = out.next(/is in a team now/);
      await dispatch(other, 'teamJoin', { url: bed.url(), team: 'live', member: 'bob' });
      expect(await joined).toBe('burnrate proxy: this machine is in a team now; enforcing the team "live" budget too.');
      const refused = await chat(proxy);
      expect(refused.status).toBe(402);
      expect(refused.message).toMatch(/^Burnrate refused this request: the team "live" daily budget of \$0\.05/);

      const left = out.next(/left its team/);
      await dispatch(other, 'teamLeave', {});
      expect(await left).toBe('burnrate proxy: this machine left its team; enforcing the personal budgets only.');
      expect((await chat(proxy)).status).toBe(200);
      expect(out.lines.filter((l) => /has not answered/.test(l))).toEqual([]);
    } finally {
      other.close();
      await proxy.close();
    }
  });
});
