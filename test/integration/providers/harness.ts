/**
 * Shared test plumbing for the provider clients: a context pointed at a fake server through the
 * same BURNRATE_<P>_BASE_URL path the app uses, a sleep that records waits instead of sleeping,
 * and a drain that keeps the pages yielded before an error.
 */
import { expect } from 'vitest';
import { contextFor } from '../../../src/providers/registry';
import type { ProviderClientContext, RetryOptions, SyncPage } from '../../../src/providers/types';
import { SyncError } from '../../../src/sync/errors';
import { sumNano, type Nano } from '../../../src/money';
import { fixedClock } from '../../../src/time';
import type { FakeServer } from '../../fixtures/servers/common';

export interface TestContext {
  ctx: ProviderClientContext;
  /** Every wait the HTTP layer asked for, in ms, in order. */
  waits: number[];
}

export function testContext(
  slug: string,
  server: FakeServer,
  key: string,
  options: { now?: string; timeoutMs?: number; retry?: RetryOptions; env?: Record<string, string> } = {},
): TestContext {
  const waits: number[] = [];
  const ctx = contextFor(slug, {
    key,
    env: { [`BURNRATE_${slug.toUpperCase()}_BASE_URL`]: server.url, ...options.env },
    clock: fixedClock(options.now ?? '2026-11-10T12:00:00Z'),
    sleep: async (ms) => {
      waits.push(ms);
    },
    timeoutMs: options.timeoutMs ?? 5_000,
    retry: { random: () => 0.5, ...options.retry },
  });
  return { ctx, waits };
}

export async function drain(pages: AsyncIterable<SyncPage>): Promise<{ pages: SyncPage[]; error?: SyncError }> {
  const out: SyncPage[] = [];
  try {
    for await (const page of pages) out.push(page);
  } catch (err) {
    if (err instanceof SyncError) return { pages: out, error: err };
    throw err;
  }
  return { pages: out };
}

export async function expectSyncError(pages: AsyncIterable<SyncPage>): Promise<{ pages: SyncPage[]; error: SyncError }> {
  const result = await drain(pages);
  expect(result.error, 'the sync should have failed').toBeInstanceOf(SyncError);
  return result as { pages: SyncPage[]; error: SyncError };
}

export function billedTotal(pages: SyncPage[]): Nano {
  return sumNano(pages.flatMap((p) => p.billed ?? []).map((r) => r.amountNano));
}

/**
 * The key must appear nowhere in the text, nor any 8-character piece of its secret part (the public
 * prefix such as "sk-admin-" may: our own advice names it).
 */
export function expectNoKey(text: string, key: string): void {
  expect(text).not.toContain(key);
  const secret = key.replace(/^(sk-(admin|proj|ant-admin\d*|ant-api\d*|or-v1)-|xai-)/, '');
  for (let i = 0; i + 8 <= secret.length; i += 2) expect(text).not.toContain(secret.slice(i, i + 8));
}
