import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUp } from '../../../src/app/catch-up';
import { contract, type MethodName } from '../../../src/api/contract';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { OPENAI_ADMIN_KEY, startOpenAIServer, type OpenAIServer } from '../../fixtures/servers';
import { burnrateAsync, tempHome } from '../../helpers/cli';

/**
 * Reads never write (issue 12): every `kind: 'read'` method, through dispatch and through the real
 * CLI, on a ledger whose folder and file are read-only, leaves every byte of it as it was, and
 * shows the figures a caught-up copy stores. CI runs as root, where chmod stops nothing, so the
 * proof is the bytes, not a permission error.
 */

const SEEDED = '2026-01-10T12:00:00Z';
// Twenty subscription days later, two days before the end of the month: a month-end check is due
// for Groq, December closed without a final figure, and nothing of it is stored yet.
const READ_AT = '2026-01-30T12:00:00Z';
const TZ = 'Europe/Berlin';

/** A valid input for each read method; the test fails for a read method missing here. */
const READ_INPUTS: Record<string, unknown> = {
  status: {},
  export: { format: 'json' },
  history: {},
  series: {},
  spendSummary: {},
  settingsGet: {},
  providers: {},
  readings: { provider: 'groq' },
  subscriptions: {},
  subscriptionPreview: { name: 'Claude Pro', monthly: '20.00', day: 5, since: '2025-12-10' },
  unpricedModels: {},
  reminders: {},
  prices: {},
  keysList: {},
  keysTest: { provider: 'openai' },
  syncRuns: {},
  budgetShow: {},
  alerts: {},
  channels: {},
  accuracy: {},
  backupList: {},
  agentsList: {},
  monthStatus: {},
  report: { month: '2025-12', format: 'html' },
  overrides: {},
  proxyStatus: {},
  teamMembership: {},
  teamStatus: {}, // refused without a team (test/integration/team reads a joined one): a refusal writes nothing either
};

/** Further inputs whose answers must match a caught-up copy (each grouping, CSV and a range). */
const MORE_READS: [MethodName, unknown][] = [
  ['spendSummary', { groupBy: 'day', from: '2025-12-01' }],
  ['spendSummary', { groupBy: 'project', from: '2025-12-01' }],
  ['spendSummary', { groupBy: 'model', from: '2025-12-01' }],
  ['export', { format: 'csv', from: '2025-12-01' }],
  ['series', { from: '2025-12-01' }],
  ['history', { limit: 3, provider: 'chatgpt-plus', from: '2026-01-01' }],
  ['history', { limit: 4, before: '2026-01-28|2026-01-27T23:00:00.000Z|99999' }],
];

const readMethods = (Object.keys(contract) as MethodName[]).filter((name) => contract[name].kind === 'read');

let fake: OpenAIServer;
let readOnlyHome: string;
let caughtUpHome: string;

function fixedClock(iso: string): { now: () => Date } {
  return { now: () => new Date(iso) };
}

function open(home: string, at: string): Core {
  return openCore({
    home,
    timeZone: TZ,
    clock: fixedClock(at),
    env: { BURNRATE_OPENAI_KEY: OPENAI_ADMIN_KEY, BURNRATE_OPENAI_BASE_URL: fake.url, TZ },
  });
}

/** A read's answer, or its refusal's code: a read that refuses must leave the ledger as it found it too. */
async function answerOf(core: Parameters<typeof dispatch>[0], name: MethodName, input: unknown): Promise<unknown> {
  try {
    return await dispatch(core, name, input);
  } catch (error) {
    return { refused: (error as { code?: string }).code ?? String(error) };
  }
}

