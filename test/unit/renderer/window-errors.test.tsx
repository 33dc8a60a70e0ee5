// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../../src/api/contract';
import { dispatch, errorBody, toApiError } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import type { SecretStore } from '../../../src/secrets/store';
import { toCallError, type CallError } from '../../../renderer/src/api/errors';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { ReadingForm } from '../../../renderer/src/components/ReadingForm';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { bridgeFor } from './core-bridge';

// Every error the window can receive, produced by the REAL dispatch from bad inputs and real
// conflicts, carried as the plain error body (what IPC and HTTP send) and worded by the renderer's
// own error formatting. None may tell a window user to run a terminal command.

const CLI_WORDS = /--[a-z]|\bburnrate [a-z]/;

/** A keychain held in memory, so keysSet never reaches the machine's real one. */
function memoryKeychain(): SecretStore {
  const keys = new Map<string, string>();
  return {
    description: 'test keychain',
    get: async (p) => keys.get(p) ?? null,
    set: async (p, s) => void keys.set(p, s),
    delete: async (p) => keys.delete(p),
  };
}

let core: Core;
let now: number;

beforeEach(async () => {
  now = Date.parse('2026-03-25T12:00:00Z');
  core = openCore({
    memory: true,
    clock: { now: () => new Date(now) },
    timeZone: 'UTC',
    env: {},
    secrets: memoryKeychain(),
    // No test here may reach a network: a provider call fails as an unreachable server would.
    fetch: () => Promise.reject(new TypeError('fetch failed')),
  });
  await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
  await dispatch(core, 'providerSet', { provider: 'openrouter', mode: 'balance' });
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '0.40', at: '2026-02-10T10:00:00Z' });
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '0.95', month: '2026-02', final: true });
  // Early on 1 March in UTC, still February in Honolulu: a billing zone there would break February.
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '1.50', at: '2026-03-01T05:00:00Z' });
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '2.00', at: '2026-03-05T10:00:00Z' });
  await dispatch(core, 'readingAdd', { provider: 'groq', amount: '8.00', at: '2026-03-20T10:00:00Z' });
  await dispatch(core, 'readingAdd', { provider: 'openrouter', amount: '20.00', at: '2026-03-20T10:00:00Z' });
  await dispatch(core, 'subscriptionAdd', { name: 'ChatGPT Plus', monthly: '20', day: 3, since: '2026-01-03' });
});

afterEach(() => {
  cleanup();
  core.close();
});

/** Run one call and return what the window would show, or null when it succeeded. */
async function windowError(method: string, input: unknown): Promise<CallError | null> {
  try {
    await dispatch(core, method, input);
    return null;
  } catch (error) {
    return toCallError(errorBody(toApiError(error)));
  }
}

/** Inputs that are wrong for any method: nothing, a stranger field, wrong types for each field. */
function badInputs(method: MethodName): unknown[] {
  const schema = contract[method].input as unknown as { shape?: Record<string, unknown> };
  const fields = Object.keys(schema.shape ?? {});
  const out: unknown[] = [{}, { stranger: 1 }, 'not an object'];
  for (const f of fields) out.push({ [f]: 'not valid ☃' }, { [f]: -1 }, { [f]: null });
  return out;
}

