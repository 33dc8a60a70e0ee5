import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { providerChoices } from '../../../renderer/src/components/providers';
import { testCore } from './core-bridge';

// The one list the Prices form and the Subscriptions card offer, from a real core's `providers` answer.

let core: Core;
beforeEach(() => {
  core = testCore('2026-11-28T18:00:00Z');
});
afterEach(() => core.close());

describe('providerChoices', () => {
  it('offers every provider the core lists, by name, but not a subscription filed under its own name', async () => {
    await dispatch(core, 'subscriptionAdd', { name: 'ChatGPT Plus', monthly: '20', day: 3, since: '2026-11-01' });
    await dispatch(core, 'subscriptionAdd', { name: 'Claude Pro', monthly: '20', day: 5, since: '2026-11-01', provider: 'anthropic' });
    await dispatch(core, 'providerSet', { provider: 'cursor', mode: 'odometer' });
    const listed = (await dispatch(core, 'providers', {})).providers;
    expect(listed.map((p) => p.provider)).toContain('chatgpt-plus');

    const choices = providerChoices(listed);
    expect(choices.map((c) => c.provider)).not.toContain('chatgpt-plus');
    // A provider you track by its console (not in the catalogue) is one to file under; the catalogue's
    // Anthropic stays one though a subscription is filed under it.
    expect(choices.map((c) => c.provider)).toEqual(expect.arrayContaining(['anthropic', 'cursor', 'openai', 'groq']));
    expect(choices).toHaveLength(listed.length - 1);
    const names = choices.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(choices.find((c) => c.provider === 'gemini')?.name).toBe('Google Gemini');
  });

  it('keeps offering a provider a subscription was filed under by a typed name, once the subscriptions are read', async () => {
    await dispatch(core, 'subscriptionAdd', { name: 'ChatGPT Plus', monthly: '20', day: 3, since: '2026-11-01' });
    await dispatch(core, 'subscriptionAdd', { name: '通义千问', monthly: '10', day: 3, since: '2026-11-01', provider: 'qwen' });
    const listed = (await dispatch(core, 'providers', {})).providers;
    // The core keeps both the same way (subscription mode, no catalogue default)...
    expect(listed.filter((p) => ['chatgpt-plus', 'qwen'].includes(p.provider)).map((p) => [p.mode, p.defaultMode, p.configured])).toEqual([
      ['subscription', 'manual', true],
      ['subscription', 'manual', true],
    ]);
    // ...but only ChatGPT Plus is filed under its own name.
    const own = new Map([['chatgpt-plus', 'ChatGPT Plus']]);
    const offered = providerChoices(listed, undefined, own).map((c) => c.provider);
    expect(offered).toContain('qwen');
    expect(offered).not.toContain('chatgpt-plus');
    expect(providerChoices(listed).map((c) => c.provider)).not.toContain('qwen'); // before they are read
  });
});
