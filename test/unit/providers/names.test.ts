import { describe, expect, it } from 'vitest';
import { providerName } from '../../../renderer/src/components/providers';
import { reportData } from '../../../src/close/report/data';
import { reportHtml } from '../../../src/close/report/html';
import { providerColor } from '../../../src/model/provider-colors';
import { PROVIDERS, displayName } from '../../../src/providers/catalog';
import { namerOf, providerNamer } from '../../../src/providers/names';
import { call, testCore } from '../odometer/helpers';

// Issue 15: every sentence the server writes names a subscription by the name the user typed, as
// the window does, never by its capitalised slug ("Github-copilot-business").

describe('one provider name on the server and in the window', () => {
  it('names a subscription by its typed name in attention items, alerts, errors, the providers read and the month report', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'subscriptionAdd', { name: 'GitHub Copilot Business', monthly: '31', day: 1, since: '2026-03-01' });
    await call(core, 'budgetSet', { provider: 'github-copilot-business', monthly: '5.00' });

    const status = await call(core, 'status', {});
    const cap = status.attention.find((a) => a.kind === 'cap');
    expect(cap?.message).toBe('GitHub Copilot Business is over its $5.00 monthly cap ($10.00 spent).');

    const alerts = await call(core, 'alerts', {});
    expect(alerts.alerts.map((a) => a.message)).toContain('GitHub Copilot Business reached its monthly cap: $10.00 of $5.00.');

    await expect(call(core, 'providerSet', { provider: 'github-copilot-business' })).rejects.toThrow(/^Say what to change for GitHub Copilot Business:/);
    await call(core, 'providerSet', { provider: 'github-copilot-business', mode: 'subscription' });
    const listed = (await call(core, 'providers', {})).providers.find((p) => p.provider === 'github-copilot-business');
    expect(listed?.name).toBe('GitHub Copilot Business');
    await expect(call(core, 'readingAdd', { provider: 'github-copilot-business', amount: '3' })).rejects.toThrow(/^GitHub Copilot Business is tracked as a flat subscription/);

    const report = reportData(core.db, '2026-03', core.clock.now(), core.timeZone);
    expect(report.providers.map((p) => p.name)).toEqual(['GitHub Copilot Business']);
  });

  it('the month report names providers as the window does in every table, and draws each in its window colour', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'subscriptionAdd', { name: 'GitHub Copilot Business', monthly: '31', day: 1, since: '2026-03-01' });
    await call(core, 'record', { provider: 'openai', model: 'gpt-4o-mini', cost: '2.00' });
    const html = reportHtml(reportData(core.db, '2026-03', core.clock.now(), core.timeZone));
    const rows = [...html.matchAll(/<tr><td>([^<]*)<\/td><td class="n">([^<]*)<\/td>/g)].map((m) => `${m[1]} · ${m[2]}`);
    expect(rows).toContain('gpt-4o-mini · OpenAI'); // Per model
    expect(rows).toContain('GitHub Copilot Business · GitHub Copilot Business'); // Subscriptions
    expect(html).not.toMatch(/<td class="n">(openai|github-copilot-business)<\/td>/);
    const slugs = ['github-copilot-business', 'openai'];
    expect(html).toContain(`fill="${providerColor('openai', slugs)}"`);
    expect(html).toContain(`fill="${providerColor('github-copilot-business', slugs)}"`);
  });

  it("the preview names the cap of a subscription not yet saved by the name being typed", async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'record', { provider: 'team-seats', model: 'seat', cost: '1.00' });
    await call(core, 'budgetSet', { provider: 'team-seats', monthly: '5.00' });
    const preview = await call(core, 'subscriptionPreview', { name: 'Team Seats', monthly: '31', day: 1 });
    expect(preview.summary).toContain('; Team Seats then goes over its $5.00 monthly cap.');
  });

  it("keeps a catalogue provider's own name when a subscription is filed under it, and a typed provider's name whatever its subscriptions are called", () => {
    const core = testCore('2026-03-10T12:00:00Z');
    const names = namerOf([
      { provider: 'openai', name: 'ChatGPT Plus' },
      { provider: 'tools', name: 'Cursor' },
      { provider: 'tools', name: 'Zed' },
      { provider: 'qwen', name: '通义千问' },
      { provider: 'cursor-pro', name: 'Cursor Pro' },
    ]);
    expect(names('openai')).toBe('OpenAI');
    // A provider named when the subscription was added (--provider, "Another provider…") is not
    // called after one of them: a cap on "tools" covers Zed too.
    expect(names('tools')).toBe('Tools');
    expect(names('qwen')).toBe('Qwen');
    expect(names('cursor-pro')).toBe('Cursor Pro'); // filed under its own name: named as typed
    expect(names('together')).toBe('Together');
    expect(names('acme')).toBe('Acme');
    expect(providerNamer(core.db)('acme')).toBe('Acme');
  });

  it('the window writes every catalogue name as the server does', () => {
    for (const slug of [...PROVIDERS.map((p) => p.slug), 'google', 'together', 'fireworks', 'cohere', 'acme-tools']) {
      expect(providerName(slug)).toBe(displayName(slug));
    }
  });
});