// The conflicts the domain itself raises (valid input, contradicted by what is stored).
const DOMAIN_CASES: [string, MethodName, unknown][] = [
  ['reading_lower_than_previous', 'readingAdd', { provider: 'groq', amount: '0.90' }],
  ['reading_lower_than_previous', 'readingAdd', { provider: 'groq', amount: '1.00', at: '2026-03-10T10:00:00Z' }],
  ['reading_higher_than_later', 'readingAdd', { provider: 'groq', amount: '9.00', at: '2026-03-10T10:00:00Z' }],
  ['reading_at_same_time', 'readingAdd', { provider: 'groq', amount: '9.00', at: '2026-03-20T10:00:00Z' }],
  ['reading_at_same_time', 'readingAdd', { provider: 'openrouter', amount: '19.00', at: '2026-03-20T10:00:00Z' }],
  ['final_figure_exists', 'readingAdd', { provider: 'groq', amount: '0.99', month: '2026-02', final: true }],
  ['reading_above_final', 'readingAdd', { provider: 'groq', amount: '1.50', at: '2026-02-20T10:00:00Z' }],
  ['final_needs_month', 'readingAdd', { provider: 'groq', amount: '9.00', final: true }],
  ['month_needs_final', 'readingAdd', { provider: 'groq', amount: '9.00', month: '2026-02' }],
  ['final_takes_no_time', 'readingAdd', { provider: 'groq', amount: '1.00', month: '2026-01', final: true, at: '2026-01-31T10:00:00Z' }],
  ['month_not_over', 'readingAdd', { provider: 'groq', amount: '9.00', month: '2026-03', final: true }],
  ['nothing_to_replace', 'readingAdd', { provider: 'groq', amount: '1.00', month: '2026-01', final: true, replace: true }],
  ['balance_has_no_final', 'readingAdd', { provider: 'openrouter', amount: '1.00', month: '2026-02', final: true }],
  ['time_in_future', 'readingAdd', { provider: 'groq', amount: '9.00', at: '2026-04-01T00:00:00Z' }],
  ['provider_takes_no_readings', 'readingAdd', { provider: 'openai', amount: '1.00' }],
  ['reading_not_found', 'readingDelete', { id: 999 }],
  ['topup_needs_balance_mode', 'topup', { provider: 'groq', amount: '5' }],
  ['topup_zero', 'topup', { provider: 'openrouter', amount: '0' }],
  ['nothing_to_change', 'providerSet', { provider: 'groq' }],
  ['bad_billing_tz', 'providerSet', { provider: 'groq', billingTz: 'Mars/Olympus' }],
  ['mode_api_unavailable', 'providerSet', { provider: 'groq', mode: 'api' }],
  ['billing_tz_breaks_readings', 'providerSet', { provider: 'groq', billingTz: 'Pacific/Honolulu' }],
  ['subscription_exists', 'subscriptionAdd', { name: 'chatgpt plus', monthly: '20', day: 3 }],
  ['provider_name_needed', 'subscriptionAdd', { name: '!!!', monthly: '5', day: 1 }],
  ['start_in_future', 'subscriptionAdd', { name: 'Later', monthly: '5', day: 1, since: '2026-05-01' }],
  ['subscription_not_found', 'subscriptionRemove', { id: 999 }],
  ['reminder_not_found', 'reminderSnooze', { id: 999 }],
  ['nothing_to_set', 'budgetSet', {}],
  ['cap_needs_monthly', 'budgetSet', { provider: 'openai' }],
  ['cap_with_daily', 'budgetSet', { provider: 'openai', monthly: '5', daily: '1' }],
  ['unknown_provider', 'budgetSet', { provider: 'nosuchai', monthly: '5' }],
  ['budget_zero', 'budgetSet', { daily: '0' }],
  ['budget_negative', 'budgetSet', { monthly: '-3' }],
  ['alert_not_found', 'alertAck', { id: 999 }],
  ['channel_not_found', 'channelRemove', { id: 999 }],
  ['no_price_for_usage', 'record', { provider: 'openai', model: 'my-finetune', inputTokens: 10 }],
  ['time_in_future', 'record', { provider: 'openai', model: 'gpt-4o', cost: '1', at: '2026-04-01T00:00:00Z' }],
  ['no_price_for_model', 'prices', { model: 'gpt-9-ultra', provider: 'openai' }],
  ['no_price_override', 'priceRemove', { model: 'gpt-4o' }],
  ['range_reversed', 'spendSummary', { from: '2026-03-10', to: '2026-03-01' }],
  ['range_reversed', 'reconcile', { from: '2026-03-10', to: '2026-03-01' }],
  ['range_in_future', 'reconcile', { from: '2026-03-01', to: '2026-04-10' }],
  ['key_empty', 'keysSet', { provider: 'openai', key: '   ' }],
  ['key_not_stored', 'keysDelete', { provider: 'openai' }],
  ['key_missing', 'keysTest', { provider: 'openai' }],
  ['no_billing_api', 'keysTest', { provider: 'groq' }],
  ['key_missing', 'sync', { provider: 'openai' }],
  ['unknown_method', 'dropTables' as MethodName, {}],
];