/** Every file under a folder, byte for byte. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) out[name] = fs.readFileSync(path.join(dir, name)).toString('base64');
  return out;
}

async function seed(home: string): Promise<void> {
  const core = open(home, SEEDED);
  const run = (name: MethodName, input: unknown) => dispatch(core, name, input);
  await run('subscriptionAdd', { name: 'ChatGPT Plus', monthly: '20.00', day: 3, since: '2025-12-01' });
  await run('providerSet', { provider: 'groq', mode: 'odometer' });
  await run('readingAdd', { provider: 'groq', amount: '1.00', at: '2025-12-05T10:00:00Z' });
  await run('readingAdd', { provider: 'groq', amount: '4.50', at: '2025-12-20T10:00:00Z' });
  await run('readingAdd', { provider: 'groq', amount: '0.75', at: '2026-01-05T10:00:00Z' });
  await run('record', { provider: 'openai', model: 'gpt-4o', inputTokens: 1200, outputTokens: 300, at: '2026-01-09T08:00:00Z', project: 'site' });
  await run('record', { provider: 'anthropic', model: 'claude-x', cost: '0.42', at: '2026-01-10T09:00:00Z' });
  await run('budgetSet', { monthly: '500.00' });
  core.close();
}

beforeAll(async () => {
  fake = await startOpenAIServer({ pageSize: 3 });
  readOnlyHome = tempHome('burnrate-readonly-');
  await seed(readOnlyHome);
  caughtUpHome = tempHome('burnrate-caughtup-');
  for (const name of fs.readdirSync(readOnlyHome)) fs.copyFileSync(path.join(readOnlyHome, name), path.join(caughtUpHome, name));
  fs.chmodSync(path.join(readOnlyHome, 'ledger.sqlite'), 0o444);
  fs.chmodSync(readOnlyHome, 0o555);
}, 60_000);

afterAll(async () => {
  fs.chmodSync(readOnlyHome, 0o755);
  await fake.close();
});

describe('reads never write', () => {
  it('every read method has an input here, so a new one is covered', () => {
    expect(readMethods.filter((name) => !(name in READ_INPUTS))).toEqual([]);
  });

  it('runs every read through dispatch and the CLI without changing a byte, with the figures of a caught-up copy', async () => {
    const before = filesOf(readOnlyHome);
    expect(Object.keys(before)).toContain('ledger.sqlite');

    const readOnly = open(readOnlyHome, READ_AT);
    const seen: string[] = [];
    readOnly.events.onAny((name) => seen.push(name));
    const answers = new Map<string, unknown>();
    const reads: [MethodName, unknown][] = [...readMethods.map((name): [MethodName, unknown] => [name, READ_INPUTS[name]]), ...MORE_READS];
    for (const [name, input] of reads) {
      answers.set(`${name} ${JSON.stringify(input)}`, await answerOf(readOnly, name, input));
    }
    readOnly.close();
    expect(seen).toEqual([]); // no event from a read

    const env = { BURNRATE_HOME: readOnlyHome, BURNRATE_NOW: READ_AT, TZ };
    // One after another: these tests run as root, so each CLI opens the ledger writable, and two
    // connections closing at the same instant can each see the other's lock and both leave the empty
    // -wal and -shm files behind (SQLite deletes them only from a close that holds the file alone).
    const status = await burnrateAsync(['status', '--json'], env);
    const summary = await burnrateAsync(['summary', '--json'], env);
    const exported = await burnrateAsync(['export', '--format', 'json'], env);
    for (const r of [status, summary, exported]) expect(r.stderr).toBe('');
    expect([status.code, summary.code, exported.code]).toEqual([0, 0, 0]);

    expect(filesOf(readOnlyHome)).toEqual(before);

    // The same reads on a copy that the catch-up brought up to date.
    const caughtUp = open(caughtUpHome, READ_AT);
    catchUp(caughtUp);
    const stored = caughtUp.db.prepare("SELECT kind FROM reminders WHERE answered_at IS NULL ORDER BY id").all();
    expect(stored).toEqual([{ kind: 'month_final' }, { kind: 'month_end' }]); // the catch-up had work to do
    const differing: string[] = [];
    for (const [name, input] of reads) {
      const key = `${name} ${JSON.stringify(input)}`;
      if (name === 'backupList') continue; // it names its own data folder, which differs between the copies
      if (JSON.stringify(answers.get(key)) !== JSON.stringify(await answerOf(caughtUp, name, input))) differing.push(key);
    }
    expect(differing).toEqual([]);
    const caughtStatus = await dispatch(caughtUp, 'status', {});
    caughtUp.close();

    expect(status.json()).toEqual(caughtStatus);
    expect(status.json()).toEqual(answers.get('status {}'));
    expect(summary.json()).toEqual(answers.get('spendSummary {}'));
    expect(exported.stdout).toBe((answers.get('export {"format":"json"}') as { content: string }).content);
    // The subscription's days of January so far are in the figures although none was stored.
    expect(status.json<typeof caughtStatus>().providers.find((p) => p.provider === 'chatgpt-plus')?.monthSpentUsd).toBe('19.35483871'); // 30 of 31 days of $20
  }, 120_000);

  it('refuses a write from inside a read', async () => {
    const home = tempHome('burnrate-guard-');
    const core = open(home, SEEDED);
    const { readView } = await import('../../../src/api/read-view');
    const view = readView(core);
    expect(() => view.db.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')")).toThrow(/A read tried to change the ledger/);
    expect(() => view.db.exec('DELETE FROM reminders')).toThrow(/reads never write/);
    expect(() => view.db.pragma('user_version = 7')).toThrow(/reads never write/);
    expect(() => view.events.emit('statusChanged', { reason: 'x' })).toThrow(/emit an event/);
    expect(() => view.spendChanged('x')).toThrow(/report a spend change/);
    expect(() => view.notifier.notify({ kind: 'reminder', title: 't', body: 'b' })).toThrow(/notification/);
    expect(() => view.usage.write([])).toThrow(/write through write/);
    // Reading still works through the view, and the real core still writes.
    expect(view.db.prepare('SELECT COUNT(*) AS n FROM reminders').get()).toEqual({ n: 0 });
    await expect(dispatch(core, 'budgetSet', { daily: '2.00' })).resolves.toBeDefined();
    core.close();
  });

  it('reads a WAL ledger from an in-memory copy when SQLite cannot open it read-only in place, and refuses writes', async () => {
    // The fallback for a non-root user whose folder is read-only (no -shm can be created there);
    // as root, chmod stops nothing, so the fallback is called directly.
    const { openSnapshot } = await import('../../../src/ledger/db');
    const file = path.join(caughtUpHome, 'ledger.sqlite');
    const before = fs.readFileSync(file);
    expect(before[18]).toBe(2); // a WAL file
    const db = openSnapshot(file, undefined);
    expect((db.prepare("SELECT COUNT(*) AS n FROM subscriptions").get() as { n: number }).n).toBe(1);
    expect(() => db.prepare("DELETE FROM subscriptions").run()).toThrow(/readonly/);
    db.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
