import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, burnrateAsync, tempHome } from '../../helpers/cli';
import { mimeParts, startSmtp, type LocalSmtp } from '../../helpers/smtp';
import { OPENAI_ADMIN_KEY, OPENAI_DOCUMENTED, startOpenAIServer, type OpenAIServer } from '../../fixtures/servers';

// November 2026 closed on 5 December against the shared fake OpenAI (10 billed days, 1–10 Nov)
// and a real SMTP server on 127.0.0.1.
const NOW = '2026-12-05T12:00:00Z';
const STEPS = ['finals', 'sync', 'reconcile', 'freeze', 'report', 'send'] as const;

let openai: OpenAIServer;
let smtp: LocalSmtp;

function env(home: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    BURNRATE_HOME: home,
    BURNRATE_NOW: NOW,
    TZ: 'UTC',
    BURNRATE_OPENAI_BASE_URL: openai.url,
    BURNRATE_OPENAI_KEY: OPENAI_ADMIN_KEY,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/burnrate-test-bus',
    ...extra,
  };
}

/** Run the CLI and report how it ended, a signal included (the kill -9 of the test hook). */
function runUntilEnd(args: string[], environment: Record<string, string | undefined>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...environment }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function addEmail(home: string, to: string): Promise<number> {
  const r = await burnrateAsync(['alerts', 'channel', 'add', 'email', `smtp://127.0.0.1:${smtp.port}`, '--to', to, '--from', 'burnrate@example.com', '--json'], env(home));
  expect(r.stderr).toBe('');
  return r.json<{ channel: { id: number } }>().channel.id;
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

beforeAll(async () => {
  openai = await startOpenAIServer({ pageSize: 4 });
  smtp = await startSmtp();
});

afterAll(async () => {
  await openai.close();
  await smtp.close();
});

describe('burnrate month close', () => {
  it('closes November end to end: last sync, report, one email with the HTML inline and the CSV attached', async () => {
    const home = tempHome('burnrate-close-');
    const to = 'owner@example.com';
    await addEmail(home, to);
    const close = await burnrateAsync(['month', 'close', '2026-11', '--json'], env(home));
    expect(close.stderr).toBe('');
    const view = close.json<{ state: string; totalUsd: string; frozenUsd: string; steps: { step: string; status: string }[]; deliveries: { status: string }[] }>();
    expect(view.state).toBe('closed');
    expect(view.steps.map((s) => s.status)).toEqual(STEPS.map(() => 'done'));
    // The close's own sync fetched the month: exactly what the provider billed.
    expect(view.totalUsd).toBe(OPENAI_DOCUMENTED.costTotalUsd);
    expect(view.frozenUsd).toBe(OPENAI_DOCUMENTED.costTotalUsd);
    expect(view.deliveries).toEqual([expect.objectContaining({ status: 'delivered' })]);

    const mails = mailsTo(to);
    expect(mails).toHaveLength(1);
    const parts = mimeParts(mails[0]!.raw);
    const html = parts.find((p) => p.type === 'text/html')!.body;
    expect(html).toContain('Burnrate — November 2026');
    expect(html).toContain('<svg');
    expect(html).toContain('$50.95'); // the total at a glance, the exact figure in its title
    expect(html).toContain(`title="${OPENAI_DOCUMENTED.costTotalUsd} USD"`);
    const csv = parts.find((p) => p.filename === 'burnrate-2026-11.csv')!.body;
    expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^month,2026-11,,,${OPENAI_DOCUMENTED.costTotalUsd.replace('.', '\\.')},`));
    expect(csv).toContain(`day,2026-11-01,,,${OPENAI_DOCUMENTED.costByDayUsd['2026-11-01']}`);

    // Closing again changes nothing and sends nothing.
    const again = await burnrateAsync(['month', 'close', '2026-11', '--json'], env(home));
    expect(again.json<{ state: string }>().state).toBe('closed');
    expect(mailsTo(to)).toHaveLength(1);

    // The report on demand is the one that was sent.
    const report = await burnrateAsync(['report', '--month', '2026-11', '--format', 'csv'], env(home));
    expect(report.stdout).toBe(csv);
  });

  it.each(STEPS.flatMap((step) => (['before', 'after'] as const).map((when) => [step, when] as const)))(
    'killed with SIGKILL %s (%s it is recorded), a restart completes the close and sends one email',
    async (step, when) => {
      const home = tempHome('burnrate-close-kill-');
      const to = `kill-${step}-${when}@example.com`;
      await addEmail(home, to);
      const killed = await runUntilEnd(['month', 'close', '2026-11'], env(home, { BURNRATE_CLOSE_TEST_KILL: `${step}:${when}` }));
      expect(killed.signal).toBe('SIGKILL');
      const status = await burnrateAsync(['month', 'status', '--json'], env(home));
      const nov = status.json<{ months: { month: string; state: string; step: string }[] }>().months.find((m) => m.month === '2026-11')!;
      const stepIndex = STEPS.indexOf(step);
      // It stopped where the hook killed it: at the step (before) or at the next one (after).
      expect(nov.step).toBe(when === 'before' ? step : (STEPS[stepIndex + 1] ?? 'done'));
      const resumed = await burnrateAsync(['month', 'close', '2026-11', '--json'], env(home));
      expect(resumed.stderr).toBe('');
      expect(resumed.json<{ state: string; totalUsd: string }>()).toMatchObject({ state: 'closed', totalUsd: OPENAI_DOCUMENTED.costTotalUsd });
      expect(mailsTo(to)).toHaveLength(1);
    },
  );

  it('a late reading for a closed month becomes a visible adjustment, and the stored report stays as sent', async () => {
    const home = tempHome('burnrate-close-late-');
    const e = env(home);
    expect((await burnrateAsync(['provider', 'set', 'groq', '--mode', 'odometer'], e)).code).toBe(0);
    expect((await burnrateAsync(['reading', 'groq', '3.00', '--at', '2026-11-10T12:00:00Z'], e)).code).toBe(0);
    expect((await burnrateAsync(['reading', 'groq', '7.50', '--at', '2026-11-29T12:00:00Z'], e)).code).toBe(0);
    const closed = await burnrateAsync(['month', 'close', '2026-11', '--json'], e);
    const frozen = closed.json<{ state: string; totalUsd: string }>();
    expect(frozen.state).toBe('closed');
    const expected = (BigInt(OPENAI_DOCUMENTED.costTotalUsd.replace('.', '')) + 7_500_000_000n).toString();
    expect(frozen.totalUsd.replace('.', '')).toBe(expected);

    // The console's final November figure arrives in December.
    const late = await burnrateAsync(['reading', 'groq', '9.00', '--month', '2026-11', '--final'], e);
    expect(late.stderr).toBe('');
    const status = await burnrateAsync(['month', 'status', '--json'], e);
    const nov = status.json<{ months: { month: string; state: string; frozenUsd: string; totalUsd: string; adjustments: { provider: string; deltaUsd: string; reason: string }[] }[] }>().months.find((m) => m.month === '2026-11')!;
    expect(nov.state).toBe('closed');
    expect(nov.frozenUsd).toBe(frozen.totalUsd);
    expect(nov.adjustments).toEqual([expect.objectContaining({ provider: 'groq', deltaUsd: '1.50', reason: 'reading' })]);
    expect(nov.totalUsd.replace('.', '')).toBe((BigInt(expected) + 1_500_000_000n).toString());
    const human = await burnrateAsync(['month', 'status'], e);
    expect(human.stdout).toMatch(/2026-11\s+closed.*\+\$1\.50 groq \(reading/);
    // The report built now names the adjustment.
    const report = await burnrateAsync(['report', '--month', '2026-11', '--format', 'html'], e);
    expect(report.stdout).toContain('Changed after the close');
    expect(report.stdout).toMatch(/Groq \+\$1\.50<\/span> \(reading/);
  });

  it('a send that fails is retried with backoff and shows under needs attention; the channel test reaches SMTP', async () => {
    const home = tempHome('burnrate-close-down-');
    // A port nothing listens on: the SMTP server is "down".
    const down = await burnrateAsync(['alerts', 'channel', 'add', 'email', 'smtp://127.0.0.1:9', '--to', 'down@example.com', '--json'], env(home));
    expect(down.code).toBe(0);
    const r = await burnrateAsync(['month', 'close', '2026-11', '--json'], env(home));
    expect(r.code).toBe(1);
    const view = r.json<{ state: string; step: string; attempts: number; lastError: string; failure: { step: string; provider: string | null; message: string }; nextAttemptAt: string }>();
    expect(view).toMatchObject({ state: 'retrying', step: 'send', attempts: 1 });
    // The failed step is a field of its own; the one line the CLI prints keeps its "send: " in front.
    expect(view.failure).toMatchObject({ step: 'send', provider: null });
    expect(view.failure.message).toMatch(/^the report is still waiting for email channel #1 \(SMTP: .*ECONNREFUSED/);
    expect(view.lastError).toBe(`send: ${view.failure.message}`);
    expect(Date.parse(view.nextAttemptAt) - Date.parse(NOW)).toBe(30_000);
    const status = await burnrateAsync(['status', '--json'], env(home));
    const attention = status.json<{ attention: { kind: string; message: string }[] }>().attention;
    expect(attention).toContainEqual(expect.objectContaining({ kind: 'month_close', message: expect.stringContaining('The close of November 2026 stopped at its send step') }));

    // The channel test goes through the same sender.
    const to = 'test-me@example.com';
    const id = await addEmail(home, to);
    const test = await burnrateAsync(['alerts', 'channel', 'test', String(id)], env(home));
    expect(test.stdout).toContain(`Sent a test message to email channel #${id}.`);
    expect(mailsTo(to)).toHaveLength(1);
    expect(mailsTo(to)[0]!.raw).toMatch(/^Subject: Burnrate: test/m);
  });

  it('a sync the provider refuses stops at the sync step, with the provider as a field; the CLI still prints "sync: openai: …"', async () => {
    const home = tempHome('burnrate-close-refused-');
    const refused = env(home, { BURNRATE_OPENAI_KEY: 'sk-admin-WRONGkey0123456789abcdefXYZ' });
    const r = await burnrateAsync(['month', 'close', '2026-11', '--skip-finals', '--json'], refused);
    expect(r.code).toBe(1);
    const view = r.json<{ state: string; step: string; lastError: string; failure: { step: string; provider: string | null; message: string } }>();
    expect(view).toMatchObject({ state: 'retrying', step: 'sync', failure: { step: 'sync', provider: 'openai' } });
    // The error is the sync's own sentence, with neither the step's code nor the provider's slug in front.
    expect(view.failure.message).not.toMatch(/^(sync|openai): /);
    expect(view.failure.message).toMatch(/OpenAI/);
    expect(view.lastError).toBe(`sync: openai: ${view.failure.message}`);

    const human = await burnrateAsync(['month', 'status'], refused);
    expect(human.stdout).toContain(`2026-11: sync: openai: ${view.failure.message}`);
    const status = await burnrateAsync(['status', '--json'], refused);
    const attention = status.json<{ attention: { kind: string; message: string }[] }>().attention;
    expect(attention).toContainEqual(
      expect.objectContaining({ kind: 'month_close', message: expect.stringContaining(`The close of November 2026 stopped at its sync step (openai: ${view.failure.message.replace(/\.$/, '')})`) }),
    );

    // With the right key the step goes through, and the failure is gone with it.
    const resumed = await burnrateAsync(['month', 'close', '2026-11', '--json'], env(home));
    const after = resumed.json<{ state: string; step: string; lastError: string | null; failure: unknown }>();
    expect(after.step).not.toBe('sync');
    expect(after.failure).toBeNull();
  });
});