describe('errors as the window words them', () => {
  it('never name a CLI flag or command, for bad input to every method of the contract', async () => {
    const seen = new Set<string>();
    let count = 0;
    for (const method of Object.keys(contract) as MethodName[]) {
      if (method === 'export') continue; // writes a file where told: its own test covers its errors
      for (const input of badInputs(method)) {
        const error = await windowError(method, input);
        if (!error) continue;
        count++;
        seen.add(error.reason);
        expect(error.message, `${method} ${JSON.stringify(input)}`).not.toMatch(CLI_WORDS);
      }
    }
    expect(count).toBeGreaterThan(100);
    expect(seen).toContain('bad_input');
  });

  it('never name a CLI flag or command for the domain conflicts, and each carries its reason and facts', async () => {
    const reasons = new Set<string>();
    for (const [reason, method, input] of DOMAIN_CASES) {
      const error = await windowError(method, input);
      expect(error, `${method} ${JSON.stringify(input)}`).not.toBeNull();
      expect(error!.reason, `${method} ${JSON.stringify(input)}: ${error!.message}`).toBe(reason);
      expect(error!.message, reason).not.toMatch(CLI_WORDS);
      reasons.add(reason);
    }
    expect(reasons.size).toBeGreaterThanOrEqual(40);
  });

  it('name the window\'s own controls, and offer to correct the latest reading where that is the fix', async () => {
    const lower = (await windowError('readingAdd', { provider: 'groq', amount: '0.90' }))!;
    // Two sentences, not the core's three: the clash, and the way out.
    expect(lower.message).toBe(
      "Groq's reading of $0.90 is lower than $8.00, read earlier in March 2026; a month-to-date figure cannot go down, so nothing was changed. If $8.00 was mistyped, choose “Correct the latest reading” to replace it with $0.90, or delete it in the Readings list.",
    );
    expect(lower.fix).toEqual({ action: 'correct_latest_reading', provider: 'groq', label: 'Correct the latest reading' });
    // The clashing reading is not the latest: deleting it is the fix, and the window says where.
    const older = (await windowError('readingAdd', { provider: 'groq', amount: '1.00', at: '2026-03-10T10:00:00Z' }))!;
    expect(older.message).toMatch(/If \$2\.00 was wrong, delete it in the Readings list first\./);
    expect(older.fix).toBeUndefined();
    const future = (await windowError('readingAdd', { provider: 'groq', amount: '9.00', at: '2026-04-01T00:00:00Z' }))!;
    expect(future.message).toMatch(/give the time you read the figure; leave “Taken at” empty for now\.$/);
    // A final figure below a reading of its month: the reading is found in the Readings list (the window shows no reading ids).
    const below = (await windowError('readingAdd', { provider: 'groq', amount: '0.30', month: '2026-02', final: true, replace: true }))!;
    expect(below.reason).toBe('final_below_reading');
    expect(below.message).toBe(
      "The final figure $0.30 for February 2026 is lower than $0.40 read in that month, and a final figure is at least the month's last reading, so nothing was changed. Check the amount, or if the $0.40 reading was wrong, delete it in the Readings list first.",
    );
    expect(below.message).not.toMatch(/reading \d/);
    // How to remove a budget or a cap in the window, not with a flag word ("pass none").
    expect((await windowError('budgetSet', { daily: '0' }))!.message).toBe('The daily budget must be more than $0. Nothing was changed. To have none, leave the field empty.');
    expect((await windowError('budgetSet', { provider: 'openai', monthly: '0' }))!.message).toBe('The monthly cap must be more than $0. Nothing was changed. To remove a cap, choose Remove in its row.');
    const noKey = (await windowError('keysTest', { provider: 'openai' }))!;
    expect(noKey.message).toMatch(/Add one under Provider keys in Accounts\.$/);
  });

  it('leave status items, reminders and sync messages free of CLI commands too', async () => {
    await dispatch(core, 'sync', { provider: 'openai' }).catch(() => undefined);
    // A week on, in the next month: March awaits its final figure and OpenRouter's balance is stale.
    now = Date.parse('2026-04-02T09:00:00Z');
    const status = await dispatch(core, 'status', {});
    const runs = await dispatch(core, 'syncRuns', {});
    const texts = [...status.attention.map((a) => a.message), ...status.reminders.map((r) => r.message), ...runs.runs.map((r) => r.message ?? '')];
    expect(status.reminders.length).toBeGreaterThan(0);
    expect(runs.runs.length).toBeGreaterThan(0);
    for (const t of texts) expect(t).not.toMatch(CLI_WORDS);
  });
});

describe('the reading form', () => {
  it('offers "Correct the latest reading" when a lower figure is refused, and the click replaces the latest', async () => {
    const providers = (await dispatch(core, 'providers', {})).providers;
    const bridge = bridgeFor(core);
    render(
      <ClientProvider client={createIpcClient(bridge)}>
        <ReadingForm providers={providers} initialProvider="groq" />
      </ClientProvider>,
    );
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '3.00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const fix = await screen.findByRole('button', { name: 'Correct the latest reading' });
    expect(screen.getByRole('alert').textContent).not.toMatch(CLI_WORDS);
    fireEvent.click(fix);
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Groq March: \$8\.00 → \$3\.00$/));
    expect(bridge.calls.at(-1)).toEqual({ method: 'readingAdd', input: { provider: 'groq', amount: '3.00', replace: true } });
    const readings = (await dispatch(core, 'readings', { provider: 'groq' })).readings;
    expect(readings.map((r) => r.amountUsd)).toContain('3.00');
    expect(readings.map((r) => r.amountUsd)).not.toContain('8.00');
  });
});
