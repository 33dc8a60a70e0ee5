import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core, type CoreOptions } from '../../../src/app/open';
import type { Notice, Notifier } from '../../../src/notify/notifier';
import type { Clock } from '../../../src/time';

/** A clock the test moves by hand. */
export interface MovableClock extends Clock {
  set(iso: string): void;
  advance(ms: number): void;
}

export function movableClock(iso: string): MovableClock {
  let at = Date.parse(iso);
  return {
    now: () => new Date(at),
    set: (next) => {
      at = Date.parse(next);
    },
    advance: (ms) => {
      at += ms;
    },
  };
}

/** A notifier that keeps what it was told (a real Notifier implementation, not a mock of ours). */
export function collectingNotifier(): Notifier & { notices: Notice[] } {
  const notices: Notice[] = [];
  return { notices, notify: (n) => void notices.push(n) };
}

export interface TestCore {
  core: Core;
  clock: MovableClock;
  notices: Notice[];
}

export function testCore(options: { now?: string; timeZone?: string; home?: string } & Partial<CoreOptions> = {}): TestCore {
  const clock = movableClock(options.now ?? '2026-03-10T12:00:00Z');
  const notifier = collectingNotifier();
  const { now: _now, ...rest } = options;
  const core = openCore({
    memory: options.home === undefined,
    env: {},
    timeZone: 'UTC',
    ...rest,
    clock,
    notifier,
  });
  return { core, clock, notices: notifier.notices };
}

export function tempDir(prefix = 'burnrate-budget-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

let seq = 0;
/** Record a known cost now (or at `at`) through the contract, as the CLI does. */
export async function spend(core: Core, cost: string, opts: { provider?: string; at?: string; id?: string } = {}) {
  return dispatch(core, 'record', {
    provider: opts.provider ?? 'openai',
    model: 'gpt-4o',
    cost,
    id: opts.id ?? `t-${++seq}`,
    ...(opts.at ? { at: opts.at } : {}),
  });
}
