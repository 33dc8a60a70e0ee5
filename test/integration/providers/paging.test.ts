import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropic } from '../../../src/providers/anthropic';
import { openai } from '../../../src/providers/openai';
import type { ProviderClient } from '../../../src/providers/types';
import { ANTHROPIC_ADMIN_KEY, startAnthropicServer } from '../../fixtures/servers/anthropic';
import type { FakeServer } from '../../fixtures/servers/common';
import { OPENAI_ADMIN_KEY, startOpenAIServer } from '../../fixtures/servers/openai';
import { expectSyncError, testContext } from './harness';

// The cursor paging both report clients share (pagedByCursor): a provider that says "more" without a
// cursor, or hands back a cursor it already gave, ends the sync as malformed after the pages before.

const WINDOW = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-11T00:00:00Z') };

const cases: { name: string; client: ProviderClient; key: string; path: string; what: string; start: () => Promise<FakeServer> }[] = [
  {
    name: 'OpenAI',
    client: openai,
    key: OPENAI_ADMIN_KEY,
    path: '/v1/organization/costs',
    what: 'the costs page',
    start: () => startOpenAIServer({ pageSize: 4 }),
  },
  {
    name: 'Anthropic',
    client: anthropic,
    key: ANTHROPIC_ADMIN_KEY,
    path: '/v1/organizations/cost_report',
    what: 'the cost report',
    start: () => startAnthropicServer({ pageSize: 4 }),
  },
];

describe.each(cases)('$name cursor paging', ({ client, key, path, what, start }) => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server.close();
  });

  const page = (hasMore: boolean, next: string | null) => ({ status: 200, body: { data: [], has_more: hasMore, next_page: next } });

  it('follows next_page and refuses a cursor that comes back twice, keeping the pages before', async () => {
    server.requests.length = 0;
    server.setScenario({ path, steps: [page(true, 'cur-1'), page(true, 'cur-2'), page(true, 'cur-1')] });
    const { ctx } = testContext(client.provider, server, key);
    const { pages, error } = await expectSyncError(client.sync(ctx, WINDOW));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain(`not ${what} in its documented shape`);
    expect(error.detail).toBe('the same page cursor came back twice');
    expect(pages).toHaveLength(3);
    const asked = server.requests.filter((r) => r.path === path).map((r) => r.query.get('page'));
    expect(asked).toEqual([null, 'cur-1', 'cur-2']);
    expect(server.pendingSteps()).toBe(0);
  });

  it('refuses has_more without a cursor', async () => {
    server.requests.length = 0;
    server.setScenario({ path, steps: [page(true, null)] });
    const { ctx } = testContext(client.provider, server, key);
    const { pages, error } = await expectSyncError(client.sync(ctx, WINDOW));
    expect(error.kind).toBe('malformed');
    expect(error.detail).toBe('has_more without a next_page cursor');
    expect(pages).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});
