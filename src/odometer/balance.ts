import { addNano, divRoundHalfEven, mulDivTotal, subNano, type Nano, type NanoTotal } from '../money';
import type { Segment } from './spread';

/**
 * The arithmetic of prepaid balances (DeepSeek, OpenAI or Anthropic credits, OpenRouter): spend is
 * the drop between two balance readings, after adding the top-ups recorded between them. A rise
 * that recorded top-ups do not explain is an unrecorded top-up, never negative spend.
 */

export interface BalanceEntry {
  id: number;
  kind: 'balance' | 'topup';
  amount: Nano;
  atMs: number;
}

export interface EntryEffect {
  /** Spend this balance reading reveals since the previous one; null for top-ups and the first reading. */
  spend: Nano | null;
  /** The part of a rise no recorded top-up explains (taken as a top-up). */
  inferredTopup: Nano;
}

export interface BalanceDerivation {
  segments: Segment[];
  effects: Map<number, EntryEffect>;
  /** The last balance reading plus the top-ups recorded after it; null before any reading. */
  current: { balance: Nano; asOfMs: number } | null;
}

/** Top-ups first at a shared instant: a balance read right after a top-up already includes it. */
function order(a: BalanceEntry, b: BalanceEntry): number {
  return a.atMs - b.atMs || (a.kind === b.kind ? 0 : a.kind === 'topup' ? -1 : 1) || a.id - b.id;
}

export function deriveBalance(entries: readonly BalanceEntry[]): BalanceDerivation {
  const sorted = [...entries].sort(order);
  const segments: Segment[] = [];
  const effects = new Map<number, EntryEffect>();
  let last: { balance: Nano; atMs: number } | null = null;
  let pendingTopups = 0;
  let lastAtMs = 0;
  for (const e of sorted) {
    lastAtMs = e.atMs;
    if (e.kind === 'topup') {
      effects.set(e.id, { spend: null, inferredTopup: 0 });
      if (last) pendingTopups = addNano(pendingTopups, e.amount);
      continue;
    }
    if (!last) {
      effects.set(e.id, { spend: null, inferredTopup: 0 });
    } else {
      const drop = subNano(addNano(last.balance, pendingTopups), e.amount);
      const spend = Math.max(0, drop);
      effects.set(e.id, { spend, inferredTopup: drop < 0 ? -drop : 0 });
      segments.push({ startMs: last.atMs, endMs: e.atMs, amount: spend });
    }
    last = { balance: e.amount, atMs: e.atMs };
    pendingTopups = 0;
  }
  return {
    segments,
    effects,
    current: last ? { balance: addNano(last.balance, pendingTopups), asOfMs: Math.max(last.atMs, lastAtMs) } : null,
  };
}

export const DAY_MS = 86_400_000;

export interface Runway {
  /** Spend measured by readings inside the window (pro rata for segments crossing its start). */
  spentInWindow: NanoTotal;
  /** How much of the window readings cover. */
  coveredMs: number;
  /** Average spend per day over the covered time; null when nothing was measured. */
  perDay: NanoTotal | null;
  /** Whole days the current balance lasts from now at that pace; null when there is no pace. */
  runwayDays: number | null;
  /** Instant the balance runs out at that pace (from the time of the balance figure). */
  runOutAtMs: number | null;
}

const MAX_RUNWAY_DAYS = 36_500n;

/** Spend the balance readings measured in the last `windowDays`, and how much time they cover. */
export function measuredBurn(d: BalanceDerivation, nowMs: number, windowDays = RUNWAY_WINDOW_DAYS): { spent: NanoTotal; coveredMs: number } {
  const windowStart = nowMs - windowDays * DAY_MS;
  let spent = 0n;
  let covered = 0;
  for (const s of d.segments) {
    const from = Math.max(s.startMs, windowStart);
    const to = Math.min(s.endMs, nowMs);
    if (to <= from) continue;
    covered += to - from;
    spent += s.endMs > s.startMs ? mulDivTotal(s.amount, to - from, s.endMs - s.startMs) : BigInt(s.amount);
  }
  return { spent, coveredMs: covered };
}

export const RUNWAY_WINDOW_DAYS = 30;

/**
 * How long `current` lasts at `spent` per `coveredMs`: the time covered is only time something
 * measured (days nobody measured are unknown, not $0), and the balance figure's age is taken off.
 */
export function runwayFrom(current: BalanceDerivation['current'], spent: NanoTotal, covered: number, nowMs: number): Runway {
  if (!current || covered === 0 || spent <= 0n) {
    return { spentInWindow: spent, coveredMs: covered, perDay: covered > 0 ? mulDivTotal(spent, DAY_MS, covered) : null, runwayDays: null, runOutAtMs: null };
  }
  // balance / (spent / covered) in milliseconds, exact in BigInt.
  const lastsMs = (BigInt(Math.max(0, current.balance)) * BigInt(covered)) / BigInt(spent);
  const sinceFigureMs = BigInt(Math.max(0, nowMs - current.asOfMs));
  const leftMs = lastsMs > sinceFigureMs ? lastsMs - sinceFigureMs : 0n;
  const days = leftMs / BigInt(DAY_MS);
  const capped = days > MAX_RUNWAY_DAYS;
  return {
    spentInWindow: spent,
    coveredMs: covered,
    perDay: divRoundHalfEven(spent * BigInt(DAY_MS), BigInt(covered)),
    runwayDays: Number(capped ? MAX_RUNWAY_DAYS : days),
    runOutAtMs: capped ? null : current.asOfMs + Number(lastsMs),
  };
}

/** Burn rate over the last `windowDays` of balance readings and how long the current balance lasts at it. */
export function runway(d: BalanceDerivation, nowMs: number, windowDays = RUNWAY_WINDOW_DAYS): Runway {
  const { spent, coveredMs } = measuredBurn(d, nowMs, windowDays);
  return runwayFrom(d.current, spent, coveredMs, nowMs);
}
