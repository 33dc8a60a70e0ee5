import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { startProxy, type RunningProxy } from '../../../src/proxy/server';
import { tempHome } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/llm/fake-upstream';

/** Project caps (issue 17): a monthly cap per project, enforced by the proxy like a provider cap. */
let fake: FakeUpstream;
let core: Core;
let proxy: RunningProxy;

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  core = openCore({ home: tempHome('burnrate-project-caps-'), env: { BURNRATE_OPENAI_BASE_URL: fake.url }, timeZone: 'UTC' });
  proxy = await startProxy(core, core.prices, { port: 0 });
  fake.reset();
});
afterEach(async () => {
  await proxy.close();
  core.close();
});

/** Spend already filed under a project (as an earlier proxy row or an agent log would be). */
function spend(project: string, usd: string): void {
  core.usage.write([{ source: 'proxy', provider: 'openai', model: 'gpt-4o-mini', project, externalId: `earlier-${project}-${usd}`, costNano: Math.round(Number(usd) * 1e9), occurredAt: core.clock.now() }]);
}

function ask(path: string, headers: Record<string, string> = {}): Promise<string> {
  return new OpenAI({ apiKey: 'sk-project-caps', baseURL: `${proxy.url}${path}`, maxRetries: 0 }).chat.completions
    .create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'x' }] }, { headers })
    .then((r) => `ok ${r.id}`, (e: { status?: number; message: string }) => `${e.status}: ${e.message}`);
}

describe('project caps', () => {
  it('refuse at the project line with the project\'s sentence; other projects and unnamed requests pass', async () => {
    const view = await dispatch(core, 'budgetSet', { project: 'web', monthly: '0.01', policy: 'enforce' });
    expect(view.projectCaps).toEqual([{ project: 'web', capUsd: '0.01', spentUsd: '0.00', usedPct: 0, health: 'good' }]);
    expect(view.policies.projects).toEqual({ web: 'enforce' });
    spend('web', '0.0095'); // $0.0005 left of the cap; a request reserves at least $0.0006

    const byHeader = await ask('/openai/v1', { 'X-Burnrate-Project': 'web' });
    expect(byHeader).toMatch(/^402: .*the project "web" monthly cap of \$0\.01 would be passed/);
    expect(await ask('/p/web/openai/v1')).toMatch(/^402: .*the project "web" monthly cap/);
    expect(fake.served.requests).toBe(0);

    expect(await ask('/openai/v1', { 'X-Burnrate-Project': 'api' })).toMatch(/^ok chatcmpl-fake/);
    expect(await ask('/openai/v1')).toMatch(/^ok chatcmpl-fake/);
    expect(fake.served.requests).toBe(2);

    // Warn lets the project's requests through; the health and the alert are those of a cap.
    await dispatch(core, 'budgetSet', { project: 'web', policy: 'warn' });
    expect(await ask('/openai/v1', { 'X-Burnrate-Project': 'web' })).toMatch(/^ok chatcmpl-fake/);
    const shown = await dispatch(core, 'budgetShow', {});
    expect(shown.projectCaps[0]!.health).not.toBe('good');
    expect(shown.policies.projects.web).toBe('warn');
    const alerts = await dispatch(core, 'alerts', {});
    expect(alerts.alerts.map((a) => a.message)).toContainEqual(expect.stringMatching(/^Project "web" reached (80% of )?its monthly cap/));
  });

  it('a project cap is monthly: it takes --monthly, no daily or provider, and none removes it', async () => {
    await expect(dispatch(core, 'budgetSet', { project: 'web' })).rejects.toThrow('Give the monthly cap for the project "web" (or none to remove it).');
    await expect(dispatch(core, 'budgetSet', { project: 'web', daily: '1', monthly: '2' })).rejects.toThrow(/A project cap is monthly and has no reserve/);
    await expect(dispatch(core, 'budgetSet', { project: 'web', provider: 'openai', monthly: '2' })).rejects.toThrow(/either a provider's or a project's/);
    await expect(dispatch(core, 'budgetSet', { project: 'no\nnewlines', monthly: '2' })).rejects.toThrow(/project name/);
    await dispatch(core, 'budgetSet', { project: 'web', monthly: '2' });
    expect((await dispatch(core, 'budgetShow', {})).projectCaps.map((c) => c.capUsd)).toEqual(['2.00']);
    expect((await dispatch(core, 'budgetSet', { project: 'web', monthly: 'none' })).projectCaps).toEqual([]);
  });
});
