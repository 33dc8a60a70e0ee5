/**
 * The rows every client yields are accepted by the real ledger writers, and a second sync of the same
 * window changes nothing: the external ids are stable and the amounts exact. (The sync runner owns the
 * real write loop; this only proves the clients' rows fit it.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { formatUsd, sumNano } from '../../../src/money';
import { PROVIDER_CLIENTS } from '../../../src/providers/registry';
import type { SyncPage } from '../../../src/providers/types';
import { fixedClock } from '../../../src/time';
import { ANTHROPIC_ADMIN_KEY, ANTHROPIC_DOCUMENTED, startAnthropicServer } from '../../fixtures/servers/anthropic';
import type { FakeServer } from '../../fixtures/servers/common';
import { OPENAI_ADMIN_KEY, OPENAI_DOCUMENTED, startOpenAIServer } from '../../fixtures/servers/openai';
import { OPENROUTER_DOCUMENTED, OPENROUTER_MANAGEMENT_KEY, startOpenRouterServer } from '../../fixtures/servers/openrouter';
import { startXaiServer, XAI_DOCUMENTED, XAI_MANAGEMENT_KEY } from '../../fixtures/servers/xai';
import { drain, testContext } from './harness';

const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-10T12:00:00Z') };
const cases = [
  { slug: 'openai', start: () => startOpenAIServer(), key: OPENAI_ADMIN_KEY, totalUsd: OPENAI_DOCUMENTED.costTotalUsd },
  { slug: 'anthropic', start: () => startAnthropicServer(), key: ANTHROPIC_ADMIN_KEY, totalUsd: ANTHROPIC_DOCUMENTED.costTotalUsd },
  { slug: 'openrouter', start: () => startOpenRouterServer(), key: OPENROUTER_MANAGEMENT_KEY, totalUsd: OPENROUTER_DOCUMENTED.activityWindowUsd },
  { slug: 'xai', start: () => startXaiServer(), key: XAI_MANAGEMENT_KEY, totalUsd: XAI_DOCUMENTED.usageTotalUsd },
];

let core: Core | undefined;
let server: FakeServer | undefined;
afterEach(async () => {
  core?.close();
  await server?.close();
});

function write(c: Core, pages: SyncPage[]) {
  let inserted = 0;
  let changed = 0;
  for (const page of pages) {
    const b = c.billed.write(page.billed ?? []);
    const u = c.usage.write(page.usage ?? []);
    inserted += b.inserted + u.inserted;
    changed += b.updated + u.updated;
  }
  return { inserted, changed };
}

describe('client rows fit the ledger', () => {
  it.each(cases)('$slug: written once, unchanged the second time, billed total exact', async ({ slug, start, key, totalUsd }) => {
    server = await start();
    core = openCore({ memory: true, clock: fixedClock('2026-11-10T12:00:00Z'), timeZone: 'UTC' });
    const client = PROVIDER_CLIENTS[slug]!;
    // Window ends at 2026-11-11 for the providers whose fixtures run through 2026-11-10.
    const window = slug === 'openai' || slug === 'anthropic' ? { ...WINDOW, end: new Date('2026-11-11T00:00:00Z') } : WINDOW;
    const first = await drain(client.sync(testContext(slug, server, key).ctx, window));
    expect(first.error).toBeUndefined();
    const once = write(core, first.pages);
    expect(once.inserted).toBeGreaterThan(0);
    const second = await drain(client.sync(testContext(slug, server, key).ctx, window));
    expect(write(core, second.pages)).toEqual({ inserted: 0, changed: 0 });

    const rows = core.db.prepare('SELECT amount_nano FROM billed_costs WHERE provider = ?').all(slug) as { amount_nano: number }[];
    expect(formatUsd(sumNano(rows.map((r) => r.amount_nano)))).toBe(totalUsd);
    const dump = JSON.stringify(core.db.prepare('SELECT * FROM billed_costs').all()) + JSON.stringify(core.db.prepare('SELECT * FROM usage_events').all());
    expect(dump).not.toContain(key);
  });
});
